package runtime

import "fmt"

// Score leaves. A classifier's trace commits to more than its operator
// outputs: after an item's operator leaves come four leaves that score it,
// each an int64 tensor of shape [1]:
//
//	label       the item's label (read from the benchmark item)
//	prediction  argmax of graph output 0 (lowest index on ties, NaN never
//	            wins), read from that output's leaf
//	points      1 if prediction == label, else 0
//	total       the points of this item and every earlier one: the previous
//	            item's total (its last leaf) plus points
//
// So the trace's last leaf is the run's score: a claim's `correct` must be
// the value that leaf commits to, and a side that lies only about its
// score is caught at the score leaves, whose every step the referee can
// recompute from agreed leaves and the item proven against the item root.
const ScoreLeaves = 4

// Score leaf positions after an item's operator leaves.
const (
	scoreLabel = iota
	scorePrediction
	scorePoints
	scoreTotal
)

// FromLabel inputs are the benchmark item's label, proven against the
// item root like FromItem; the referee passes it as an int64 [1] tensor.
const FromLabel SourceKind = FromItem + 1

// LeavesPerItem is the number of trace leaves per item: the operator
// outputs, then the score leaves.
func (m *Model) LeavesPerItem() int { return m.Program.LeavesPerItem() + ScoreLeaves }

// ScoreTensor is a score leaf's value.
func ScoreTensor(v int64) *Tensor { return &Tensor{DType: Int64, Shape: []int{1}, I: []int64{v}} }

// Prediction is a classifier's prediction from graph output 0: its argmax,
// the lowest index on ties, NaN never winning.
func Prediction(logits *Tensor) int64 { return int64(Argmax(logits.F)) }

// Scores are the score leaves of one item, from its prediction, its label
// and the total of the items before it.
func Scores(pred int64, label int, before int64) [ScoreLeaves]int64 {
	var points int64
	if pred == int64(label) {
		points = 1
	}
	return [ScoreLeaves]int64{int64(label), pred, points, before + points}
}

// logitsLeaf is the leaf of graph output 0, which the prediction reads.
func (m *Model) logitsLeaf() (int, error) {
	l, ok := m.Program.OutputLeaf(0)
	if !ok {
		return 0, fmt.Errorf("the model's first output is not computed by an operator: it cannot be scored")
	}
	return l, nil
}

// LeafSources says where the inputs of leaf `local` of item `item` come
// from: an operator leaf's are its node's (Program.LeafNode); a score
// leaf's are the label (FromLabel), earlier leaves of the item, and, for
// the total of every item after the first, the previous item's total
// (FromLeaf with Leaf −1: the leaf just before the item's first).
func (m *Model) LeafSources(item int64, local int) ([]InputSource, error) {
	ops := m.Program.LeavesPerItem()
	if local < ops {
		_, srcs, err := m.Program.LeafNode(local)
		return srcs, err
	}
	switch local - ops {
	case scoreLabel:
		return []InputSource{{Kind: FromLabel, Name: "label"}}, nil
	case scorePrediction:
		l, err := m.logitsLeaf()
		if err != nil {
			return nil, err
		}
		return []InputSource{{Kind: FromLeaf, Leaf: l, Name: "logits"}}, nil
	case scorePoints:
		return []InputSource{{Kind: FromLeaf, Leaf: ops + scoreLabel, Name: "label"},
			{Kind: FromLeaf, Leaf: ops + scorePrediction, Name: "prediction"}}, nil
	case scoreTotal:
		srcs := []InputSource{{Kind: FromLeaf, Leaf: ops + scorePoints, Name: "points"}}
		if item > 0 {
			srcs = append(srcs, InputSource{Kind: FromLeaf, Leaf: -1, Name: "previous total"})
		}
		return srcs, nil
	}
	return nil, fmt.Errorf("leaf %d outside [0, %d)", local, m.LeavesPerItem())
}

// RecomputeLeaf recomputes leaf `local` from its inputs in LeafSources
// order: an operator leaf by Program.Recompute, a score leaf by its rule.
func (m *Model) RecomputeLeaf(local int, inputs []*Tensor) (*Tensor, error) {
	ops := m.Program.LeavesPerItem()
	if local < ops {
		return m.Program.Recompute(local, inputs)
	}
	one := func(i int) (int64, error) {
		t := inputs[i]
		if t == nil || t.DType != Int64 || len(t.Shape) != 1 || t.Shape[0] != 1 || len(t.I) != 1 {
			return 0, fmt.Errorf("score input %d must be int64 [1]", i)
		}
		return t.I[0], nil
	}
	need := func(n int) error {
		if len(inputs) != n {
			return fmt.Errorf("score leaf %d reads %d inputs, got %d", local, n, len(inputs))
		}
		return nil
	}
	switch local - ops {
	case scoreLabel:
		if err := need(1); err != nil {
			return nil, err
		}
		v, err := one(0)
		if err != nil {
			return nil, err
		}
		return ScoreTensor(v), nil
	case scorePrediction:
		if err := need(1); err != nil {
			return nil, err
		}
		l, err := m.logitsLeaf()
		if err != nil {
			return nil, err
		}
		want, err := m.Program.LeafInfo(l)
		if err != nil {
			return nil, err
		}
		t := inputs[0]
		if t == nil || t.DType != want.DType || !sameShape(t.Shape, want.Shape) ||
			(!t.DType.ints() && len(t.F) != numel(t.Shape)) || (t.DType.ints() && len(t.I) != numel(t.Shape)) {
			return nil, fmt.Errorf("logits must be %s %v", want.DType, want.Shape)
		}
		return ScoreTensor(Prediction(t)), nil
	case scorePoints:
		if err := need(2); err != nil {
			return nil, err
		}
		label, err := one(0)
		if err != nil {
			return nil, err
		}
		pred, err := one(1)
		if err != nil {
			return nil, err
		}
		var points int64
		if pred == label {
			points = 1
		}
		return ScoreTensor(points), nil
	case scoreTotal:
		if len(inputs) != 1 && len(inputs) != 2 {
			return nil, fmt.Errorf("a total reads 1 or 2 inputs, got %d", len(inputs))
		}
		var sum int64
		for i := range inputs {
			v, err := one(i)
			if err != nil {
				return nil, err
			}
			if v < 0 || v > 1<<40 {
				return nil, fmt.Errorf("score input %d: %d out of range", i, v)
			}
			sum += v
		}
		return ScoreTensor(sum), nil
	}
	return nil, fmt.Errorf("leaf %d outside [0, %d)", local, m.LeavesPerItem())
}
