package evaluator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/verde/player"
)

// rejectDomain names the deterministic result of a model that the runtime
// refuses (unsupported operator, broken bounds): every validator refuses it
// alike, so they all report the same zero score and this root.
const rejectDomain = "delphi/evaluator/rejected-model/v1"

// RejectedRoot is the trace root reported for a model the runtime refuses.
func RejectedRoot(modelSHA256 string) []byte {
	sum := sha256.Sum256([]byte(rejectDomain + modelSHA256))
	return sum[:]
}

// computer runs evaluations, caching verified datasets and loaded models.
type computer struct {
	fetch  Fetcher
	limits runtime.Limits

	// fault, when set, falsifies one operator output of every run (tests).
	fault *Fault

	mu     sync.Mutex
	models map[string]*loaded // by weights SHA-256
}

type loaded struct {
	raw   []byte // the verified artifact, for the referee step of a dispute
	model *runtime.Model
	err   error // the runtime's refusal, deterministic for every validator
}

// job is one model's evaluation in one round.
type job struct {
	evaluation evaluationtypes.Evaluation
	round      evaluationtypes.Round
	benchmark  evaluationtypes.Benchmark
	model      evaluationtypes.Model
	maxBytes   int64
}

// run evaluates one job and returns its result and trace (nil for a
// refused model). An error means this machine could not evaluate it (data
// missing, artifact unavailable or not the registered bytes): nothing is
// reported, and the error shows in health and metrics.
func (c *computer) run(ctx context.Context, j job) (*evaluationtypes.RoundResult, *runtime.Trace, error) {
	ds, err := bench.Load(j.benchmark.Name)
	if err != nil {
		return nil, nil, fmt.Errorf("benchmark %q: %w", j.benchmark.Name, err)
	}
	sum := ds.SHA256()
	if got := hex.EncodeToString(sum[:]); got != j.benchmark.DatasetSha256 {
		return nil, nil, fmt.Errorf("benchmark %q: local dataset hash %s, registered %s", j.benchmark.Name, got, j.benchmark.DatasetSha256)
	}
	seed, err := hex.DecodeString(j.round.Seed)
	if err != nil {
		return nil, nil, fmt.Errorf("round seed: %w", err)
	}
	items, err := bench.Select(seed, int(j.evaluation.ItemsPerRound), ds.Len())
	if err != nil {
		return nil, nil, err
	}
	m, err := c.load(ctx, j.model, j.maxBytes)
	if err != nil {
		return nil, nil, err
	}
	out := &evaluationtypes.RoundResult{EvaluationId: j.evaluation.Id, Round: j.round.Round, Attempt: j.round.Attempt,
		ModelId: j.model.Id}
	if m.err != nil {
		out.TraceRoot, out.Leaves = RejectedRoot(j.model.WeightsSha256), 1
		return out, nil, nil
	}
	res, err := m.model.Evaluate(ds, items, runtime.EvalOptions{Trace: true})
	if err != nil {
		// A run-time refusal (shape mismatch with the benchmark, bounds) is
		// as deterministic as a load-time one.
		out.TraceRoot, out.Leaves = RejectedRoot(j.model.WeightsSha256), 1
		return out, nil, nil
	}
	tr := res.Trace
	if c.fault != nil && tr.Len() > 0 && (c.fault.Model == 0 || c.fault.Model == j.model.Id) {
		// Test-only byzantine mode: falsify one operator output's hash.
		tr = player.Perturb(tr, min(c.fault.Leaf, tr.Len()-1))
	}
	root := tr.Root()
	out.Correct, out.TraceRoot, out.Leaves = uint64(res.Correct), root[:], uint64(tr.Len())
	return out, tr, nil
}

// load fetches, verifies and compiles a model once.
func (c *computer) load(ctx context.Context, m evaluationtypes.Model, maxBytes int64) (*loaded, error) {
	c.mu.Lock()
	l, ok := c.models[m.WeightsSha256]
	c.mu.Unlock()
	if ok {
		return l, nil
	}
	raw, err := c.fetch.Fetch(ctx, m.ArtifactUris, m.WeightsSha256, maxBytes)
	if err != nil {
		return nil, fmt.Errorf("model %d (%s): %w", m.Id, m.Name, err)
	}
	model, err := runtime.LoadModel(raw, c.limits)
	l = &loaded{raw: raw, model: model, err: err}
	c.mu.Lock()
	c.models[m.WeightsSha256] = l
	c.mu.Unlock()
	return l, nil
}
