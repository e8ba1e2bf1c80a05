package llm

import (
	"encoding/hex"
	"fmt"
	"math"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/tokenizer"
)

// Evaluator scores a language model on text benchmarks through the runtime
// graph (see Task for the trace it commits to). The model's registered
// system prompt is prepended to every item.
type Evaluator struct {
	subject *Subject
	// Judge, when set, decides kjv-complete items instead of exact match:
	// it reads JudgePrompt with {prompt}, {answer} and {reference} filled in
	// and the verdict is " yes" if its log-likelihood beats " no". Its runs
	// are traced with the candidate's, so Verde can referee the verdict too.
	Judge       *Evaluator
	JudgePrompt string
	// Workers bounds the goroutines one operator uses (results do not
	// depend on it); 0 means 1.
	Workers int
}

// NewEvaluator compiles the model over a window of the model's full context.
func NewEvaluator(w *Weights, tok *tokenizer.BPE, systemPrompt string) (*Evaluator, error) {
	if tok.VocabSize() != w.Config.Vocab {
		return nil, fmt.Errorf("tokenizer has %d tokens, the model %d", tok.VocabSize(), w.Config.Vocab)
	}
	g, err := Graph(w, w.Config.Context)
	if err != nil {
		return nil, err
	}
	p, err := runtime.Compile(g, runtime.DefaultLimits())
	if err != nil {
		return nil, err
	}
	return NewProgramEvaluator(p, tok, w.Config.Context, systemPrompt, w.Config.Template)
}

// NewONNXEvaluator evaluates a model loaded from ONNX.
func NewONNXEvaluator(m *ONNXModel, systemPrompt string) (*Evaluator, error) {
	return NewProgramEvaluator(m.Program, m.Tok, m.Window, systemPrompt, m.Config.Template)
}

// NewProgramEvaluator evaluates a compiled program whose input is int64
// tokens [1, window] and whose output is logits [1, window, vocab].
func NewProgramEvaluator(p *runtime.Program, tok *tokenizer.BPE, window int, systemPrompt string, template tokenizer.Template) (*Evaluator, error) {
	s, err := NewSubject(p, tok, window, systemPrompt, template)
	if err != nil {
		return nil, err
	}
	return &Evaluator{subject: s}, nil
}

// Subject is the compiled model the evaluator runs.
func (e *Evaluator) Subject() *Subject { return e.subject }

// AtVersion is the evaluator (and its judge) with runtime version v's
// trace leaves.
func (e *Evaluator) AtVersion(v uint32) (*Evaluator, error) {
	s, err := e.subject.AtVersion(v)
	if err != nil {
		return nil, err
	}
	c := *e
	c.subject = s
	if e.Judge != nil {
		if c.Judge, err = e.Judge.AtVersion(v); err != nil {
			return nil, err
		}
	}
	return &c, nil
}

// Task is the evaluator's task on a benchmark of the given item kind.
func (e *Evaluator) Task(kind string) (*Task, error) {
	t := &Task{Kind: kind, Cand: e.subject, JudgePrompt: e.JudgePrompt, Workers: e.Workers}
	if e.Judge != nil {
		t.Judge = e.Judge.subject
	}
	return t, t.Check()
}

// TextResult is one model's score on a text benchmark.
type TextResult struct {
	Benchmark   string  `json:"benchmark"`
	BenchHash   string  `json:"benchmark_sha256"`
	Items       int     `json:"items"`
	Correct     int     `json:"correct"`  // items right (choice, generate) or tokens right (next)
	Scored      int     `json:"scored"`   // items (choice, generate) or predicted tokens (next)
	Accuracy    float64 `json:"accuracy"` // Correct / Scored
	BitsPerByte float64 `json:"bits_per_byte,omitempty"`
	// Points is the score the chain records: the sum over items of
	// ItemPoints (at most PointsPerItem each).
	Points    int    `json:"points"`
	TraceRoot string `json:"trace_root,omitempty"`
	Leaves    int    `json:"leaves,omitempty"`
	Runs      int    `json:"runs"` // program runs (sequences evaluated)
}

// Evaluate scores items (indices into b.Items) in order.
func (e *Evaluator) Evaluate(b *TextBench, items []int, trace bool) (TextResult, error) {
	kind, err := b.Kind()
	if err != nil {
		return TextResult{Benchmark: b.Name}, err
	}
	t, err := e.Task(kind)
	if err != nil {
		return TextResult{Benchmark: b.Name}, err
	}
	res, tr, err := t.Evaluate(b, items, trace)
	if tr != nil {
		root := tr.Root()
		res.TraceRoot, res.Leaves = hex.EncodeToString(root[:]), tr.Len()
	}
	return res, err
}

// Evaluate runs the task on items of b in order and returns the scores
// and, when trace is set, the trace.
func (t *Task) Evaluate(b *TextBench, items []int, trace bool) (TextResult, *runtime.Trace, error) {
	res := TextResult{Benchmark: b.Name, BenchHash: b.Hash(), Items: len(items)}
	if err := t.Check(); err != nil {
		return res, nil, err
	}
	var tr *runtime.Trace
	if trace {
		tr = &runtime.Trace{}
	}
	var bits float64
	bytes := 0
	for _, idx := range items {
		if idx < 0 || idx >= len(b.Items) {
			return res, nil, fmt.Errorf("item %d outside the %d items of %s", idx, len(b.Items), b.Name)
		}
		var emit func(*runtime.Tensor)
		if tr != nil {
			emit = func(x *runtime.Tensor) { tr.Append(runtime.OutputHash(x)) }
		}
		s, err := t.runItem(b.Items[idx], int64(res.Points), emit, false)
		res.Runs += s.runs
		if err != nil {
			return res, nil, fmt.Errorf("item %d: %w", idx, err)
		}
		res.Correct += s.correct
		res.Scored += s.scored
		res.Points += s.points
		bits += s.bits
		bytes += s.bytes
	}
	if res.Scored > 0 {
		res.Accuracy = float64(res.Correct) / float64(res.Scored)
	}
	if bytes > 0 {
		res.BitsPerByte = bits / float64(bytes)
	}
	return res, tr, nil
}

// itemScore is one item's outcome.
type itemScore struct {
	correct, scored, points int
	bits                    float64 // next: −log2 p of the scored tokens
	bytes                   int     // next: their bytes
	runs                    int
}

// runItem runs every step of one item and scores it; emit, when set,
// receives every leaf of the item in trace order (stage leaves, then the
// score leaves, the total counting from before). keeps says emit holds on
// to the tensors it receives; otherwise the runs' intermediate buffers are
// reused by the next run.
func (t *Task) runItem(it TextItem, before int64, emit func(*runtime.Tensor), keeps bool) (itemScore, error) {
	var sc itemScore
	var picks []int
	var values []float64
	workers := max(t.Workers, 1)
	for _, s := range t.Stages() {
		m := t.subject(s)
		in, err := t.input(it, s, picks)
		if err != nil {
			return sc, err
		}
		x := padded(in.ids, m.Window)
		var observe func(int, *runtime.Tensor)
		if emit != nil {
			emit(x)
			observe = func(_ int, o *runtime.Tensor) { emit(o) }
		}
		run := m.Prog.RunRecycled // emit hashes what it is given and keeps nothing
		if keeps {
			run = m.Prog.Run
		}
		out, err := run([]*runtime.Tensor{x}, workers, observe)
		sc.runs++
		if err != nil {
			return sc, err
		}
		V := m.Tok.VocabSize()
		switch s.Kind {
		case StageScore:
			c, n, bits, bytes := nextScore(m, out[0].F, in.ids, in.from)
			sc.correct, sc.scored, sc.bits, sc.bytes = sc.correct+c, sc.scored+n, sc.bits+bits, sc.bytes+bytes
		case StageOption, StagePrior, StageVerdict:
			values = append(values, logLikelihood(out[0].F, V, in.ids, in.from))
		case StageGenerate:
			p := len(in.ids) - 1
			next := Argmax(out[0].F[p*V : (p+1)*V])
			picks = append(picks, next)
			if emit != nil {
				emit(pickTensor(next))
			}
		}
	}
	switch t.Kind {
	case KindNext:
		sc.points = NextPoints(sc.bits, sc.bytes)
	case KindChoice:
		// Pointwise mutual information: how much the context raises each
		// option's likelihood over the option alone, so that short or
		// common continuations do not win by being likely anywhere.
		var cond, prior [ChoiceOptions]float64
		for o := 0; o < ChoiceOptions; o++ { // stages alternate option, prior
			cond[o], prior[o] = values[2*o], values[2*o+1]
		}
		sc.scored, sc.points = 1, choicePoint(cond, prior, it.Answer)
	case KindGenerate:
		sc.scored = 1
		if t.Judge != nil {
			sc.points = judgedPoint(values[0], values[1])
		} else {
			p, err := t.exactPoint(it, picks)
			if err != nil {
				return sc, err
			}
			sc.points = p
		}
	}
	if t.Kind != KindNext {
		sc.correct = sc.points
	}
	if emit != nil {
		for _, v := range values {
			emit(ValueTensor(v))
		}
		emit(runtime.ScoreTensor(int64(sc.points)))
		emit(runtime.ScoreTensor(before + int64(sc.points)))
	}
	return sc, nil
}

// PointsPerItem is the most one item scores on a benchmark of the kind:
// 1000 on kjv-next (NextPoints), 1 (right or wrong) otherwise.
func PointsPerItem(kind string) int {
	if kind == KindNext {
		return 1000
	}
	return 1
}

// NextPoints scores a verse by compression: 1000·(1 − bits per byte / 8),
// rounded half up and clamped to [0, 1000]. Bits per byte compares models
// whatever their tokenizers; 8 bits per byte is what a model that knows
// nothing about the text pays.
func NextPoints(bits float64, bytes int) int {
	if bytes == 0 {
		return 0
	}
	// Every product is wrapped so no platform fuses it (the division by 8
	// is a product by 0.125 to the compiler).
	perByte := float64(bits / float64(bytes) / 8)
	v := math.Floor(float64(1000*float64(1-perByte)) + 0.5)
	if !(v > 0) { // also NaN
		return 0
	}
	return int(min(v, 1000))
}

// logProb is log p(target) from one logits row, in LogSoftmax's order.
func logProb(row []float32, target int) float32 {
	m := float32(math.Inf(-1))
	for _, v := range row {
		if v > m || v != v {
			m = v
		}
	}
	var s float32
	for _, v := range row {
		s = s + runtime.Exp(v-m)
	}
	return (row[target] - m) - runtime.Log(s)
}
