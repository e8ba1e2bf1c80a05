package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/delphi-network/delphi/x/vault/types"
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
