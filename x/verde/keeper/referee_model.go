package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/merkle"
	"github.com/delphi-network/delphi/x/verde/types"
)

// referee recomputes leaf hi of a dispute from one side's proven inputs.
type referee interface {
	// leavesPerItem is the leaf count of one item's run.
	leavesPerItem() int64
	// recompute proves the side's inputs and recomputes the output at hi,
	// returning it with the input leaves it read.
	recompute(ctx context.Context, d *types.Dispute, side types.Party, items uint32, given []types.OperatorInput) (*runtime.Tensor, []types.InputLeaf, error)
}

// modelReferee is the referee of a classifier: the model compiled from its
// skeleton, with the float32 weights the disputed operator reads, each
// proven against the registered weight root. The step never carries the
// whole artifact, so a model is bounded by its largest operator.
type modelReferee struct {
	k       Keeper
	m       *runtime.Model
	weights map[string]*runtime.Tensor
	p       types.Params
}

// modelReferee builds the referee of a classifier evaluation recorded at
// runtime version v: its leaves are version v's.
func (k Keeper) modelReferee(ctx context.Context, modelID uint64, msg *types.MsgSubmitOperatorInputs, p types.Params, v uint32) (referee, error) {
	if len(msg.Model) > 0 || len(msg.Artifacts) > 0 {
		return nil, errorsmod.Wrap(types.ErrBadInputs, "a classifier's referee step carries its model as parts (the skeleton and the operator's weights), not as an artifact")
	}
	reg, err := k.eval.GetModel(ctx, modelID)
	if err != nil {
		return nil, err
	}
	if reg.Format != "onnx" {
		return nil, errorsmod.Wrapf(types.ErrBadArtifact, "model %d is %s, not an ONNX classifier", modelID, reg.Format)
	}
	root, err := parseRoot(reg.WeightsRoot)
	if err != nil {
		return nil, errorsmod.Wrap(types.ErrBadArtifact, err.Error())
	}
	m, weights, err := classifierParts(modelID, root, msg.Parts)
	if err != nil {
		return nil, err
	}
	// The registration's declaration shapes version 3's groups, as it
	// does in every sidecar (runtime.Model.AtVersionDeclared).
	if m, err = m.AtVersionDeclared(v, runtime.Declared(reg.RefereeStepBytes, reg.RefereeStepFlops)); err != nil {
		return nil, errorsmod.Wrap(types.ErrUnsupportedRuntime, err.Error())
	}
	return modelReferee{k: k, m: m, weights: weights, p: p}, nil
}

// classifierParts proves the step's parts against the model's weight root:
// exactly one skeleton (leaf 0), from which the model is compiled, and the
// float32 weights, each at its own leaf and of the shape the skeleton
// declares; a repeated part, one of another model, one the skeleton does
// not name or a tree size the skeleton does not have is refused.
func classifierParts(modelID uint64, root runtime.Hash, parts []types.ModelPart) (*runtime.Model, map[string]*runtime.Tensor, error) {
	var m *runtime.Model
	for i, part := range parts {
		if part.ModelId != modelID {
			return nil, nil, errorsmod.Wrapf(types.ErrBadInputs, "part %d is of model %d, the step reads only model %d", i, part.ModelId, modelID)
		}
		if part.Index != 0 {
			continue
		}
		if m != nil {
			return nil, nil, errorsmod.Wrap(types.ErrBadInputs, "the skeleton given twice")
		}
		if err := provePart(root, part); err != nil {
			return nil, nil, errorsmod.Wrapf(types.ErrBadProof, "part %d (the skeleton): %v", i, err)
		}
		skel, err := runtime.ParseSkeletonLeafData(part.Data)
		if err != nil {
			return nil, nil, errorsmod.Wrapf(types.ErrBadArtifact, "part %d: %v", i, err)
		}
		if m, err = runtime.LoadSkeleton(skel, runtime.DefaultLimits()); err != nil {
			return nil, nil, errorsmod.Wrapf(types.ErrBadArtifact, "the registered model's skeleton: %v", err)
		}
		if part.LeafCount != uint64(m.WeightLeaves()) {
			return nil, nil, errorsmod.Wrapf(types.ErrBadProof, "a tree of %d leaves for a model of %d", part.LeafCount, m.WeightLeaves())
		}
	}
	if m == nil {
		return nil, nil, errorsmod.Wrap(types.ErrBadInputs, "no skeleton (part at leaf 0): the referee compiles the model from it")
	}
	weights := map[string]*runtime.Tensor{}
	for i, part := range parts {
		if part.Index == 0 {
			continue
		}
		if part.LeafCount != uint64(m.WeightLeaves()) {
			return nil, nil, errorsmod.Wrapf(types.ErrBadProof, "part %d: a tree of %d leaves for a model of %d", i, part.LeafCount, m.WeightLeaves())
		}
		name, t, err := runtime.ParseWeightLeafData(part.Data, 1<<26)
		if err != nil {
			return nil, nil, errorsmod.Wrapf(types.ErrBadInputs, "part %d: %v", i, err)
		}
		if at, ok := m.WeightLeaf(name); !ok || uint64(at) != part.Index || !m.Graph.Stripped(name) {
			return nil, nil, errorsmod.Wrapf(types.ErrBadInputs, "part %d: %q at leaf %d is not a float32 weight of the model there", i, name, part.Index)
		}
		if want := m.Graph.Initializers[name]; t.DType != want.DType || !sameShape(t.Shape, want.Shape) {
			return nil, nil, errorsmod.Wrapf(types.ErrBadInputs, "part %d: %q is %v %v, the skeleton says %v %v", i, name, t.DType, t.Shape, want.DType, want.Shape)
		}
		if _, dup := weights[name]; dup {
			return nil, nil, errorsmod.Wrapf(types.ErrBadInputs, "part %q given twice", name)
		}
		if err := provePart(root, part); err != nil {
			return nil, nil, errorsmod.Wrapf(types.ErrBadProof, "part %d (%q): %v", i, name, err)
		}
		weights[name] = t
	}
	return m, weights, nil
}

// provePart checks a weight-tree leaf against the root.
func provePart(root runtime.Hash, part types.ModelPart) error {
	proof, err := parseProof(part.LeafCount, part.Proof)
	if err != nil {
		return err
	}
	return merkle.Verify(root, part.Index, merkle.LeafHash(part.Data), proof)
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func (r modelReferee) leavesPerItem() int64 { return int64(r.m.LeavesPerItem()) }

func (r modelReferee) recompute(ctx context.Context, d *types.Dispute, side types.Party, items uint32, given []types.OperatorInput) (*runtime.Tensor, []types.InputLeaf, error) {
	per := r.leavesPerItem()
	local := int(d.Hi % per)
	// Bound and charge the recomputation by this one operator's
	// arithmetic (a score leaf's is a comparison or an argmax).
	flops := int64(per)
	if local < r.m.Program.LeavesPerItem() {
		var err error
		if flops, err = r.m.Program.LeafFLOPs(local); err != nil {
			return nil, nil, errorsmod.Wrap(types.ErrBadInputs, err.Error())
		}
	}
	if flops < 0 || uint64(flops) > r.p.MaxRefereeFlops {
		return nil, nil, errorsmod.Wrapf(types.ErrTooLarge, "operator of %d FLOPs above max_referee_flops %d", flops, r.p.MaxRefereeFlops)
	}
	sdk.UnwrapSDKContext(ctx).GasMeter().ConsumeGas(uint64(flops)/100, "verde referee arithmetic")
	inputs, leaves, err := r.k.proveInputs(ctx, d, side, r.m, r.weights, items, per, given)
	if err != nil {
		return nil, nil, err
	}
	out, err := r.m.RecomputeLeaf(local, inputs)
	if err != nil {
		return nil, nil, errorsmod.Wrap(types.ErrBadInputs, err.Error())
	}
	return out, leaves, nil
}
