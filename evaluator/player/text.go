package player

import (
	"fmt"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/llm"
	"github.com/delphi-network/delphi/x/verde/types"
)

// TextRun is a language model's run on a text benchmark: the task (the
// candidate and any judge, as run) and what the referee gets of each model.
type TextRun struct {
	Task  *llm.Task
	Bench *llm.TextBench
	Cand  Material
	Judge *Material
}

// Material is one registered language model as the referee receives it: a
// GGUF model as proven parts of its weight tree, an ONNX model as its
// whole artifact.
type Material struct {
	ID       uint64
	Model    *llm.Model
	Artifact []byte
}

// justifyText builds the referee step for leaf hi of a text run: the
// models' config and tokenizer (or artifacts), the leaf's inputs from a
// recomputation of its item, each earlier leaf proven against the side's
// trace, the item against the item root, weights against the weight root.
func justifyText(submitter string, d types.Dispute, side types.Side, run Run) (*types.MsgSubmitOperatorInputs, error) {
	t := run.Text
	per := int64(t.Task.LeavesPerItem())
	item, local := d.Hi/per, int(d.Hi%per)
	if item >= int64(len(run.Items)) {
		return nil, fmt.Errorf("leaf %d is past the run's %d items", d.Hi, len(run.Items))
	}
	idx := run.Items[item]
	srcs, err := t.Task.Sources(item, local)
	if err != nil {
		return nil, err
	}
	var want []int
	for _, s := range srcs {
		if s.Kind == llm.SourceLeaf && s.Leaf >= 0 {
			want = append(want, s.Leaf)
		}
	}
	vals, err := t.Task.LeafValues(t.Bench.Items[idx], want)
	if err != nil {
		return nil, err
	}
	if hasPrevious(srcs) { // a total reads the previous item's: the points of the items before
		prev, _, err := t.Task.Evaluate(t.Bench, run.Items[:item], false)
		if err != nil {
			return nil, err
		}
		vals[-1] = runtime.ScoreTensor(int64(prev.Points))
	}
	msg := &types.MsgSubmitOperatorInputs{Submitter: submitter, DisputeId: d.Id, Side: side}
	if err := t.Cand.attach(msg, true); err != nil {
		return nil, err
	}
	if t.Judge != nil {
		if err := t.Judge.attach(msg, false); err != nil {
			return nil, err
		}
	}
	for _, s := range srcs {
		switch s.Kind {
		case llm.SourceLeaf:
			j := item*per + int64(s.Leaf)
			leaf, proof, err := run.Trace.Prove(int(j))
			if err != nil {
				return nil, err
			}
			msg.Inputs = append(msg.Inputs, types.OperatorInput{Tensor: types.TensorMessage(vals[s.Leaf]), LeafIndex: j,
				Leaf: types.FormatLeaf(leaf), Proof: types.Siblings(proof)})
		case llm.SourceItem:
			proof, err := t.Bench.ProveItem(idx)
			if err != nil {
				return nil, err
			}
			msg.Inputs = append(msg.Inputs, types.OperatorInput{ItemEncoding: t.Bench.ItemEncoding(idx), ItemProof: types.Siblings(proof)})
		case llm.SourceWeight:
			m := t.Cand
			if s.Judge {
				if t.Judge == nil {
					return nil, fmt.Errorf("leaf %d reads a judge weight without a judge", local)
				}
				m = *t.Judge
			}
			if err := m.part(msg, s.Name); err != nil {
				return nil, err
			}
		}
	}
	return msg, nil
}

// attach adds what the referee always needs of the model: a GGUF model's
// config and tokenizer, an ONNX model's artifact (the disputed model's in
// the message's model field).
func (m Material) attach(msg *types.MsgSubmitOperatorInputs, disputed bool) error {
	if m.Model.Tree == nil {
		if disputed {
			msg.Model = m.Artifact
		} else {
			msg.Artifacts = append(msg.Artifacts, types.ModelArtifact{ModelId: m.ID, Artifact: m.Artifact})
		}
		return nil
	}
	for _, name := range []string{llm.PartConfig, llm.PartTokenizer} {
		if err := m.part(msg, name); err != nil {
			return err
		}
	}
	return nil
}

// part adds one proven leaf of the model's weight tree.
func (m Material) part(msg *types.MsgSubmitOperatorInputs, name string) error {
	if m.Model.Tree == nil {
		return fmt.Errorf("model %d has no weight tree to prove %s against", m.ID, name)
	}
	i, data, proof, err := m.Model.Tree.Prove(name)
	if err != nil {
		return err
	}
	msg.Parts = append(msg.Parts, types.ModelPart{ModelId: m.ID, Index: uint64(i), Data: data, Proof: types.Siblings(proof), LeafCount: proof.LeafCount})
	return nil
}

// hasPrevious reports whether a leaf reads the previous item's total.
func hasPrevious(srcs []llm.Source) bool {
	for _, s := range srcs {
		if s.Kind == llm.SourceLeaf && s.Leaf == -1 {
			return true
		}
	}
	return false
}
