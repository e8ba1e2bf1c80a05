package types

import (
	"encoding/hex"
	"fmt"

	"github.com/delphi-network/delphi/runtime"
)

// DefaultGenesis is an empty registry with default params.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams(), NextBenchmarkId: 1, NextModelId: 1, NextEvaluationId: 1}
}

// Validate checks params, id uniqueness and that sequences are ahead of ids.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	names := map[string]bool{}
	benchmarks := map[uint64]bool{}
	for _, b := range gs.Benchmarks {
		if b.Id == 0 || b.Id >= gs.NextBenchmarkId || benchmarks[b.Id] {
			return fmt.Errorf("benchmark id %d duplicated or not below next_benchmark_id %d", b.Id, gs.NextBenchmarkId)
		}
		if names[b.Name] {
			return fmt.Errorf("benchmark name %q duplicated", b.Name)
		}
		if err := ValidateSHA256(ErrInvalidBenchmark, "item_root", b.ItemRoot, true); err != nil {
			return fmt.Errorf("benchmark %d: %w", b.Id, err)
		}
		if want := DatasetPoints(b.DatasetName()); b.Points() != uint64(want) {
			return fmt.Errorf("benchmark %d: %d points per item, dataset %q scores %d", b.Id, b.Points(), b.DatasetName(), want)
		}
		benchmarks[b.Id], names[b.Name] = true, true
	}
	models := map[uint64]bool{}
	for _, m := range gs.Models {
		if m.Id == 0 || m.Id >= gs.NextModelId || models[m.Id] {
			return fmt.Errorf("model id %d duplicated or not below next_model_id %d", m.Id, gs.NextModelId)
		}
		models[m.Id] = true
	}
	for _, b := range gs.Benchmarks {
		if b.JudgeModelId != 0 && (!models[b.JudgeModelId] || !JudgedKind(b.DatasetName())) {
			return fmt.Errorf("benchmark %d: judge model %d unknown or its dataset %q has no generated answers", b.Id, b.JudgeModelId, b.DatasetName())
		}
	}
	seen := map[uint64]bool{}
	for _, e := range gs.Evaluations {
		if e.Id == 0 || e.Id >= gs.NextEvaluationId || seen[e.Id] {
			return fmt.Errorf("evaluation id %d duplicated or not below next_evaluation_id %d", e.Id, gs.NextEvaluationId)
		}
		if !benchmarks[e.BenchmarkId] {
			return fmt.Errorf("evaluation %d: unknown benchmark %d", e.Id, e.BenchmarkId)
		}
		for _, id := range e.ModelIds {
			if !models[id] {
				return fmt.Errorf("evaluation %d: unknown model %d", e.Id, id)
			}
		}
		if len(e.OpenedHeights) > int(e.Rounds) || len(e.FinalHeights) > int(e.Rounds) {
			return fmt.Errorf("evaluation %d: more per-round heights than its %d rounds", e.Id, e.Rounds)
		}
		// Its results can only be computed and refereed by a binary that
		// implements its runtime version.
		if err := runtime.CheckVersion(e.Runtime()); err != nil {
			return fmt.Errorf("evaluation %d: %w", e.Id, err)
		}
		seen[e.Id] = true
	}
	rounds := map[uint64]uint32{}
	for _, r := range gs.Rounds {
		if !seen[r.EvaluationId] {
			return fmt.Errorf("round %d of unknown evaluation %d", r.Round, r.EvaluationId)
		}
		if r.Round != rounds[r.EvaluationId] {
			return fmt.Errorf("evaluation %d: rounds must be listed in order from 0, got %d", r.EvaluationId, r.Round)
		}
		rounds[r.EvaluationId]++
	}
	type resultKey struct {
		e uint64
		r uint32
		m uint64
	}
	results := map[resultKey]bool{}
	for _, r := range gs.Results {
		if r.Round >= rounds[r.EvaluationId] {
			return fmt.Errorf("result for round %d of evaluation %d, which has not started", r.Round, r.EvaluationId)
		}
		results[resultKey{r.EvaluationId, r.Round, r.ModelId}] = true
	}
	return gs.validateRounds(func(e uint64, r uint32, m uint64) bool { return results[resultKey{e, r, m}] })
}

// validateRounds checks what the block hooks rely on: a final round has
// every model's result, a draw waits for a seed that exists, and seed
// entries, commitments and participation records name validators by
// their hex addresses and things that exist.
func (gs GenesisState) validateRounds(hasResult func(e uint64, r uint32, m uint64) bool) error {
	evals := map[uint64]Evaluation{}
	for _, e := range gs.Evaluations {
		evals[e.Id] = e
	}
	type roundKey struct {
		e uint64
		r uint32
	}
	started := map[roundKey]bool{}
	for _, r := range gs.Rounds {
		started[roundKey{r.EvaluationId, r.Round}] = true
		if r.Status != ROUND_STATUS_FINAL {
			continue
		}
		for _, m := range evals[r.EvaluationId].ModelIds {
			if !hasResult(r.EvaluationId, r.Round, m) {
				return fmt.Errorf("round %d of evaluation %d is final without model %d's result", r.Round, r.EvaluationId, m)
			}
		}
	}
	seeds := map[int64]bool{}
	for _, s := range gs.Seeds {
		if seeds[s.Height] {
			return fmt.Errorf("seed of height %d listed twice", s.Height)
		}
		seeds[s.Height] = true
	}
	for _, d := range gs.Draws {
		if !seeds[d.SeedHeight] {
			return fmt.Errorf("draw of evaluation %d round %d waits for a seed of height %d that does not exist", d.EvaluationId, d.Round, d.SeedHeight)
		}
		e, ok := evals[d.EvaluationId]
		if !ok {
			return fmt.Errorf("draw of unknown evaluation %d", d.EvaluationId)
		}
		// An ended evaluation gives back the draws its draw_heights name.
		if d.Round >= e.Rounds || int(d.Round) >= len(e.DrawHeights) || e.DrawHeights[d.Round] != d.SeedHeight {
			return fmt.Errorf("draw of evaluation %d round %d at %d is not in its draw_heights", d.EvaluationId, d.Round, d.SeedHeight)
		}
	}
	for _, e := range gs.SeedEntries {
		if !seeds[e.Height] {
			return fmt.Errorf("seed entry for a seed of height %d that does not exist", e.Height)
		}
		if _, err := hex.DecodeString(e.Validator); err != nil || e.Validator == "" {
			return fmt.Errorf("seed entry of height %d: validator %q is not a hex address", e.Height, e.Validator)
		}
	}
	for _, c := range gs.Commitments {
		if !started[roundKey{c.EvaluationId, c.Round}] {
			return fmt.Errorf("commitment for round %d of evaluation %d, which has not started", c.Round, c.EvaluationId)
		}
		if _, err := hex.DecodeString(c.Validator); err != nil || c.Validator == "" {
			return fmt.Errorf("commitment: validator %q is not a hex address", c.Validator)
		}
	}
	for _, p := range gs.Participations {
		if _, err := hex.DecodeString(p.Validator); err != nil || p.Validator == "" {
			return fmt.Errorf("participation: validator %q is not a hex address", p.Validator)
		}
	}
	return nil
}
