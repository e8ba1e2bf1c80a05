package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/verde/types"
)

type msgServer struct{ Keeper }

var _ types.MsgServer = msgServer{}

// NewMsgServerImpl returns the module's Msg service.
func NewMsgServerImpl(k Keeper) types.MsgServer { return msgServer{k} }

// UpdateParams implements types.MsgServer.
func (k msgServer) UpdateParams(ctx context.Context, msg *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	if err := modkit.UpdateParams(ctx, k.authority, msg.Authority, msg.Params, k.Params, types.ErrUnauthorized,
		&types.EventParamsUpdated{Authority: msg.Authority, Params: msg.Params}); err != nil {
		return nil, err
	}
	return &types.MsgUpdateParamsResponse{}, nil
}

// openDispute loads a dispute that is still being played.
func (k Keeper) openDispute(ctx context.Context, id uint64) (types.Dispute, error) {
	d, err := k.Disputes.Get(ctx, id)
	if err != nil {
		return d, errorsmod.Wrapf(types.ErrDisputeNotFound, "dispute %d", id)
	}
	if d.Status != types.DISPUTE_STATUS_OPEN {
		return d, errorsmod.Wrapf(types.ErrDisputeClosed, "dispute %d is %s", id, d.Status)
	}
	return d, nil
}
