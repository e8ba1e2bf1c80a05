package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"

	"github.com/delphi-network/delphi/x/evaluation/types"
)

// InitGenesis loads the registries, evaluations and sequences.
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
	if err := k.DisagreementSeq.Set(ctx, uint64(len(gs.Disagreements)+1)); err != nil {
		return err
	}
	for _, e := range gs.Index {
		if err := k.Index.Set(ctx, collections.Join(e.ModelId, e.BenchmarkId), e); err != nil {
			return err
		}
	}
	started := map[uint64]uint32{}
	for _, r := range gs.Rounds {
		if err := k.Rounds.Set(ctx, collections.Join(r.EvaluationId, r.Round), r); err != nil {
			return err
		}
		if r.Status == types.ROUND_STATUS_OPEN {
			if err := k.RoundTimeouts.Set(ctx, collections.Join3(r.TimeoutHeight, r.EvaluationId, r.Round)); err != nil {
				return err
			}
		}
		started[r.EvaluationId]++
	}
	for _, e := range gs.Evaluations {
		if err := k.Evaluations.Set(ctx, e.Id, e); err != nil {
			return err
		}
		// Rebuild the due index: the next round of each live evaluation.
		live := e.Status == types.EVALUATION_STATUS_SCHEDULED || e.Status == types.EVALUATION_STATUS_RUNNING
		if n := started[e.Id]; live && n < e.Rounds {
			due := e.StartHeight + int64(n)*int64(e.BlocksBetweenRounds)
			if err := k.RoundsDue.Set(ctx, collections.Join(due, e.Id)); err != nil {
				return err
			}
		}
	}
	if gs.ExtensionLimits != nil {
		if err := k.ExtLimits.Set(ctx, *gs.ExtensionLimits); err != nil {
			return err
		}
	}
	if err := k.BenchmarkSeq.Set(ctx, gs.NextBenchmarkId); err != nil {
		return err
	}
	if err := k.ModelSeq.Set(ctx, gs.NextModelId); err != nil {
		return err
	}
	return k.EvaluationSeq.Set(ctx, gs.NextEvaluationId)
}

// ExportGenesis writes the module state in key order.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{Params: params}
	if err := k.Benchmarks.Walk(ctx, nil, func(_ uint64, b types.Benchmark) (bool, error) {
		gs.Benchmarks = append(gs.Benchmarks, b)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Models.Walk(ctx, nil, func(_ uint64, m types.Model) (bool, error) {
		gs.Models = append(gs.Models, m)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Evaluations.Walk(ctx, nil, func(_ uint64, e types.Evaluation) (bool, error) {
		gs.Evaluations = append(gs.Evaluations, e)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Rounds.Walk(ctx, nil, func(_ collections.Pair[uint64, uint32], r types.Round) (bool, error) {
		gs.Rounds = append(gs.Rounds, r)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Results.Walk(ctx, nil, func(_ collections.Triple[uint64, uint32, uint64], r types.Result) (bool, error) {
		gs.Results = append(gs.Results, r)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Disagreements.Walk(ctx, nil, func(_ uint64, d types.Disagreement) (bool, error) {
		gs.Disagreements = append(gs.Disagreements, d)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Index.Walk(ctx, nil, func(_ collections.Pair[uint64, uint64], e types.IndexEntry) (bool, error) {
		gs.Index = append(gs.Index, e)
		return false, nil
	}); err != nil {
		return nil, err
	}
	switch l, err := k.ExtLimits.Get(ctx); {
	case err == nil:
		gs.ExtensionLimits = &l
	case !errors.Is(err, collections.ErrNotFound):
		return nil, err
	}
	if gs.NextBenchmarkId, err = nextPeek(ctx, k.BenchmarkSeq.Peek); err != nil {
		return nil, err
	}
	if gs.NextModelId, err = nextPeek(ctx, k.ModelSeq.Peek); err != nil {
		return nil, err
	}
	if gs.NextEvaluationId, err = nextPeek(ctx, k.EvaluationSeq.Peek); err != nil {
		return nil, err
	}
	return gs, nil
}

// nextPeek is the id the sequence hands out next (ids start at 1).
func nextPeek(ctx context.Context, peek func(context.Context) (uint64, error)) (uint64, error) {
	v, err := peek(ctx)
	if err != nil || v > 0 {
		return v, err
	}
	return 1, nil
}
