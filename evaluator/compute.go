package evaluator

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	goruntime "runtime"
	"sync"

	"github.com/delphi-network/delphi/evaluator/player"
	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
	"github.com/delphi-network/delphi/runtime/llm"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// errUnavailable marks an artifact this validator could not obtain (not
// served to it, not the registered bytes, too large, a refused scheme):
// the model's owner's doing or the network's, not this validator's. When
// it lasts to the end of the commit window the sidecar abstains.
var errUnavailable = errors.New("artifact unavailable")

// computer runs evaluations, caching verified datasets and loaded models.
type computer struct {
	artifacts *artifacts
	limits    runtime.Limits

	// fault, when set, falsifies one operator output of every run (tests).
	fault *Fault

	mu    sync.Mutex
	texts map[string]*llm.TextBench
}

// loaded is a fetched, verified artifact and what the runtime made of it:
// a classifier or a language model, each parsed on first use. The errors
// are the runtime's refusals (or a weight root that is not the
// registered one), deterministic for every validator.
type loaded struct {
	raw []byte // the verified artifact, for the referee step of a dispute

	once  sync.Once
	model *runtime.Model
	err   error
	// step is the classifier's largest referee step (runtime.RefereeProfile),
	// computed once with the model; stepErr why the chain could not referee it.
	step    runtime.RefereeStep
	stepErr error

	lmOnce sync.Once
	lm     *llm.Model
	lmErr  error
}

// job is one model's evaluation in one round.
type job struct {
	evaluation evaluationtypes.Evaluation
	round      evaluationtypes.Round
	benchmark  evaluationtypes.Benchmark
	model      evaluationtypes.Model
	// judge is the benchmark's judge model, if it names one.
	judge    *evaluationtypes.Model
	maxBytes int64
}

// run evaluates one job and returns its result and trace (nil for a
// refused model). An error means this machine could not evaluate it (data
// missing, artifact unavailable or not the registered bytes, or still
// being fetched: errFetching, at once): nothing is reported, and the error
// shows in health and metrics.
func (c *computer) run(ctx context.Context, j job) (*evaluationtypes.RoundResult, *runtime.Trace, error) {
	// Results are computed under the evaluation's runtime version; a
	// sidecar without it abstains (its error shows in health and metrics)
	// rather than report a trace root of other semantics.
	if err := runtime.CheckVersion(j.evaluation.Runtime()); err != nil {
		return nil, nil, fmt.Errorf("evaluation %d: %w", j.evaluation.Id, err)
	}
	if j.benchmark.IsText() {
		return c.runText(ctx, j)
	}
	ds, err := bench.Load(j.benchmark.DatasetName())
	if err != nil {
		return nil, nil, fmt.Errorf("benchmark %q: %w", j.benchmark.Name, err)
	}
	sum := ds.SHA256()
	if got := hex.EncodeToString(sum[:]); got != j.benchmark.DatasetSha256 {
		return nil, nil, fmt.Errorf("benchmark %q: local dataset hash %s, registered %s", j.benchmark.Name, got, j.benchmark.DatasetSha256)
	}
	items, err := roundItems(j, ds.Len())
	if err != nil {
		return nil, nil, err
	}
	l, err := c.artifacts.get(ctx, j.model, j.maxBytes)
	if err != nil {
		return nil, nil, err
	}
	out := c.result(j)
	m, refused := c.classifier(l, j.model, j.evaluation.Runtime())
	if refused != nil {
		return c.rejected(out, j), nil, nil
	}
	res, err := m.Evaluate(ds, items, runtime.EvalOptions{Trace: true})
	if err != nil {
		// A run-time refusal (shape mismatch with the benchmark, bounds) is
		// as deterministic as a load-time one.
		return c.rejected(out, j), nil, nil
	}
	return c.finish(out, j, uint64(res.Correct), res.Trace)
}

// runText evaluates a language model on a text benchmark: the registered
// system prompt prepended, the judge's runs traced with the candidate's.
func (c *computer) runText(ctx context.Context, j job) (*evaluationtypes.RoundResult, *runtime.Trace, error) {
	t, err := c.textTask(ctx, j)
	if err != nil {
		return nil, nil, err
	}
	out := c.result(j)
	if t.refused != nil {
		return c.rejected(out, j), nil, nil
	}
	res, tr, err := t.task.Evaluate(t.bench, t.items, true)
	if err != nil {
		return c.rejected(out, j), nil, nil
	}
	return c.finish(out, j, uint64(res.Points), tr)
}

// prefetch starts fetching the artifacts a job needs (the model, and the
// judge of a text benchmark), so they download while other jobs run.
func (c *computer) prefetch(ctx context.Context, j job) {
	c.artifacts.start(ctx, j.model, j.maxBytes)
	if j.judge != nil {
		c.artifacts.start(ctx, *j.judge, j.maxBytes)
	}
}

// textRun is everything a text evaluation (or its defence) needs.
type textRun struct {
	task  *llm.Task
	bench *llm.TextBench
	items []int
	cand  *loaded
	judge *loaded
	// refused is the runtime's deterministic refusal of the candidate or
	// its judge: the result is the rejected root.
	refused error
}

// textTask loads the verified text benchmark, the round's items, the
// candidate and the judge, and builds the task. An error is this
// machine's (data, an artifact not here: errFetching or unavailable); a
// refusal is the runtime's.
func (c *computer) textTask(ctx context.Context, j job) (*textRun, error) {
	tb, err := c.text(j.benchmark)
	if err != nil {
		return nil, err
	}
	items, err := roundItems(j, tb.Len())
	if err != nil {
		return nil, err
	}
	kind, _ := tb.Kind()
	r := &textRun{bench: tb, items: items, task: &llm.Task{Kind: kind, JudgePrompt: j.benchmark.JudgePrompt, Workers: goruntime.GOMAXPROCS(0)}}
	if r.cand, err = c.artifacts.get(ctx, j.model, j.maxBytes); err != nil {
		return nil, err
	}
	v := j.evaluation.Runtime()
	if r.task.Cand, r.refused = c.subject(r.cand, j.model, v); r.refused != nil {
		return r, nil
	}
	if j.benchmark.JudgeModelId != 0 {
		if j.judge == nil || j.judge.Id != j.benchmark.JudgeModelId {
			return nil, fmt.Errorf("benchmark %q: judge model %d not read from the chain", j.benchmark.Name, j.benchmark.JudgeModelId)
		}
		if r.judge, err = c.artifacts.get(ctx, *j.judge, j.maxBytes); err != nil {
			return nil, fmt.Errorf("judge: %w", err)
		}
		if r.task.Judge, r.refused = c.subject(r.judge, *j.judge, v); r.refused != nil {
			return r, nil
		}
	}
	r.refused = r.task.Check()
	return r, nil
}

// text loads a text benchmark once and checks it against the registry.
func (c *computer) text(b evaluationtypes.Benchmark) (*llm.TextBench, error) {
	name := b.DatasetName()
	c.mu.Lock()
	tb, ok := c.texts[name]
	c.mu.Unlock()
	if !ok {
		var err error
		if tb, err = llm.LoadTextBench(name); err != nil {
			return nil, fmt.Errorf("benchmark %q: %w", b.Name, err)
		}
		c.mu.Lock()
		c.texts[name] = tb
		c.mu.Unlock()
	}
	root := tb.ItemRoot()
	if tb.Hash() != b.DatasetSha256 || hex.EncodeToString(root[:]) != b.ItemRoot || uint64(tb.Len()) != b.ItemCount {
		return nil, fmt.Errorf("benchmark %q: local dataset %s (root %x, %d items), registered %s (root %s, %d items)",
			b.Name, tb.Hash(), root, tb.Len(), b.DatasetSha256, b.ItemRoot, b.ItemCount)
	}
	return tb, nil
}

// roundItems draws the round's items from its seed.
func roundItems(j job, total int) ([]int, error) {
	seed, err := hex.DecodeString(j.round.Seed)
	if err != nil {
		return nil, fmt.Errorf("round seed: %w", err)
	}
	return bench.Select(seed, int(j.evaluation.ItemsPerRound), total)
}

func (c *computer) result(j job) *evaluationtypes.RoundResult {
	return &evaluationtypes.RoundResult{EvaluationId: j.evaluation.Id, Round: j.round.Round, Attempt: j.round.Attempt, ModelId: j.model.Id}
}

func (c *computer) rejected(out *evaluationtypes.RoundResult, j job) *evaluationtypes.RoundResult {
	out.TraceRoot, out.Leaves = evaluationtypes.RejectedRoot(j.model.WeightsSha256), 1
	return out
}

// finish fills in the score and the root, falsifying the trace or the
// score first in the test-only byzantine mode.
func (c *computer) finish(out *evaluationtypes.RoundResult, j job, score uint64, tr *runtime.Trace) (*evaluationtypes.RoundResult, *runtime.Trace, error) {
	if f := c.fault; f != nil && tr.Len() > 0 && (f.Model == 0 || f.Model == j.model.Id) {
		switch {
		case f.WrongScore && score > 0:
			score--
		case f.WrongScore:
			score = 1
		default:
			tr = player.Perturb(tr, min(f.Leaf, tr.Len()-1))
		}
	}
	root := tr.Root()
	out.Correct, out.TraceRoot, out.Leaves = score, root[:], uint64(tr.Len())
	return out, tr, nil
}

// classifier parses the artifact as an ONNX classifier, checks its weight
// root against the registry and gives it runtime version v's trace leaves
// (the evaluation's), grouped as its declared referee step allows.
func (c *computer) classifier(l *loaded, reg evaluationtypes.Model, v uint32) (*runtime.Model, error) {
	l.once.Do(func() {
		if reg.Format != "onnx" {
			l.err = fmt.Errorf("format %q is not a classifier", reg.Format)
			return
		}
		if l.model, l.err = runtime.LoadModel(l.raw, c.limits); l.err == nil {
			l.step, l.stepErr = l.model.RefereeProfile()
		}
	})
	if l.err != nil {
		return nil, l.err
	}
	if root := l.model.Weights().Root(); hex.EncodeToString(root[:]) != reg.WeightsRoot {
		return nil, fmt.Errorf("weight root %x, registered %s", root, reg.WeightsRoot)
	}
	// A model the chain could not referee, or one larger than it declared,
	// is refused by every validator alike.
	if l.stepErr != nil {
		return nil, l.stepErr
	}
	if err := l.step.Admitted(declaredStep(reg)); err != nil {
		return nil, err
	}
	// Version 3's groups use the room the registration declared, as the
	// referee's do: the same declaration, so the same leaves.
	return l.model.AtVersionDeclared(v, declaredStep(reg))
}

// declaredStep is the registration's declared largest referee step.
func declaredStep(reg evaluationtypes.Model) runtime.RefereeStep {
	return runtime.Declared(reg.RefereeStepBytes, reg.RefereeStepFlops)
}

// subject parses the artifact as a language model in its registered
// format, checks its weight root, applies the registered system prompt and
// gives it runtime version v's trace leaves (the evaluation's).
func (c *computer) subject(l *loaded, reg evaluationtypes.Model, v uint32) (*llm.Subject, error) {
	l.lmOnce.Do(func() { l.lm, l.lmErr = llm.Open(reg.Format, l.raw, c.limits) })
	if l.lmErr != nil {
		return nil, l.lmErr
	}
	if hex.EncodeToString(l.lm.Root[:]) != reg.WeightsRoot {
		return nil, fmt.Errorf("weight root %x, registered %s", l.lm.Root, reg.WeightsRoot)
	}
	if step := l.lm.RefereeStep(len(l.raw)); step != (runtime.RefereeStep{}) {
		if err := step.Admitted(declaredStep(reg)); err != nil {
			return nil, err
		}
	}
	s, err := l.lm.Subject(reg.SystemPrompt)
	if err != nil {
		return nil, err
	}
	return s.AtVersion(v)
}
