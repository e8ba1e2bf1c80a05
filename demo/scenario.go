package demo

import (
	"fmt"
	"math/rand"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// scenario is what a demo market is about: its genesis benchmark, its
// contestants and how carol estimates them offline before trading.
type scenario struct {
	benchmark string // the benchmark's registered name (scripts/demo.sh puts it in genesis)
	title     string // the market's question
	vault     string // the liquidity vault's name
	about     string // the contestants, for the log
	item      string // what one round item is, for the log
	items     uint32 // items per round when Config.Items is 0
	prepare   func(dir string, log func(string, ...any)) ([]*model, error)
	estimate  func(models []*model) ([]float64, error) // per model, a score in [0, 1]
}

// points is the most one item scores, as the chain sets it from the
// benchmark's dataset.
func (s scenario) points() uint64 { return uint64(evaluationtypes.DatasetPoints(s.benchmark)) }

// Markets are the demo's markets: `delphid demo --market NAME`.
var Markets = []string{"mnist", "lm"}

func scenarioFor(market string) (scenario, error) {
	switch market {
	case "", "mnist":
		return scenario{benchmark: "mnist", title: "MNIST: which classifier scores best?", vault: "MNIST liquidity",
			about: "four MNIST classifiers", item: "MNIST test items", items: 40, prepare: prepareModels, estimate: mnistEstimate}, nil
	case "lm":
		return scenario{benchmark: lmBenchmark, title: "KJV: which language model predicts held-out verses best?",
			vault: "Language-model liquidity", about: "four language models (two system prompts on one of them)",
			item: "held-out KJV verses (1000 points each: 1000·(1 − bits per byte/8))", items: 16,
			prepare: prepareLMs, estimate: lmEstimate}, nil
	}
	return scenario{}, fmt.Errorf("unknown market %q (have %v)", market, Markets)
}

// PrepareModels writes (or reuses) the named market's models under dir and
// returns their paths: `delphid demo --models-only`, which `make bench`
// uses to benchmark the runtime on the trained models.
func PrepareModels(market, dir string, log func(string, ...any)) ([]string, error) {
	sc, err := scenarioFor(market)
	if err != nil {
		return nil, err
	}
	models, err := sc.prepare(dir, log)
	if err != nil {
		return nil, err
	}
	paths := make([]string, len(models))
	for i, m := range models {
		paths[i] = m.Path
	}
	return paths, nil
}

// mnistEstimate is each classifier's accuracy on 300 MNIST test images.
func mnistEstimate(models []*model) ([]float64, error) {
	ds, err := bench.Load("mnist")
	if err != nil {
		return nil, fmt.Errorf("mnist: %w (run make data)", err)
	}
	rng := rand.New(rand.NewSource(7))
	sample := rng.Perm(ds.Len())[:300]
	acc := make([]float64, len(models))
	for i, m := range models {
		res, err := m.loaded.Evaluate(ds, sample, runtime.EvalOptions{})
		if err != nil {
			return nil, err
		}
		acc[i] = res.Accuracy
	}
	return acc, nil
}
