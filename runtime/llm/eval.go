package llm

import (
	"encoding/hex"
	"fmt"
	"math"
	"strings"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/tokenizer"
)

// Evaluator scores a language model on text benchmarks through the runtime
// graph, one program run per scored sequence, so with tracing on every
// operator output of every run is a trace leaf (the same commitment as any
// other model's evaluation). The model's registered system prompt is
// prepended to every item.
type Evaluator struct {
	vocab  int
	tok    *tokenizer.BPE
	prog   *runtime.Program
	window int
	system []int
	// MaxNew bounds generated tokens per kjv-complete item.
	MaxNew int
	// Judge, when set, decides kjv-complete items instead of exact match:
	// it reads JudgePrompt with {prompt}, {answer} and {reference} filled in
	// and the verdict is " yes" if its log-likelihood beats " no". Its runs
	// are traced with the candidate's, so Verde can referee the verdict too.
	Judge       *Evaluator
	JudgePrompt string
}

// DefaultJudgePrompt asks for a yes/no verdict on a completion.
const DefaultJudgePrompt = "Verse: {prompt} ...\nExpected word: {reference}\nGiven word: {answer}\nDo the words match? Answer yes or no:"

// verdict runs the judge on its prompt twice, once per verdict, and says
// whether " yes" is the likelier continuation (a tie is "no").
func (e *Evaluator) verdict(prompt string, tr *runtime.Trace) (bool, int, error) {
	verdicts := [2][]int{e.tok.Encode([]byte(" yes")), e.tok.Encode([]byte(" no"))}
	// Both verdicts follow the same context: the prompt's tail that leaves
	// room for the longer one.
	ctx := e.fitBody(e.tok.Encode([]byte(prompt)), e.window-len(e.system)-max(len(verdicts[0]), len(verdicts[1])))
	if len(e.system)+len(ctx) == 0 {
		return false, 0, fmt.Errorf("the judge's prompt is empty")
	}
	var lps [2]float64
	runs := 0
	for i, vt := range verdicts {
		ids := append(append([]int{}, e.system...), ctx...)
		start := len(ids)
		ids = append(ids, vt...)
		logits, err := e.run(ids, tr)
		runs++
		if err != nil {
			return false, runs, err
		}
		for p := start; p < len(ids); p++ {
			lps[i] += float64(logProb(logits[(p-1)*e.vocab:p*e.vocab], ids[p]))
		}
	}
	return lps[0] > lps[1], runs, nil
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
	return NewProgramEvaluator(p, tok, w.Config.Context, systemPrompt)
}

// NewONNXEvaluator evaluates a model loaded from ONNX.
func NewONNXEvaluator(m *ONNXModel, systemPrompt string) (*Evaluator, error) {
	return NewProgramEvaluator(m.Program, m.Tok, m.Window, systemPrompt)
}

// MinWindow is the shortest window an evaluator runs: room for a system
// prompt, a context and the generated tokens.
const MinWindow = 32

// NewProgramEvaluator evaluates a compiled program whose input is int64
// tokens [1, window] and whose output is logits [1, window, vocab].
func NewProgramEvaluator(p *runtime.Program, tok *tokenizer.BPE, window int, systemPrompt string) (*Evaluator, error) {
	T := window
	if T < MinWindow {
		return nil, fmt.Errorf("a window of %d tokens is too short to evaluate text (at least %d)", T, MinWindow)
	}
	e := &Evaluator{vocab: tok.VocabSize(), tok: tok, prog: p, window: T, MaxNew: 8}
	if systemPrompt != "" {
		e.system = tok.Encode([]byte(systemPrompt + "\n"))
		if len(e.system) >= T/2 {
			return nil, fmt.Errorf("the system prompt takes %d tokens, more than half the %d-token context", len(e.system), T)
		}
	}
	return e, nil
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
	TraceRoot   string  `json:"trace_root,omitempty"`
	Leaves      int     `json:"leaves,omitempty"`
	Runs        int     `json:"runs"` // program runs (sequences evaluated)
}

// run evaluates one sequence (at most the window; padded with token 0,
// which the causal mask keeps from touching earlier rows) and returns its
// logits rows.
func (e *Evaluator) run(ids []int, tr *runtime.Trace) ([]float32, error) {
	in := make([]int64, e.window)
	for i, t := range ids {
		in[i] = int64(t)
	}
	x, _ := runtime.FromInts([]int{1, e.window}, in)
	var observe func(int, *runtime.Tensor)
	if tr != nil {
		observe = func(_ int, t *runtime.Tensor) { tr.Append(runtime.OutputHash(t)) }
	}
	out, err := e.prog.Run([]*runtime.Tensor{x}, 1, observe)
	if err != nil {
		return nil, err
	}
	return out[0].F, nil
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

// fitBody keeps the last tokens of body that fit in `room` positions
// (at least one).
func (e *Evaluator) fitBody(body []int, room int) []int {
	room = max(room, 1)
	if len(body) > room {
		body = body[len(body)-room:]
	}
	return body
}

// fit is the system prompt followed by fitBody.
func (e *Evaluator) fit(body []int, room int) []int {
	return append(append([]int{}, e.system...), e.fitBody(body, room)...)
}

// Evaluate scores items (indices into b.Items) in order.
func (e *Evaluator) Evaluate(b *TextBench, items []int, trace bool) (TextResult, error) {
	res := TextResult{Benchmark: b.Name, BenchHash: b.Hash(), Items: len(items)}
	var tr *runtime.Trace
	if trace {
		tr = &runtime.Trace{}
	}
	V := e.vocab
	var bits float64
	bytes := 0
	for _, idx := range items {
		if idx < 0 || idx >= len(b.Items) {
			return res, fmt.Errorf("item %d outside the %d items of %s", idx, len(b.Items), b.Name)
		}
		it := b.Items[idx]
		switch it.Kind {
		case KindNext:
			body := e.tok.Encode([]byte(it.Context))
			room := e.window - len(e.system)
			if len(body) > room {
				body = body[:room] // score the verse's first `room` tokens
			}
			ids := append(append([]int{}, e.system...), body...)
			logits, err := e.run(ids, tr)
			res.Runs++
			if err != nil {
				return res, err
			}
			// The verse's first token is never scored, with or without a
			// system prompt, so every model is scored on the same tokens.
			for p := len(e.system) + 1; p < len(ids); p++ {
				row := logits[(p-1)*V : p*V]
				if Argmax(row) == ids[p] {
					res.Correct++
				}
				res.Scored++
				bits += -float64(logProb(row, ids[p])) / math.Ln2
				bytes += len(e.tok.Token(ids[p]))
			}
		case KindChoice:
			// Options longer than the window less one context token are scored
			// on their first tokens; every option follows the same context,
			// the verse's tail that leaves room for the longest option.
			opts := make([][]int, len(it.Options))
			longest := 0
			for o, opt := range it.Options {
				opts[o] = e.tok.Encode([]byte(opt))
				if maxOpt := e.window - len(e.system) - 1; len(opts[o]) > maxOpt {
					opts[o] = opts[o][:maxOpt]
				}
				longest = max(longest, len(opts[o]))
			}
			ctx := e.fitBody(e.tok.Encode([]byte(it.Context)), e.window-len(e.system)-longest)
			if len(e.system)+len(ctx) == 0 {
				return res, fmt.Errorf("item %d has no context to score options after", idx)
			}
			best, bestLP := -1, math.Inf(-1)
			for o, ot := range opts {
				ids := append(append([]int{}, e.system...), ctx...)
				start := len(ids)
				ids = append(ids, ot...)
				logits, err := e.run(ids, tr)
				res.Runs++
				if err != nil {
					return res, err
				}
				var lp float64
				for p := start; p < len(ids); p++ {
					lp += float64(logProb(logits[(p-1)*V:p*V], ids[p]))
				}
				if lp > bestLP {
					best, bestLP = o, lp
				}
			}
			res.Scored++
			if best == it.Answer {
				res.Correct++
			}
		case KindGenerate:
			ids := e.fit(e.tok.Encode([]byte(it.Context)), e.window-len(e.system)-e.MaxNew)
			if len(ids) == 0 {
				return res, fmt.Errorf("item %d has no prompt to continue", idx)
			}
			// Always MaxNew runs, even once the word is complete, so every
			// item contributes the same number of trace leaves.
			var gen []int
			for len(gen) < e.MaxNew {
				logits, err := e.run(ids, tr)
				res.Runs++
				if err != nil {
					return res, err
				}
				next := Argmax(logits[(len(ids)-1)*V : len(ids)*V])
				ids = append(ids, next)
				gen = append(gen, next)
			}
			res.Scored++
			answer := firstWord(e.decode(gen))
			if e.Judge == nil {
				if answer == it.Target {
					res.Correct++
				}
				break
			}
			tmpl := e.JudgePrompt
			if tmpl == "" {
				tmpl = DefaultJudgePrompt
			}
			prompt := strings.NewReplacer("{prompt}", it.Context, "{answer}", answer, "{reference}", it.Target).Replace(tmpl)
			yes, runs, err := e.Judge.verdict(prompt, tr)
			res.Runs += runs
			if err != nil {
				return res, fmt.Errorf("judge: %w", err)
			}
			if yes {
				res.Correct++
			}
		default:
			return res, fmt.Errorf("item %d has unknown kind %q", idx, it.Kind)
		}
	}
	if res.Scored > 0 {
		res.Accuracy = float64(res.Correct) / float64(res.Scored)
	}
	if bytes > 0 {
		res.BitsPerByte = bits / float64(bytes)
	}
	if tr != nil {
		root := tr.Root()
		res.TraceRoot, res.Leaves = hex.EncodeToString(root[:]), tr.Len()
	}
	return res, nil
}

func (e *Evaluator) decode(ids []int) string {
	b, _ := e.tok.Decode(ids) // ids come from the model's own vocabulary
	return string(b)
}

// firstWord returns the first run of letters after optional spaces.
func firstWord(s string) string {
	i := 0
	for i < len(s) && s[i] == ' ' {
		i++
	}
	j := i
	for j < len(s) && isLetter(s[j]) {
		j++
	}
	return s[i:j]
}
