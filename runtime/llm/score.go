package llm

import (
	"fmt"
	"math"

	"github.com/delphi-network/delphi/runtime"
)

// Score leaves. After an item's stage leaves its trace commits to how the
// item was scored, so a side that reports the honest trace with another
// score is caught by the trace itself:
//
//	value leaves  one per likelihood stage (option, prior, verdict), in
//	              stage order: the stage's log-likelihood, the float64's
//	              bits as int64 [1]
//	points        the item's points, int64 [1]: NextPoints of the verse
//	              (next), 1 or 0 for the option with the highest pointwise
//	              mutual information against the answer (choice), for the
//	              first word of the picks against the target or the judge's
//	              verdict (generate)
//	total         the points of this item and every earlier one: the
//	              previous item's total (its last leaf) plus points
//
// So a run's last leaf is its score. Each is a deterministic function of
// earlier leaves of the item and the item itself (proven against the item
// root), which the referee recomputes like any operator.

// valued reports whether a stage's log-likelihood is a value leaf.
func valued(k StageKind) bool { return k == StageOption || k == StagePrior || k == StageVerdict }

// scoreLeaves is the number of score leaves after an item's stages.
func (t *Task) scoreLeaves() int {
	n := 2 // points, total
	for _, s := range t.Stages() {
		if valued(s.Kind) {
			n++
		}
	}
	return n
}

// stagesLeaves is the number of an item's stage leaves (before its score
// leaves).
func (t *Task) stagesLeaves() int {
	n := 0
	for _, s := range t.Stages() {
		n += t.stageLeaves(s)
	}
	return n
}

// locateScore places score leaf r (0 = the first value leaf) of an item.
func (t *Task) locateScore(r int) (Loc, error) {
	base, v := 0, 0
	for i, s := range t.Stages() {
		if valued(s.Kind) {
			if v == r {
				return Loc{Stage: s, Pos: i, Base: base, Part: PartValue, Model: t.subject(s)}, nil
			}
			v++
		}
		base += t.stageLeaves(s)
	}
	switch r - v {
	case 0:
		return Loc{Part: PartPoints, Model: t.Cand}, nil
	case 1:
		return Loc{Part: PartTotal, Model: t.Cand}, nil
	}
	return Loc{}, fmt.Errorf("score leaf %d outside the %d of an item", r, v+2)
}

// valueLeaves are the per-item indices of the value leaves, in stage order.
func (t *Task) valueLeaves() []int {
	var out []int
	at := t.stagesLeaves()
	for _, s := range t.Stages() {
		if valued(s.Kind) {
			out = append(out, at)
			at++
		}
	}
	return out
}

// pointsLeaf is the per-item index of the points leaf.
func (t *Task) pointsLeaf() int { return t.LeavesPerItem() - 2 }

// ValueTensor is a value leaf: a log-likelihood's float64 bits, every NaN
// as the one canonical quiet NaN (a NaN made by the CPU — +Inf − +Inf in
// a log-probability — has the CPU's sign bit: amd64 sets it, arm64 not).
func ValueTensor(v float64) *runtime.Tensor {
	if v != v {
		return runtime.ScoreTensor(int64(CanonicalNaN64))
	}
	return runtime.ScoreTensor(int64(math.Float64bits(v)))
}

// CanonicalNaN64 is the encoding of every NaN value leaf.
const CanonicalNaN64 uint64 = 0x7ff8000000000000

// logLikelihood is the log-likelihood of ids[from:] under a run's logits
// rows (row p−1 predicts token p), summed in position order in float64.
func logLikelihood(logits []float32, V int, ids []int, from int) float64 {
	var lp float64
	for p := from; p < len(ids); p++ {
		lp += float64(logProb(logits[(p-1)*V:p*V], ids[p]))
	}
	return lp
}

// nextScore scores a verse's tokens after its first: greedy hits, the
// tokens scored, their bits (−log2 p) and their bytes.
func nextScore(m *Subject, logits []float32, ids []int, from int) (correct, scored int, bits float64, bytes int) {
	V := m.Tok.VocabSize()
	for p := from; p < len(ids); p++ {
		row := logits[(p-1)*V : p*V]
		if Argmax(row) == ids[p] {
			correct++
		}
		scored++
		bits += -float64(logProb(row, ids[p])) / math.Ln2
		bytes += len(m.Tok.Token(ids[p]))
	}
	return correct, scored, bits, bytes
}

// choicePoint is 1 when the option whose context raises its likelihood
// most over the option alone (pointwise mutual information; the lowest
// index on ties) is the answer.
func choicePoint(cond, prior [ChoiceOptions]float64, answer int) int {
	best, bestPMI := -1, math.Inf(-1)
	for o := range cond {
		if pmi := cond[o] - prior[o]; pmi > bestPMI {
			best, bestPMI = o, pmi
		}
	}
	if best == answer {
		return 1
	}
	return 0
}

// judgedPoint is 1 when the judge's " yes" is more likely than its " no"
// (a tie is "no").
func judgedPoint(yes, no float64) int {
	if yes > no {
		return 1
	}
	return 0
}

// exactPoint is 1 when the first word of the picks is the item's target.
func (t *Task) exactPoint(it TextItem, picks []int) (int, error) {
	answer, err := t.answer(picks)
	if err != nil {
		return 0, err
	}
	if answer == it.Target {
		return 1, nil
	}
	return 0, nil
}

// scoreSources lists what a score leaf reads.
func (t *Task) scoreSources(item int64, l Loc) ([]Source, error) {
	switch l.Part {
	case PartValue:
		srcs := t.tokenSources(l.Stage)
		return append(srcs, Source{Kind: SourceLeaf, Leaf: l.Base + 1 + l.Model.logits}), nil
	case PartPoints:
		switch {
		case t.Kind == KindNext:
			return []Source{{Kind: SourceItem}, {Kind: SourceLeaf, Leaf: 1 + t.Cand.logits}}, nil
		case t.Kind == KindGenerate && t.Judge == nil:
			srcs := []Source{{Kind: SourceItem}}
			for _, p := range t.pickLeaves(GenerateTokens) {
				srcs = append(srcs, Source{Kind: SourceLeaf, Leaf: p})
			}
			return srcs, nil
		}
		var srcs []Source
		if t.Kind == KindChoice {
			srcs = append(srcs, Source{Kind: SourceItem})
		}
		for _, v := range t.valueLeaves() {
			srcs = append(srcs, Source{Kind: SourceLeaf, Leaf: v})
		}
		return srcs, nil
	case PartTotal:
		srcs := []Source{{Kind: SourceLeaf, Leaf: t.pointsLeaf()}}
		if item > 0 {
			srcs = append(srcs, Source{Kind: SourceLeaf, Leaf: -1})
		}
		return srcs, nil
	}
	return nil, fmt.Errorf("not a score leaf")
}

// recomputeScore recomputes a score leaf from proven inputs.
func (t *Task) recomputeScore(item int64, l Loc, in Inputs) (*runtime.Tensor, error) {
	switch l.Part {
	case PartValue:
		x, err := t.provenInput(l.Stage, in)
		if err != nil {
			return nil, err
		}
		logits, err := t.provenLogits(l, in)
		if err != nil {
			return nil, err
		}
		return ValueTensor(logLikelihood(logits, l.Model.Tok.VocabSize(), x.ids, x.from)), nil
	case PartPoints:
		return t.recomputePoints(in)
	case PartTotal:
		points, err := provenInt(in, t.pointsLeaf())
		if err != nil {
			return nil, err
		}
		if points < 0 || points > int64(PointsPerItem(t.Kind)) {
			return nil, fmt.Errorf("points %d outside [0, %d]", points, PointsPerItem(t.Kind))
		}
		var before int64
		if item > 0 {
			if before, err = provenInt(in, -1); err != nil {
				return nil, err
			}
		}
		return runtime.ScoreTensor(before + points), nil
	}
	return nil, fmt.Errorf("not a score leaf")
}

// recomputePoints is an item's points from its proven leaves and the item.
func (t *Task) recomputePoints(in Inputs) (*runtime.Tensor, error) {
	var points int
	switch {
	case t.Kind == KindNext:
		stage := Stage{Kind: StageScore}
		x, err := t.input(in.Item, stage, nil)
		if err != nil {
			return nil, err
		}
		logits, err := t.provenLogits(Loc{Stage: stage, Base: 0, Model: t.Cand}, in)
		if err != nil {
			return nil, err
		}
		_, _, bits, bytes := nextScore(t.Cand, logits, x.ids, x.from)
		points = NextPoints(bits, bytes)
	case t.Kind == KindGenerate && t.Judge == nil:
		picks, err := t.provenPicks(GenerateTokens, in)
		if err != nil {
			return nil, err
		}
		if points, err = t.exactPoint(in.Item, picks); err != nil {
			return nil, err
		}
	default:
		var vals []float64
		for _, leaf := range t.valueLeaves() {
			v, err := provenInt(in, leaf)
			if err != nil {
				return nil, err
			}
			vals = append(vals, math.Float64frombits(uint64(v)))
		}
		if t.Kind == KindChoice {
			var cond, prior [ChoiceOptions]float64
			for o := 0; o < ChoiceOptions; o++ { // stages alternate option, prior
				cond[o], prior[o] = vals[2*o], vals[2*o+1]
			}
			points = choicePoint(cond, prior, in.Item.Answer)
		} else {
			points = judgedPoint(vals[0], vals[1])
		}
	}
	return runtime.ScoreTensor(int64(points)), nil
}

// provenInput is a stage's input rebuilt from the proven item and picks.
func (t *Task) provenInput(s Stage, in Inputs) (input, error) {
	picks, err := t.provenPicks(picksBefore(s), in)
	if err != nil {
		return input{}, err
	}
	return t.input(in.Item, s, picks)
}

// provenLogits reads a stage's logits leaf: float32 [1, window, vocab].
func (t *Task) provenLogits(l Loc, in Inputs) ([]float32, error) {
	logits, err := in.Leaf(l.Base + 1 + l.Model.logits)
	if err != nil {
		return nil, err
	}
	W, V := l.Model.Window, l.Model.Tok.VocabSize()
	if logits.DType != runtime.Float32 || len(logits.F) != W*V {
		return nil, fmt.Errorf("logits must be float32 [1, %d, %d]", W, V)
	}
	return logits.F, nil
}

// provenInt reads an int64 [1] leaf.
func provenInt(in Inputs, leaf int) (int64, error) {
	v, err := in.Leaf(leaf)
	if err != nil {
		return 0, err
	}
	if v.DType != runtime.Int64 || len(v.I) != 1 || len(v.Shape) != 1 {
		return 0, fmt.Errorf("leaf %d must be int64 [1]", leaf)
	}
	return v.I[0], nil
}

// picksBefore is how many picks a stage's input reads.
func picksBefore(s Stage) int {
	switch s.Kind {
	case StageGenerate:
		return s.Index
	case StageVerdict:
		return GenerateTokens
	}
	return 0
}

// tokenSources are what a stage's input reads: the item and its picks.
func (t *Task) tokenSources(s Stage) []Source {
	srcs := []Source{{Kind: SourceItem}}
	for _, p := range t.pickLeaves(picksBefore(s)) {
		srcs = append(srcs, Source{Kind: SourceLeaf, Leaf: p})
	}
	return srcs
}
