package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/market/types"
)

// BuyShares implements types.MsgServer: it buys an exact number of shares
// if their cost plus fee is within max_cost.
func (k msgServer) BuyShares(ctx context.Context, msg *types.MsgBuyShares) (*types.MsgBuySharesResponse, error) {
	trader, err := modkit.Signer("trader", msg.Trader, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	if err := limit("max_cost", msg.MaxCost); err != nil {
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
	t, err := priceBuy(m, p, int(msg.Outcome), msg.Shares)
	if err != nil {
		return nil, err
	}
	if t.paid().GT(msg.MaxCost) {
		return nil, errorsmod.Wrapf(types.ErrSlippage, "cost %s (fee %s included) exceeds max_cost %s", t.paid(), t.fee.total, msg.MaxCost)
	}
	if err := k.apply(ctx, m, trader, t, p); err != nil {
		return nil, err
	}
	return &types.MsgBuySharesResponse{Cost: t.paid(), Fee: t.fee.total}, nil
}

// BuyForAmount implements types.MsgServer: it spends at most amount (fee
// included) on the most shares it buys, refusing fewer than min_shares.
func (k msgServer) BuyForAmount(ctx context.Context, msg *types.MsgBuyForAmount) (*types.MsgBuyForAmountResponse, error) {
	trader, err := modkit.Signer("trader", msg.Trader, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	if err := limit("min_shares", msg.MinShares); err != nil {
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
	t, err := priceBuyForAmount(m, p, int(msg.Outcome), msg.Amount)
	if err != nil {
		return nil, err
	}
	if t.shares.LT(msg.MinShares) {
		return nil, errorsmod.Wrapf(types.ErrSlippage, "amount %s buys %s shares, below min_shares %s", msg.Amount, t.shares, msg.MinShares)
	}
	if err := k.apply(ctx, m, trader, t, p); err != nil {
		return nil, err
	}
	return &types.MsgBuyForAmountResponse{Shares: t.shares, Cost: t.paid(), Fee: t.fee.total}, nil
}
