package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/market/types"
)

// SellShares implements types.MsgServer: it sells shares the trader holds
// if the proceeds after the fee are at least min_proceeds.
func (k msgServer) SellShares(ctx context.Context, msg *types.MsgSellShares) (*types.MsgSellSharesResponse, error) {
	trader, err := modkit.Signer("trader", msg.Trader, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	if err := limit("min_proceeds", msg.MinProceeds); err != nil {
		return nil, err
	}
	p, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	m, err := k.tradable(ctx, msg.MarketId, msg.Outcome)
	if err != nil {
		return nil, err
	}
	if err := checkShares("shares", msg.Shares, p); err != nil {
		return nil, err
	}
	pos, err := k.Positions.Get(ctx, collections.Join(m.Id, trader))
	held := "0"
	if err == nil {
		held = pos.Shares[msg.Outcome].String()
	} else if !errorsmod.IsOf(err, collections.ErrNotFound) {
		return nil, err
	}
	if err != nil || pos.Shares[msg.Outcome].LT(msg.Shares) {
		return nil, errorsmod.Wrapf(types.ErrOverSell, "selling %s shares of outcome %d, holding %s", msg.Shares, msg.Outcome, held)
	}
	t, err := priceSell(m, p, int(msg.Outcome), msg.Shares)
	if err != nil {
		return nil, err
	}
	if t.paid().LT(msg.MinProceeds) {
		return nil, errorsmod.Wrapf(types.ErrSlippage, "proceeds %s (after fee %s) below min_proceeds %s", t.paid(), t.fee.total, msg.MinProceeds)
	}
	if err := k.apply(ctx, m, trader, t, p); err != nil {
		return nil, err
	}
	return &types.MsgSellSharesResponse{Proceeds: t.paid(), Fee: t.fee.total}, nil
}
