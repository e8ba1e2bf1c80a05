package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/x/verde/types"
)

type msgServer struct{ Keeper }

var _ types.MsgServer = msgServer{}

// NewMsgServerImpl returns the module's Msg service.
func NewMsgServerImpl(k Keeper) types.MsgServer { return msgServer{k} }

// UpdateParams implements types.MsgServer.
func (k msgServer) UpdateParams(ctx context.Context, msg *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	if msg.Authority != k.authority {
		return nil, errorsmod.Wrapf(types.ErrUnauthorized, "expected %s, got %s", k.authority, msg.Authority)
	}
	if err := msg.Params.Validate(); err != nil {
		return nil, err
	}
	return &types.MsgUpdateParamsResponse{}, k.Params.Set(ctx, msg.Params)
}

func signer(field, addr string) (sdk.AccAddress, error) {
	a, err := sdk.AccAddressFromBech32(addr)
	if err != nil {
		return nil, errorsmod.Wrapf(types.ErrInvalidAddress, "%s %q: %v", field, addr, err)
	}
	return a, nil
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
