package llm

import (
	"fmt"

	"github.com/delphi-network/delphi/runtime"
)

// Referee support for text evaluations: which inputs one leaf of an item
// reads, and its recomputation from proven inputs. Verde (x/verde) proves
// each input and calls Recompute; the evaluator's player supplies them.

// SourceKind says how an input of a refereed leaf is proven.
type SourceKind uint8

const (
	// SourceLeaf is an earlier leaf of the same item (Leaf: its per-item
	// index), proven against the side's trace.
	SourceLeaf SourceKind = iota + 1
	// SourceItem is the benchmark item, proven against the item root.
	SourceItem
	// SourceWeight is a weight of the candidate or the judge (Judge),
	// proven against that model's weight root.
	SourceWeight
)

// Source is one input of a refereed leaf.
type Source struct {
	Kind  SourceKind
	Leaf  int
	Name  string
	Judge bool
}

// Proven marks a Subject built from its config alone (Skeleton): its
// weights come from the referee's proven inputs. Names lists them.
func (s *Subject) Proven(names []string) {
	s.proven = map[string]bool{}
	for _, n := range names {
		s.proven[n] = true
	}
}

// Sources lists what leaf `local` of item `item` (its position in the
// run) reads, in the order Recompute consumes them. A program's constants
// (rope tables, masks, shapes) and the weights of a model whose whole
// artifact the referee holds are not listed: the program has them. The
// total of every item after the first reads the previous item's total:
// SourceLeaf −1, the leaf just before the item's first.
func (t *Task) Sources(item int64, local int) ([]Source, error) {
	l, err := t.Locate(local)
	if err != nil {
		return nil, err
	}
	switch l.Part {
	case PartValue, PartPoints, PartTotal:
		return t.scoreSources(item, l)
	case PartTokens:
		return t.tokenSources(l.Stage), nil
	case PartPick:
		return []Source{{Kind: SourceItem}, {Kind: SourceLeaf, Leaf: l.Base + 1 + l.Model.logits}}, nil
	}
	_, in, err := l.Model.Prog.LeafNode(l.Op)
	if err != nil {
		return nil, err
	}
	var srcs []Source
	for _, s := range in {
		switch s.Kind {
		case runtime.FromLeaf:
			srcs = append(srcs, Source{Kind: SourceLeaf, Leaf: l.Base + 1 + s.Leaf})
		case runtime.FromItem: // the run's input: the stage's tokens leaf
			srcs = append(srcs, Source{Kind: SourceLeaf, Leaf: l.Base})
		case runtime.FromWeight:
			if l.Model.proven[s.Name] {
				srcs = append(srcs, Source{Kind: SourceWeight, Name: s.Name, Judge: l.Stage.Kind == StageVerdict})
			}
		}
	}
	return srcs, nil
}

// Inputs are the proven values Recompute reads: the item, earlier leaves
// by per-item index, and proven weights.
type Inputs struct {
	Item   TextItem
	Leaf   func(local int) (*runtime.Tensor, error)
	Weight func(judge bool, name string) (*runtime.Tensor, error)
}

// Recompute computes leaf `local` of item `item` from proven inputs: a
// stage's tokens from the item and the earlier picks, a pick from the item
// and its stage's logits, an operator output with the reference kernel, a
// score leaf by its rule (score.go).
func (t *Task) Recompute(item int64, local int, in Inputs) (*runtime.Tensor, error) {
	l, err := t.Locate(local)
	if err != nil {
		return nil, err
	}
	switch l.Part {
	case PartValue, PartPoints, PartTotal:
		return t.recomputeScore(item, l, in)
	case PartTokens:
		x, err := t.provenInput(l.Stage, in)
		if err != nil {
			return nil, err
		}
		return padded(x.ids, l.Model.Window), nil
	case PartPick:
		// The pick's row depends only on the prompt's length: the earlier
		// picks' values do not move it.
		x, err := t.input(in.Item, l.Stage, make([]int, l.Stage.Index))
		if err != nil {
			return nil, err
		}
		logits, err := in.Leaf(l.Base + 1 + l.Model.logits)
		if err != nil {
			return nil, err
		}
		W, V := l.Model.Window, l.Model.Tok.VocabSize()
		if logits.DType != runtime.Float32 || len(logits.F) != W*V {
			return nil, fmt.Errorf("logits must be float32 [1, %d, %d]", W, V)
		}
		p := len(x.ids) - 1
		return pickTensor(Argmax(logits.F[p*V : (p+1)*V])), nil
	}
	_, srcs, err := l.Model.Prog.LeafNode(l.Op)
	if err != nil {
		return nil, err
	}
	args := make([]*runtime.Tensor, len(srcs))
	for i, s := range srcs {
		switch s.Kind {
		case runtime.FromLeaf:
			args[i], err = in.Leaf(l.Base + 1 + s.Leaf)
		case runtime.FromItem:
			args[i], err = in.Leaf(l.Base)
		case runtime.FromWeight:
			if l.Model.proven[s.Name] {
				args[i], err = in.Weight(l.Stage.Kind == StageVerdict, s.Name)
			} else if args[i] = l.Model.Prog.Initializer(s.Name); args[i] == nil {
				err = fmt.Errorf("no initializer %q", s.Name)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("input %d (%s): %w", i, s.Name, err)
		}
	}
	return l.Model.Prog.Recompute(l.Op, args)
}

// provenPicks reads the first n picks from their proven leaves: int64 [1]
// tokens of the candidate's vocabulary.
func (t *Task) provenPicks(n int, in Inputs) ([]int, error) {
	var picks []int
	for _, leaf := range t.pickLeaves(n) {
		v, err := in.Leaf(leaf)
		if err != nil {
			return nil, err
		}
		if v.DType != runtime.Int64 || len(v.I) != 1 || len(v.Shape) != 1 || v.I[0] < 0 || v.I[0] >= int64(t.Cand.Tok.VocabSize()) {
			return nil, fmt.Errorf("leaf %d is not a token of the candidate's vocabulary", leaf)
		}
		picks = append(picks, int(v.I[0]))
	}
	return picks, nil
}

// Cost is an upper bound on the arithmetic of recomputing leaf `local`,
// what a referee bounds and charges: an operator's FLOPs, a pick's scan of
// the logits, the tokenization of a stage's text.
func (t *Task) Cost(local int, it TextItem) (int64, error) {
	l, err := t.Locate(local)
	if err != nil {
		return 0, err
	}
	switch l.Part {
	case PartOp:
		return l.Model.Prog.LeafFLOPs(l.Op)
	case PartPick, PartValue:
		return int64(l.Model.Window) * int64(l.Model.Tok.VocabSize()), nil
	case PartTotal:
		return 1, nil
	case PartPoints:
		if t.Kind == KindNext { // a log-softmax per scored row
			return int64(t.Cand.Window) * int64(t.Cand.Tok.VocabSize()), nil
		}
	}
	// Tokenizing a chunk of n bytes costs at most n merge passes of n
	// pairs; the text is the item's plus a judge prompt.
	n := int64(len(it.Encode()) + len(t.JudgePrompt) + len(DefaultJudgePrompt) + 64*GenerateTokens)
	return n * n / 8, nil
}

// LeafValues recomputes one item (no trace) and returns the values of the
// wanted per-item leaves: what a player sends with a referee step. The
// total leaf counts earlier items, which one item does not know: it is
// refused (a step never reads its own item's total).
func (t *Task) LeafValues(it TextItem, want []int) (map[int]*runtime.Tensor, error) {
	need := map[int]bool{}
	total := t.LeavesPerItem() - 1
	for _, w := range want {
		if w == total {
			return nil, fmt.Errorf("leaf %d is the running total, which depends on earlier items", w)
		}
		need[w] = true
	}
	out := map[int]*runtime.Tensor{}
	at := 0
	if _, err := t.runItem(it, 0, func(x *runtime.Tensor) {
		if need[at] {
			out[at] = x
		}
		at++
	}, true); err != nil {
		return nil, err
	}
	for _, w := range want {
		if out[w] == nil {
			return nil, fmt.Errorf("leaf %d is not a leaf of the item", w)
		}
	}
	return out, nil
}
