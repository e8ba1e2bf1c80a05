package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/market/types"
)

// Redeem implements types.MsgServer: it pays a settled market's position at
// the payout per share, rounded down, and closes it. When the last position
// is closed, what is left of the escrow (rounding dust) goes to the funder.
func (k msgServer) Redeem(ctx context.Context, msg *types.MsgRedeem) (*types.MsgRedeemResponse, error) {
	owner, err := modkit.Signer("owner", msg.Owner, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	m, err := k.GetMarket(ctx, msg.MarketId)
	if err != nil {
		return nil, err
	}
	if !m.Settled() {
		return nil, errorsmod.Wrapf(types.ErrNotSettled, "market %d is %s", m.Id, m.Status)
	}
	pos, err := k.Positions.Get(ctx, collections.Join(m.Id, owner))
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return nil, errorsmod.Wrapf(types.ErrNothingToRedeem, "%s holds no position in market %d", msg.Owner, m.Id)
	} else if err != nil {
		return nil, err
	}
	payout := m.Payout(pos.Shares)
	if payout.GT(m.Escrow) {
		return nil, errorsmod.Wrapf(types.ErrInvalidMarket, "market %d: payout %s above escrow %s", m.Id, payout, m.Escrow)
	}
	if err := k.pay(ctx, m.CollateralDenom, msg.Owner, payout); err != nil {
		return nil, err
	}
	m.Escrow = m.Escrow.Sub(payout)
	pos.Shares = types.ZeroShares(len(m.ModelIds))
	if err := k.savePosition(ctx, &m, pos, false); err != nil {
		return nil, err
	}
	if m.Holders == 0 {
		if err := k.payFunder(ctx, &m, m.Escrow); err != nil {
			return nil, err
		}
		m.Escrow = math.ZeroInt()
	}
	if err := k.Markets.Set(ctx, m.Id, m); err != nil {
		return nil, err
	}
	if err := modkit.Emit(ctx, &types.EventRedeemed{MarketId: m.Id, Owner: msg.Owner, Payout: payout}); err != nil {
		return nil, err
	}
	return &types.MsgRedeemResponse{Payout: payout}, nil
}
