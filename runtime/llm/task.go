package llm

import (
	"fmt"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/tokenizer"
)

// A Task is one language model's evaluation on a text benchmark: the
// candidate model, the judge (kjv-complete only, optional) and the fixed
// list of steps every item runs. It defines the trace: for each item, in
// item order, each step contributes
//
//	1 tokens leaf    the int64 [1, window] input of the step's run (zero-padded)
//	L program leaves the run's operator leaves at the program's runtime
//	                 version (every output at 1, fused groups' at 2), in canonical order
//	1 pick leaf      generation steps only: the greedy token, int64 [1]
//
// then the item's score leaves (score.go: the stages' log-likelihoods, the
// item's points and the running total, so the last leaf is the score),
// so every leaf is either an operator output or a small deterministic
// function of the item and earlier leaves, and Verde can referee any of
// them (referee.go). The number of leaves per item is the same for every
// item of a benchmark.
type Task struct {
	Kind  string   // KindNext, KindChoice or KindGenerate
	Cand  *Subject // the model under evaluation
	Judge *Subject // decides generation items when set
	// JudgePrompt has {prompt}, {answer} and {reference}; empty means
	// DefaultJudgePrompt.
	JudgePrompt string
	// Workers bounds the goroutines one operator uses; results do not
	// depend on it.
	Workers int
}

// Subject is a compiled language model as a task runs it: a program from
// int64 tokens [1, Window] to float32 logits [1, Window, vocab], its
// tokenizer and its encoded system prompt.
type Subject struct {
	Prog   *runtime.Program
	Tok    *tokenizer.BPE
	Window int
	System []int           // the registered system prompt rendered with the chat template; empty without one
	logits int             // leaf index of the logits within one run
	proven map[string]bool // weights the referee proves (Skeleton programs)
}

// AtVersion is the task with runtime version v's trace leaves for its
// candidate and its judge.
func (t *Task) AtVersion(v uint32) (*Task, error) {
	c := *t
	var err error
	if t.Cand != nil {
		if c.Cand, err = t.Cand.AtVersion(v); err != nil {
			return nil, err
		}
	}
	if t.Judge != nil {
		if c.Judge, err = t.Judge.AtVersion(v); err != nil {
			return nil, err
		}
	}
	return &c, nil
}

// AtVersion is the subject with runtime version v's trace leaves
// (runtime.Program.AtVersion): what an evaluation recorded at version v
// computes and its referee recomputes. A language model takes no room at
// version 3 (its groups are version 2's, whatever it declares): the room is
// what a declaration exceeds the model's smallest step by, and a GGUF
// model's referee, built from its config and tokenizer parts, does not have
// the part sizes that step is counted from.
func (s *Subject) AtVersion(v uint32) (*Subject, error) {
	p, err := s.Prog.AtVersion(v)
	if err != nil {
		return nil, err
	}
	leaf, ok := p.OutputLeaf(0)
	if !ok {
		return nil, fmt.Errorf("the logits are not an operator output")
	}
	c := *s
	c.Prog, c.logits = p, leaf
	return &c, nil
}

// GenerateTokens is the number of greedy steps of a generation item: every
// item runs all of them (even once its word is complete), so leaves per
// item stay constant.
const GenerateTokens = 8

// ChoiceOptions is the number of candidates of a kjv-cloze item.
const ChoiceOptions = 4

// MinWindow is the shortest window a task runs: room for a system prompt,
// a context and the generated tokens.
const MinWindow = 32

// DefaultJudgePrompt asks for a yes/no verdict on a completion.
const DefaultJudgePrompt = "Verse: {prompt} ...\nExpected word: {reference}\nGiven word: {answer}\nDo the words match? Answer yes or no:"

// NewSubject checks a program's interface and renders the system prompt
// with the model's chat template (tok.System). The prompt may take at most
// half the window, so every item keeps room.
func NewSubject(p *runtime.Program, tok *tokenizer.BPE, window int, systemPrompt string, template tokenizer.Template) (*Subject, error) {
	if window < MinWindow {
		return nil, fmt.Errorf("a window of %d tokens is too short to evaluate text (at least %d)", window, MinWindow)
	}
	in := p.Inputs()
	if len(in) != 1 || in[0].DType != runtime.Int64 || len(in[0].Shape) != 2 || in[0].Shape[0] != 1 || in[0].Shape[1] != window {
		return nil, fmt.Errorf("want one int64 input [1, %d], have %v", window, in)
	}
	leaf, ok := p.OutputLeaf(0)
	if !ok {
		return nil, fmt.Errorf("the logits are not an operator output")
	}
	if sh := p.LeafShape(leaf); len(sh) != 3 || sh[0] != 1 || sh[1] != window || sh[2] != tok.VocabSize() {
		return nil, fmt.Errorf("logits %v, want [1, %d, %d] for the tokenizer's vocabulary", sh, window, tok.VocabSize())
	}
	s := &Subject{Prog: p, Tok: tok, Window: window, logits: leaf}
	if systemPrompt != "" {
		system, err := tok.System(template, systemPrompt)
		if err != nil {
			return nil, err
		}
		s.System = system
		if len(s.System) > window/2 {
			return nil, fmt.Errorf("the system prompt takes %d tokens, more than half the %d-token context", len(s.System), window)
		}
	}
	return s, nil
}

// StageKind says what one step of an item runs.
type StageKind uint8

const (
	// StageScore runs the verse once; every token after the first is scored.
	StageScore StageKind = iota + 1
	// StageOption runs candidate Index after the item's context.
	StageOption
	// StagePrior runs candidate Index after a bare newline: the baseline its
	// conditional log-likelihood is compared with.
	StagePrior
	// StageGenerate is greedy step Index: the prompt and the Index tokens
	// picked before it.
	StageGenerate
	// StageVerdict runs the judge on its prompt followed by verdict Index
	// (0 " yes", 1 " no").
	StageVerdict
)

// Stage is one run of an item.
type Stage struct {
	Kind  StageKind
	Index int
}

// Stages lists an item's runs in trace order.
func (t *Task) Stages() []Stage {
	var s []Stage
	switch t.Kind {
	case KindNext:
		s = append(s, Stage{Kind: StageScore})
	case KindChoice:
		for o := 0; o < ChoiceOptions; o++ {
			s = append(s, Stage{Kind: StageOption, Index: o}, Stage{Kind: StagePrior, Index: o})
		}
	case KindGenerate:
		for g := 0; g < GenerateTokens; g++ {
			s = append(s, Stage{Kind: StageGenerate, Index: g})
		}
		if t.Judge != nil {
			s = append(s, Stage{Kind: StageVerdict, Index: 0}, Stage{Kind: StageVerdict, Index: 1})
		}
	}
	return s
}

// subject is the model a step runs.
func (t *Task) subject(s Stage) *Subject {
	if s.Kind == StageVerdict {
		return t.Judge
	}
	return t.Cand
}

// stageLeaves is the number of leaves a step contributes.
func (t *Task) stageLeaves(s Stage) int {
	n := 1 + t.subject(s).Prog.LeavesPerItem()
	if s.Kind == StageGenerate {
		n++
	}
	return n
}

// LeavesPerItem is the number of trace leaves of one item: its stages',
// then its score leaves.
func (t *Task) LeavesPerItem() int { return t.stagesLeaves() + t.scoreLeaves() }

// Check validates the task's shape: a known kind, a judge only on
// generation items.
func (t *Task) Check() error {
	switch t.Kind {
	case KindNext, KindChoice, KindGenerate:
	default:
		return fmt.Errorf("unknown item kind %q", t.Kind)
	}
	if t.Cand == nil {
		return fmt.Errorf("a task needs a model")
	}
	if t.Judge != nil && t.Kind != KindGenerate {
		return fmt.Errorf("a judge decides only generation items, not %q", t.Kind)
	}
	return nil
}

// Part is what kind of leaf a leaf is.
type Part uint8

const (
	// PartTokens is a step's input.
	PartTokens Part = iota + 1
	// PartOp is an operator output of the step's run.
	PartOp
	// PartPick is a generation step's greedy token.
	PartPick
	// PartValue is a likelihood stage's log-likelihood (Stage, Base: the
	// stage it values).
	PartValue
	// PartPoints is the item's points.
	PartPoints
	// PartTotal is the running total of points, this item's included.
	PartTotal
)

// Loc places a per-item leaf: its step, the step's first (tokens) leaf and
// the part; Op is the leaf within the run for PartOp.
type Loc struct {
	Stage Stage
	Pos   int // index of the step in Steps
	Base  int // per-item index of the step's tokens leaf
	Part  Part
	Op    int
	Model *Subject
}

// Locate maps a per-item leaf index to its place.
func (t *Task) Locate(local int) (Loc, error) {
	if local < 0 {
		return Loc{}, fmt.Errorf("leaf %d is negative", local)
	}
	base := 0
	for i, s := range t.Stages() {
		n := t.stageLeaves(s)
		if local < base+n {
			l := Loc{Stage: s, Pos: i, Base: base, Model: t.subject(s)}
			switch r := local - base; {
			case r == 0:
				l.Part = PartTokens
			case r <= l.Model.Prog.LeavesPerItem():
				l.Part, l.Op = PartOp, r-1
			default:
				l.Part = PartPick
			}
			return l, nil
		}
		base += n
	}
	if l, err := t.locateScore(local - base); err == nil {
		return l, nil
	}
	return Loc{}, fmt.Errorf("leaf %d outside the %d leaves of an item", local, t.LeavesPerItem())
}

// pickLeaves are the per-item indices of the pick leaves of the first n
// generation steps.
func (t *Task) pickLeaves(n int) []int {
	var out []int
	base := 0
	for _, s := range t.Stages() {
		if s.Kind == StageGenerate && s.Index < n {
			out = append(out, base+t.stageLeaves(s)-1)
		}
		base += t.stageLeaves(s)
	}
	return out
}

// padded is a step's input tensor: ids then zeros, [1, window]. Zero
// padding is harmless: the causal mask keeps later positions from earlier
// rows, and only rows of real tokens are read.
func padded(ids []int, window int) *runtime.Tensor {
	in := make([]int64, window)
	for i, id := range ids {
		in[i] = int64(id)
	}
	x, _ := runtime.FromInts([]int{1, window}, in)
	return x
}

// pickTensor is a pick leaf's value.
func pickTensor(id int) *runtime.Tensor {
	x, _ := runtime.FromInts([]int{1}, []int64{int64(id)})
	return x
}
