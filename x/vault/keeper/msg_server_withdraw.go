package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/vault/types"
)

// Withdraw implements types.MsgServer: shares are worth
// shares·(A+1)/(S+V), rounded down, with A the vault's assets valued for
// withdrawals (valuation). If no market the vault funds is exposed (a round
// of its evaluation drawn: scores knowable that its prices may not show),
// the idle collateral covers the amount and no one is queued ahead, it is
// paid now. Otherwise the whole request is queued, waiting for the exposed
// markets to settle, and the EndBlocker pays it, at the share price of that
// moment, when they have and the idle collateral covers it: a depositor who
// reads round results cannot leave before the loss they foretell.
func (k msgServer) Withdraw(ctx context.Context, msg *types.MsgWithdraw) (*types.MsgWithdrawResponse, error) {
	depositor, err := modkit.Signer("depositor", msg.Depositor, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	if err := positive("shares", msg.Shares); err != nil {
		return nil, err
	}
	v, err := k.GetVault(ctx, msg.VaultId)
	if err != nil {
		return nil, err
	}
	key := collections.Join(v.Id, depositor)
	d, err := k.Deposits.Get(ctx, key)
	if err != nil || d.Shares.LT(msg.Shares) {
		held := math.ZeroInt()
		if err == nil {
			held = d.Shares
		}
		return nil, errorsmod.Wrapf(types.ErrInsufficientShares, "withdrawing %s shares, holding %s", msg.Shares, held)
	}
	p, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	val, err := k.value(ctx, v)
	if err != nil {
		return nil, err
	}
	amount := v.AssetsFor(msg.Shares, val.withdraw, p.VirtualShares)
	if !amount.IsPositive() {
		return nil, errorsmod.Wrapf(types.ErrDust, "%s shares are worth nothing", msg.Shares)
	}
	d.Shares = d.Shares.Sub(msg.Shares)
	if d.Shares.IsZero() {
		err = k.Deposits.Remove(ctx, key)
	} else {
		err = k.Deposits.Set(ctx, key, d)
	}
	if err != nil {
		return nil, err
	}
	queueEmpty, err := k.queueEmpty(ctx, v.Id)
	if err != nil {
		return nil, err
	}
	if queueEmpty && len(val.exposed) == 0 && amount.LTE(v.Idle) {
		if !msg.MinAmount.IsNil() && amount.LT(msg.MinAmount) {
			return nil, errorsmod.Wrapf(types.ErrSlippage, "%s shares withdraw %s now, below min_amount %s", msg.Shares, amount, msg.MinAmount)
		}
		if err := k.payOut(ctx, &v, msg.Depositor, msg.Shares, amount); err != nil {
			return nil, err
		}
		if err := modkit.Emit(ctx, &types.EventWithdrawn{VaultId: v.Id, Depositor: msg.Depositor, Shares: msg.Shares, Amount: amount}); err != nil {
			return nil, err
		}
		return &types.MsgWithdrawResponse{Paid: amount, QueuedShares: math.ZeroInt()}, nil
	}
	id, err := modkit.NextID(ctx, k.WithdrawalSeq)
	if err != nil {
		return nil, err
	}
	w := types.Withdrawal{Id: id, VaultId: v.Id, Depositor: msg.Depositor, Shares: msg.Shares,
		Height: sdk.UnwrapSDKContext(ctx).BlockHeight(), WaitsFor: val.exposed}
	if err := k.Withdrawals.Set(ctx, id, w); err != nil {
		return nil, err
	}
	if err := k.Queue.Set(ctx, collections.Join(v.Id, id)); err != nil {
		return nil, err
	}
	v.QueuedShares = v.QueuedShares.Add(msg.Shares)
	if err := k.Vaults.Set(ctx, v.Id, v); err != nil {
		return nil, err
	}
	if err := k.PayDue.Set(ctx, v.Id); err != nil {
		return nil, err
	}
	if err := modkit.Emit(ctx, &types.EventWithdrawalQueued{WithdrawalId: id, VaultId: v.Id, Depositor: msg.Depositor, Shares: msg.Shares,
		WaitsFor: val.exposed}); err != nil {
		return nil, err
	}
	return &types.MsgWithdrawResponse{Paid: math.ZeroInt(), QueuedShares: msg.Shares, WithdrawalId: id}, nil
}
