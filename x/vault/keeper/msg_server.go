package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/vault/types"
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

func positive(field string, v math.Int) error {
	if v.IsNil() || !v.IsPositive() {
		return errorsmod.Wrapf(types.ErrDust, "%s must be positive", field)
	}
	return nil
}

func fundsError(err error, who string, amt sdk.Coins) error {
	if errorsmod.IsOf(err, sdkerrors.ErrInsufficientFunds) {
		return errorsmod.Wrapf(types.ErrInsufficientFunds, "%s cannot pay %s", who, amt)
	}
	return err
}
