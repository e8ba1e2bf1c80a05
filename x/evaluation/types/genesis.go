package types

import (
	"fmt"
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
	for _, r := range gs.Results {
		if r.Round >= rounds[r.EvaluationId] {
			return fmt.Errorf("result for round %d of evaluation %d, which has not started", r.Round, r.EvaluationId)
		}
	}
	return nil
}
