package keeper

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/llm"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/verde/types"
)

// textReferee is the referee of a language model's run on a text
// benchmark (runtime/llm.Task): every leaf is a stage's input tokens, an
// operator output or a greedy pick, recomputed from proven inputs. A GGUF
// model reaches it as proven parts of its weight tree (config, tokenizer,
// the operator's weights), an ONNX model as its whole artifact.
type textReferee struct {
	k     Keeper
	p     types.Params
	task  *llm.Task
	cand  uint64 // registered model ids
	judge uint64
	parts map[partKey]llm.Verified
}

type partKey struct {
	model uint64
	name  string
}

// textReferee builds the referee of a text evaluation recorded at runtime
// version v: its leaves are version v's.
func (k Keeper) textReferee(ctx context.Context, msg *types.MsgSubmitOperatorInputs, b evaluationtypes.Benchmark, p types.Params, v uint32) (referee, error) {
	d, err := k.Disputes.Get(ctx, msg.DisputeId)
	if err != nil {
		return nil, err
	}
	kind, _ := llm.KindOf(b.DatasetName())
	r := &textReferee{k: k, p: p, cand: d.ModelId, judge: b.JudgeModelId, parts: map[partKey]llm.Verified{},
		task: &llm.Task{Kind: kind, JudgePrompt: b.JudgePrompt}}
	if err := r.verifyParts(ctx, msg.Parts); err != nil {
		return nil, err
	}
	if err := r.checkArtifacts(ctx, msg); err != nil {
		return nil, err
	}
	if r.task.Cand, err = r.subject(ctx, d.ModelId, msg.Model, msg.Artifacts); err != nil {
		return nil, err
	}
	if b.JudgeModelId != 0 {
		if r.task.Judge, err = r.subject(ctx, b.JudgeModelId, msg.Model, msg.Artifacts); err != nil {
			return nil, err
		}
	}
	if r.task, err = r.task.AtVersion(v); err != nil {
		return nil, errorsmod.Wrap(types.ErrBadArtifact, err.Error())
	}
	if err := r.task.Check(); err != nil {
		return nil, errorsmod.Wrap(types.ErrBadArtifact, err.Error())
	}
	return r, nil
}

// verifyParts proves every part against its model's registered weight
// root; a part of a model the step does not read, or a repeated one, is
// refused.
func (r *textReferee) verifyParts(ctx context.Context, parts []types.ModelPart) error {
	sizes := map[uint64]uint64{} // model → the tree size its parts claim
	for i, part := range parts {
		if part.ModelId != r.cand && (r.judge == 0 || part.ModelId != r.judge) {
			return errorsmod.Wrapf(types.ErrBadInputs, "part %d is of model %d, which this step does not read", i, part.ModelId)
		}
		reg, err := r.k.eval.GetModel(ctx, part.ModelId)
		if err != nil {
			return err
		}
		if reg.Format != "gguf" {
			return errorsmod.Wrapf(types.ErrBadInputs, "part %d: model %d is %s; only GGUF models are proven by parts", i, part.ModelId, reg.Format)
		}
		root, err := parseRoot(reg.WeightsRoot)
		if err != nil {
			return errorsmod.Wrap(types.ErrBadArtifact, err.Error())
		}
		// Every part of a model claims the same tree size, and the config
		// part pins it to the model's tensor count: a proof never relies
		// on a size the model does not have.
		if n, seen := sizes[part.ModelId]; seen && n != part.LeafCount {
			return errorsmod.Wrapf(types.ErrBadProof, "part %d: a tree of %d leaves, earlier parts of model %d say %d", i, part.LeafCount, part.ModelId, n)
		}
		sizes[part.ModelId] = part.LeafCount
		proof, err := parseProof(part.LeafCount, part.Proof)
		if err != nil {
			return err
		}
		v, err := llm.VerifyPart(root, part.Index, part.Data, proof)
		if err != nil {
			return errorsmod.Wrapf(types.ErrBadProof, "part %d of model %d: %v", i, part.ModelId, err)
		}
		if v.Config != nil && part.LeafCount != uint64(len(llm.Names(*v.Config))+2) {
			return errorsmod.Wrapf(types.ErrBadProof, "part %d: a tree of %d leaves for a model of %d tensors", i, part.LeafCount, len(llm.Names(*v.Config)))
		}
		key := partKey{part.ModelId, v.Name}
		if _, dup := r.parts[key]; dup {
			return errorsmod.Wrapf(types.ErrBadInputs, "part %q of model %d given twice", v.Name, part.ModelId)
		}
		r.parts[key] = v
	}
	return nil
}

// checkArtifacts refuses whole artifacts the step does not read: the
// disputed model's belongs in the model field, a judge's in artifacts
// (once), and only an ONNX model travels whole; a GGUF model is proven by
// parts.
func (r *textReferee) checkArtifacts(ctx context.Context, msg *types.MsgSubmitOperatorInputs) error {
	onnx := func(id uint64) error {
		reg, err := r.k.eval.GetModel(ctx, id)
		if err != nil {
			return err
		}
		if reg.Format != "onnx" {
			return errorsmod.Wrapf(types.ErrBadInputs, "model %d is %s: it is proven by parts, not by its artifact", id, reg.Format)
		}
		return nil
	}
	if len(msg.Model) > 0 {
		if err := onnx(r.cand); err != nil {
			return err
		}
	}
	seen := map[uint64]bool{}
	for i, a := range msg.Artifacts {
		if r.judge == 0 || a.ModelId != r.judge {
			return errorsmod.Wrapf(types.ErrBadInputs, "artifact %d is of model %d, which is not the benchmark's judge", i, a.ModelId)
		}
		if seen[a.ModelId] {
			return errorsmod.Wrapf(types.ErrBadInputs, "artifact of model %d given twice", a.ModelId)
		}
		seen[a.ModelId] = true
		if err := onnx(a.ModelId); err != nil {
			return err
		}
	}
	return nil
}

// subject builds a registered model's subject: a GGUF model's skeleton
// from its proven config and tokenizer, an ONNX model from its artifact
// (the disputed model's in the message's model field, a judge's in
// artifacts).
func (r *textReferee) subject(ctx context.Context, id uint64, model []byte, artifacts []types.ModelArtifact) (*llm.Subject, error) {
	reg, err := r.k.eval.GetModel(ctx, id)
	if err != nil {
		return nil, err
	}
	lim := runtime.DefaultLimits()
	if reg.Format == "gguf" {
		c, okC := r.parts[partKey{id, llm.PartConfig}]
		t, okT := r.parts[partKey{id, llm.PartTokenizer}]
		if !okC || !okT || c.Config == nil || t.Tok == nil {
			return nil, errorsmod.Wrapf(types.ErrBadInputs, "model %d: the config and tokenizer parts are required", id)
		}
		cost := llm.SkeletonCost(*c.Config)
		if cost < 0 || uint64(cost) > r.p.MaxRefereeFlops {
			return nil, errorsmod.Wrapf(types.ErrTooLarge, "model %d: a skeleton costing %d above max_referee_flops %d", id, cost, r.p.MaxRefereeFlops)
		}
		sdk.UnwrapSDKContext(ctx).GasMeter().ConsumeGas(uint64(cost)/100, "verde referee skeleton")
		s, err := llm.SkeletonSubject(*c.Config, t.Tok, reg.SystemPrompt, lim)
		if err != nil {
			return nil, errorsmod.Wrapf(types.ErrBadArtifact, "model %d: %v", id, err)
		}
		return s, nil
	}
	raw := model
	if id != r.cand || len(raw) == 0 {
		raw = nil
		for _, a := range artifacts {
			if a.ModelId == id {
				raw = a.Artifact
			}
		}
	}
	if raw == nil {
		return nil, errorsmod.Wrapf(types.ErrBadInputs, "model %d: its artifact is required", id)
	}
	sum := sha256.Sum256(raw)
	if hex.EncodeToString(sum[:]) != reg.WeightsSha256 {
		return nil, errorsmod.Wrapf(types.ErrBadArtifact, "model %d: artifact SHA-256 %x, registered %s", id, sum, reg.WeightsSha256)
	}
	m, err := llm.Open(reg.Format, raw, lim)
	if err != nil {
		return nil, errorsmod.Wrapf(types.ErrBadArtifact, "model %d: %v", id, err)
	}
	if hex.EncodeToString(m.Root[:]) != reg.WeightsRoot {
		return nil, errorsmod.Wrapf(types.ErrBadArtifact, "model %d: weight root %x, registered %s", id, m.Root, reg.WeightsRoot)
	}
	s, err := m.Subject(reg.SystemPrompt)
	if err != nil {
		return nil, errorsmod.Wrapf(types.ErrBadArtifact, "model %d: %v", id, err)
	}
	return s, nil
}

func (r *textReferee) leavesPerItem() int64 { return int64(r.task.LeavesPerItem()) }

// recompute proves the inputs that leaf hi's sources name, in order, and
// recomputes it, bounded and charged by its cost.
func (r *textReferee) recompute(ctx context.Context, d *types.Dispute, side types.Party, items uint32, given []types.OperatorInput) (*runtime.Tensor, []types.InputLeaf, error) {
	per := r.leavesPerItem()
	item, local := d.Hi/per, int(d.Hi%per)
	srcs, err := r.task.Sources(item, local)
	if err != nil {
		return nil, nil, errorsmod.Wrap(types.ErrBadInputs, err.Error())
	}
	leaves := map[int]*runtime.Tensor{}
	var used []types.InputLeaf
	var it *llm.TextItem
	next := 0
	for i, s := range srcs {
		if s.Kind == llm.SourceWeight {
			continue // proven parts, not inputs
		}
		if next >= len(given) {
			return nil, nil, errorsmod.Wrapf(types.ErrBadInputs, "input %d missing (%d given)", i, len(given))
		}
		in := given[next]
		next++
		switch s.Kind {
		case llm.SourceLeaf:
			j := item*per + int64(s.Leaf)
			t, err := r.k.proveLeafInput(d, side, j, in)
			if err != nil {
				return nil, nil, errorsmod.Wrapf(types.ErrBadInputs, "input %d: %v", i, err)
			}
			leaves[s.Leaf] = t
			used = append(used, types.InputLeaf{Index: j, Leaf: in.Leaf})
		case llm.SourceItem:
			enc, err := r.k.proveItemEncoding(ctx, d, items, item, in)
			if err != nil {
				return nil, nil, err
			}
			decoded, err := llm.DecodeTextItem(enc)
			if err != nil {
				return nil, nil, errorsmod.Wrapf(types.ErrBadInputs, "input %d: %v", i, err)
			}
			it = &decoded
		}
	}
	if next != len(given) {
		return nil, nil, errorsmod.Wrapf(types.ErrBadInputs, "%d inputs given, the leaf reads %d", len(given), next)
	}
	var item0 llm.TextItem
	if it != nil {
		item0 = *it
	}
	cost, err := r.task.Cost(local, item0)
	if err != nil {
		return nil, nil, errorsmod.Wrap(types.ErrBadInputs, err.Error())
	}
	if cost < 0 || uint64(cost) > r.p.MaxRefereeFlops {
		return nil, nil, errorsmod.Wrapf(types.ErrTooLarge, "leaf %d costs %d, above max_referee_flops %d", local, cost, r.p.MaxRefereeFlops)
	}
	sdk.UnwrapSDKContext(ctx).GasMeter().ConsumeGas(uint64(cost)/100, "verde referee arithmetic")
	out, err := r.task.Recompute(item, local, llm.Inputs{
		Item: item0,
		Leaf: func(l int) (*runtime.Tensor, error) {
			if t, ok := leaves[l]; ok {
				return t, nil
			}
			return nil, errorsmod.Wrapf(types.ErrBadInputs, "leaf %d was not given", l)
		},
		Weight: func(judge bool, name string) (*runtime.Tensor, error) {
			id := r.cand
			if judge {
				id = r.judge
			}
			v, ok := r.parts[partKey{id, name}]
			if !ok || v.Tensor == nil {
				return nil, errorsmod.Wrapf(types.ErrBadInputs, "weight %q of model %d was not given", name, id)
			}
			return v.Tensor, nil
		},
	})
	if err != nil {
		return nil, nil, errorsmod.Wrap(types.ErrBadInputs, err.Error())
	}
	return out, used, nil
}
