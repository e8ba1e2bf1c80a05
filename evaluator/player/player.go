// Package player plays one side of a Verde dispute from a local run: it
// builds the reveal for a bisection step and the operator inputs for the
// referee step from the run's stored trace, model and benchmark. The
// evaluator sidecar uses it for its validator; tests use it to play both
// sides.
package player

import (
	"encoding/hex"
	"fmt"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
	"github.com/delphi-network/delphi/x/verde/types"
)

// Run is a local evaluation of one (evaluation, round, model): what a side
// needs to defend its claim.
type Run struct {
	Trace *runtime.Trace
	// Items are the round's dataset indices in run order.
	Items []int
	// A classifier's run: its ONNX artifact, the model and the dataset.
	Artifact []byte
	Model    *runtime.Model
	Dataset  *bench.Benchmark
	// Text is a language model's run on a text benchmark instead.
	Text *TextRun
}

// Root is the run's trace root, hex.
func (r Run) Root() string {
	h := r.Trace.Root()
	return hex.EncodeToString(h[:])
}

// SideOf returns the side of d whose claim is (root, correct), if any: two
// sides may share a root and differ only in the score they claim.
func SideOf(d types.Dispute, root string, correct uint64) types.Side {
	switch {
	case root == d.Claimant.TraceRoot && correct == d.Claimant.Correct:
		return types.SIDE_CLAIMANT
	case root == d.Challenger.TraceRoot && correct == d.Challenger.Correct:
		return types.SIDE_CHALLENGER
	}
	return types.SIDE_UNSPECIFIED
}

// NextMove returns the message side should send now for d, or nil when the
// dispute does not wait for that side.
func NextMove(submitter string, d types.Dispute, side types.Side, run Run) (sdk.Msg, error) {
	if d.Status != types.DISPUTE_STATUS_OPEN || side == types.SIDE_UNSPECIFIED {
		return nil, nil
	}
	waiting := false
	for _, s := range types.WaitingFor(d) {
		waiting = waiting || s == side
	}
	if !waiting {
		return nil, nil
	}
	switch d.Phase {
	case types.PHASE_BISECT:
		return Reveal(submitter, d, side, run)
	case types.PHASE_REFEREE:
		return Justify(submitter, d, side, run)
	}
	return nil, nil
}

// Reveal is the side's leaf at the step's index with its Merkle proof.
func Reveal(submitter string, d types.Dispute, side types.Side, run Run) (*types.MsgBisect, error) {
	return types.RevealLeaf(submitter, d, side, run.Trace)
}

// Justify builds the referee step for the side: the artifact and the
// non-weight inputs of the operator behind leaf hi, recomputed from the
// round's item and proven against the side's own trace.
func Justify(submitter string, d types.Dispute, side types.Side, run Run) (*types.MsgSubmitOperatorInputs, error) {
	if run.Text != nil {
		return justifyText(submitter, d, side, run)
	}
	per := int64(run.Model.LeavesPerItem())
	item, local := d.Hi/per, int(d.Hi%per)
	if item >= int64(len(run.Items)) {
		return nil, fmt.Errorf("leaf %d is past the run's %d items", d.Hi, len(run.Items))
	}
	srcs, err := run.Model.LeafSources(item, local)
	if err != nil {
		return nil, err
	}
	outputs, err := itemLeaves(run, item)
	if err != nil {
		return nil, err
	}
	msg := &types.MsgSubmitOperatorInputs{Submitter: submitter, DisputeId: d.Id, Side: side}
	tree := run.Model.Weights()
	proof, err := tree.ProveSkeleton()
	if err != nil {
		return nil, err
	}
	msg.Parts = append(msg.Parts, types.ModelPart{ModelId: d.ModelId, Index: 0, Data: runtime.SkeletonLeafData(run.Model.Skeleton()),
		Proof: types.Siblings(proof), LeafCount: proof.LeafCount})
	for _, s := range srcs {
		switch s.Kind {
		case runtime.FromWeight:
			t := run.Model.Graph.Initializers[s.Name]
			if t == nil || t.DType != runtime.Float32 || hasPart(msg.Parts, s.Name, tree) {
				continue // an integer constant travels in the skeleton
			}
			i, proof, err := tree.Prove(s.Name)
			if err != nil {
				return nil, err
			}
			msg.Parts = append(msg.Parts, types.ModelPart{ModelId: d.ModelId, Index: uint64(i), Data: runtime.WeightLeafData(s.Name, t),
				Proof: types.Siblings(proof), LeafCount: proof.LeafCount})
		case runtime.FromLeaf:
			j := item*per + int64(s.Leaf)
			leaf, proof, err := run.Trace.Prove(int(j))
			if err != nil {
				return nil, err
			}
			t := outputs[s.Leaf]
			if t == nil || s.Leaf >= local {
				return nil, fmt.Errorf("leaf %d's output was not observed", s.Leaf)
			}
			msg.Inputs = append(msg.Inputs, types.OperatorInput{Tensor: types.TensorMessage(t), LeafIndex: j,
				Leaf: types.FormatLeaf(leaf), Proof: types.Siblings(proof)})
		case runtime.FromItem, runtime.FromLabel:
			idx := run.Items[item]
			proof, err := run.Dataset.ProveItem(idx)
			if err != nil {
				return nil, err
			}
			msg.Inputs = append(msg.Inputs, types.OperatorInput{ItemEncoding: run.Dataset.ItemEncoding(idx), ItemProof: types.Siblings(proof)})
		}
	}
	return msg, nil
}

// hasPart reports whether the named weight is already among the parts (an
// operator may read one weight twice).
func hasPart(parts []types.ModelPart, name string, tree *runtime.WeightTree) bool {
	i, _, err := tree.Prove(name)
	for _, p := range parts {
		if err == nil && p.Index == uint64(i) {
			return true
		}
	}
	return false
}

// Perturb returns a copy of tr whose leaf k's output hash is flipped: the
// trace of a byzantine run that lies about one operator output (leaves
// after k keep their outputs, so only the accumulators follow the lie).
func Perturb(tr *runtime.Trace, k int) *runtime.Trace {
	out := &runtime.Trace{}
	for i := 0; i < tr.Len(); i++ {
		o := tr.Leaf(i).Output
		if i == k {
			o[0] ^= 0xff
		}
		out.Append(o)
	}
	return out
}

// itemLeaves are the values of item's leaves in the run, by leaf index
// within the item: the operator leaves at the run's runtime version and
// the score leaves, and at −1
// the previous item's total (the score of the items before it).
func itemLeaves(run Run, item int64) (map[int]*runtime.Tensor, error) {
	x, label := run.Dataset.Item(run.Items[item])
	out := map[int]*runtime.Tensor{}
	if _, err := run.Model.Program.Run([]*runtime.Tensor{x}, 1, func(l int, t *runtime.Tensor) { out[l] = t }); err != nil {
		return nil, err
	}
	var before int64
	if item > 0 {
		prev, err := run.Model.Evaluate(run.Dataset, run.Items[:item], runtime.EvalOptions{})
		if err != nil {
			return nil, err
		}
		before = int64(prev.Correct)
		out[-1] = runtime.ScoreTensor(before)
	}
	ops := run.Model.Program.LeavesPerItem()
	l, ok := run.Model.Program.OutputLeaf(0)
	if !ok {
		return nil, fmt.Errorf("the model's first output is not computed by an operator")
	}
	for i, v := range runtime.Scores(runtime.Prediction(out[l]), label, before) {
		out[ops+i] = runtime.ScoreTensor(v)
	}
	return out, nil
}
