package keeper

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/runtime"
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

// modelReferee is the referee of a classifier: the whole registered ONNX
// artifact, bounded and charged by its arithmetic per item.
type modelReferee struct {
	k Keeper
	m *runtime.Model
}

func (k Keeper) modelReferee(ctx context.Context, modelID uint64, msg *types.MsgSubmitOperatorInputs, p types.Params) (referee, error) {
	if len(msg.Artifacts) > 0 || len(msg.Parts) > 0 {
		return nil, errorsmod.Wrap(types.ErrBadInputs, "a classifier's referee step reads only its own artifact")
	}
	m, err := k.loadModel(ctx, modelID, msg.Model)
	if err != nil {
		return nil, err
	}
	// Bound and charge the recomputation by the model's arithmetic per
	// item, an upper bound on any one operator's.
	flops := m.Program.FLOPs()
	if flops < 0 || uint64(flops) > p.MaxRefereeFlops {
		return nil, errorsmod.Wrapf(types.ErrTooLarge, "model of %d FLOPs per item above max_referee_flops %d", flops, p.MaxRefereeFlops)
	}
	sdk.UnwrapSDKContext(ctx).GasMeter().ConsumeGas(uint64(flops)/100, "verde referee arithmetic")
	return modelReferee{k: k, m: m}, nil
}

func (r modelReferee) leavesPerItem() int64 { return int64(r.m.LeavesPerItem()) }

func (r modelReferee) recompute(ctx context.Context, d *types.Dispute, side types.Party, items uint32, given []types.OperatorInput) (*runtime.Tensor, []types.InputLeaf, error) {
	per := r.leavesPerItem()
	inputs, leaves, err := r.k.proveInputs(ctx, d, side, r.m, items, per, given)
	if err != nil {
		return nil, nil, err
	}
	out, err := r.m.RecomputeLeaf(int(d.Hi%per), inputs)
	if err != nil {
		return nil, nil, errorsmod.Wrap(types.ErrBadInputs, err.Error())
	}
	return out, leaves, nil
}

// loadModel parses the artifact after checking it is the registered one:
// its SHA-256 and its weight Merkle root.
func (k Keeper) loadModel(ctx context.Context, modelID uint64, artifact []byte) (*runtime.Model, error) {
	reg, err := k.eval.GetModel(ctx, modelID)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(artifact)
	if hex.EncodeToString(sum[:]) != reg.WeightsSha256 {
		return nil, errorsmod.Wrapf(types.ErrBadArtifact, "artifact SHA-256 %x, registered %s", sum, reg.WeightsSha256)
	}
	m, err := runtime.LoadModel(artifact, runtime.DefaultLimits())
	if err != nil {
		return nil, errorsmod.Wrap(types.ErrBadArtifact, err.Error())
	}
	if root := m.Weights().Root(); hex.EncodeToString(root[:]) != reg.WeightsRoot {
		return nil, errorsmod.Wrapf(types.ErrBadArtifact, "weight root %x, registered %s", root, reg.WeightsRoot)
	}
	return m, nil
}
