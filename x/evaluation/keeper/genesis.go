package keeper

import (
	"context"
	"encoding/hex"

	"cosmossdk.io/collections"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// InitGenesis loads the registries, evaluations, rounds, seeds,
// commitments, reporters' records and sequences, and rebuilds every
// secondary index from them (rebuildIndexes), so an evaluation exported
// in any state goes on after import.
func (k Keeper) InitGenesis(ctx context.Context, gs types.GenesisState) error {
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	for _, b := range gs.Benchmarks {
		if err := k.Benchmarks.Set(ctx, b.Id, b); err != nil {
			return err
		}
		if err := k.BenchmarkByName.Set(ctx, b.Name, b.Id); err != nil {
			return err
		}
	}
	for _, m := range gs.Models {
		if err := k.Models.Set(ctx, m.Id, m); err != nil {
			return err
		}
	}
	for _, e := range gs.Evaluations {
		if err := k.Evaluations.Set(ctx, e.Id, e); err != nil {
			return err
		}
	}
	for _, r := range gs.Rounds {
		if err := k.Rounds.Set(ctx, collections.Join(r.EvaluationId, r.Round), r); err != nil {
			return err
		}
	}
	for _, r := range gs.Results {
		if err := k.Results.Set(ctx, collections.Join3(r.EvaluationId, r.Round, r.ModelId), r); err != nil {
			return err
		}
	}
	for i, d := range gs.Disagreements {
		if err := k.Disagreements.Set(ctx, uint64(i+1), d); err != nil {
			return err
		}
	}
	if err := k.DisagreementSeq.Set(ctx, uint64(len(gs.Disagreements))); err != nil {
		return err
	}
	for _, e := range gs.Index {
		if err := k.Index.Set(ctx, collections.Join(e.ModelId, e.BenchmarkId), e); err != nil {
			return err
		}
	}
	for _, s := range gs.Seeds {
		if err := k.Seeds.Set(ctx, s.Height, s); err != nil {
			return err
		}
	}
	for _, e := range gs.SeedEntries {
		val, err := hex.DecodeString(e.Validator)
		if err != nil {
			return err
		}
		if err := k.SeedEntries.Set(ctx, collections.Join(e.Height, val), e.Entry); err != nil {
			return err
		}
	}
	for _, c := range gs.Commitments {
		val, err := hex.DecodeString(c.Validator)
		if err != nil {
			return err
		}
		if err := k.Commitments.Set(ctx, commitKey(c.EvaluationId, c.Round, c.ModelId, val), c); err != nil {
			return err
		}
	}
	for _, p := range gs.Participations {
		val, err := hex.DecodeString(p.Validator)
		if err != nil {
			return err
		}
		if err := k.Participations.Set(ctx, val, p); err != nil {
			return err
		}
	}
	for _, p := range gs.RewardPools {
		if err := k.RewardPools.Set(ctx, p.EvaluationId, p); err != nil {
			return err
		}
	}
	for _, d := range gs.Draws {
		if err := k.Draws.Set(ctx, collections.Join3(d.SeedHeight, d.EvaluationId, d.Round)); err != nil {
			return err
		}
	}
	for _, l := range gs.ExtensionLimits {
		if err := k.ExtLimits.Set(ctx, l.Height, l); err != nil {
			return err
		}
	}
	if err := k.rebuildIndexes(ctx); err != nil {
		return err
	}
	if err := modkit.ImportNext(ctx, k.BenchmarkSeq, gs.NextBenchmarkId); err != nil {
		return err
	}
	if err := modkit.ImportNext(ctx, k.ModelSeq, gs.NextModelId); err != nil {
		return err
	}
	return modkit.ImportNext(ctx, k.EvaluationSeq, gs.NextEvaluationId)
}

// rebuildIndexes derives every secondary index from primary state — the
// one place they are rebuilt: pending seeds; round timeouts, commit
// deadlines and reveal ends of live rounds; the deadlines of live
// evaluations and the evaluations waiting out their challenge window.
func (k Keeper) rebuildIndexes(ctx context.Context) error {
	if err := k.Draws.Walk(ctx, nil, func(key collections.Triple[int64, uint64, uint32]) (bool, error) {
		return false, k.addLoad(ctx, key.K1(), 1)
	}); err != nil {
		return err
	}
	if err := k.Seeds.Walk(ctx, nil, func(h int64, s types.Seed) (bool, error) {
		if s.Status == types.SEED_STATUS_PENDING {
			return false, k.PendingSeeds.Set(ctx, h)
		}
		return false, nil
	}); err != nil {
		return err
	}
	if err := k.Rounds.Walk(ctx, nil, func(_ collections.Pair[uint64, uint32], r types.Round) (bool, error) {
		switch {
		case r.Status == types.ROUND_STATUS_OPEN:
			if err := k.RoundTimeouts.Set(ctx, collections.Join3(r.TimeoutHeight, r.EvaluationId, r.Round)); err != nil {
				return true, err
			}
			if r.Phase == types.ROUND_PHASE_COMMIT {
				return false, k.CommitDeadlines.Set(ctx, collections.Join3(r.CommitDeadline, r.EvaluationId, r.Round))
			}
			if r.Accounted { // its reveal window ended without a final result
				return false, nil
			}
			return false, k.RevealEnds.Set(ctx, collections.Join3(r.RevealEndHeight, r.EvaluationId, r.Round))
		case r.Status == types.ROUND_STATUS_FINAL && !r.Accounted && r.RevealEndHeight > 0:
			return false, k.RevealEnds.Set(ctx, collections.Join3(r.RevealEndHeight, r.EvaluationId, r.Round))
		}
		return false, nil
	}); err != nil {
		return err
	}
	return k.Evaluations.Walk(ctx, nil, func(id uint64, e types.Evaluation) (bool, error) {
		live := e.Status == types.EVALUATION_STATUS_SCHEDULED || e.Status == types.EVALUATION_STATUS_RUNNING
		switch {
		case live && e.FinalAfterHeight == 0:
			return false, k.Deadlines.Set(ctx, collections.Join(e.DeadlineHeight, id))
		case e.Status == types.EVALUATION_STATUS_RUNNING:
			return false, k.AwaitingFinal.Set(ctx, id)
		}
		return false, nil
	})
}

// ExportGenesis writes the module state in key order.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{Params: params}
	if gs.Benchmarks, err = values(ctx, k.Benchmarks); err != nil {
		return nil, err
	}
	if gs.Models, err = values(ctx, k.Models); err != nil {
		return nil, err
	}
	if gs.Evaluations, err = values(ctx, k.Evaluations); err != nil {
		return nil, err
	}
	if gs.Rounds, err = values(ctx, k.Rounds); err != nil {
		return nil, err
	}
	if gs.Results, err = values(ctx, k.Results); err != nil {
		return nil, err
	}
	if gs.Disagreements, err = values(ctx, k.Disagreements); err != nil {
		return nil, err
	}
	if gs.Index, err = values(ctx, k.Index); err != nil {
		return nil, err
	}
	if gs.Seeds, err = values(ctx, k.Seeds); err != nil {
		return nil, err
	}
	if err := k.SeedEntries.Walk(ctx, nil, func(key collections.Pair[int64, []byte], e types.SeedEntry) (bool, error) {
		gs.SeedEntries = append(gs.SeedEntries, types.GenesisSeedEntry{Height: key.K1(), Validator: hex.EncodeToString(key.K2()), Entry: e})
		return false, nil
	}); err != nil {
		return nil, err
	}
	if gs.Commitments, err = values(ctx, k.Commitments); err != nil {
		return nil, err
	}
	if gs.Participations, err = values(ctx, k.Participations); err != nil {
		return nil, err
	}
	if gs.RewardPools, err = values(ctx, k.RewardPools); err != nil {
		return nil, err
	}
	if err := k.Draws.Walk(ctx, nil, func(key collections.Triple[int64, uint64, uint32]) (bool, error) {
		gs.Draws = append(gs.Draws, types.Draw{SeedHeight: key.K1(), EvaluationId: key.K2(), Round: key.K3()})
		return false, nil
	}); err != nil {
		return nil, err
	}
	if gs.ExtensionLimits, err = values(ctx, k.ExtLimits); err != nil {
		return nil, err
	}
	if gs.NextBenchmarkId, err = modkit.ExportNext(ctx, k.BenchmarkSeq); err != nil {
		return nil, err
	}
	if gs.NextModelId, err = modkit.ExportNext(ctx, k.ModelSeq); err != nil {
		return nil, err
	}
	if gs.NextEvaluationId, err = modkit.ExportNext(ctx, k.EvaluationSeq); err != nil {
		return nil, err
	}
	return gs, nil
}

// values lists a map's values in key order.
func values[K, V any](ctx context.Context, m collections.Map[K, V]) ([]V, error) {
	var out []V
	err := m.Walk(ctx, nil, func(_ K, v V) (bool, error) {
		out = append(out, v)
		return false, nil
	})
	return out, err
}
