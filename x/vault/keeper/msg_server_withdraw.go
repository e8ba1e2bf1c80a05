package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/x/vault/types"
)

// Withdraw implements types.MsgServer: shares are worth
// shares·(A+1)/(S+V), rounded down. If the idle collateral covers that and
// no one is queued ahead, it is paid now; otherwise the whole request is
// queued and paid, at the share price of that moment, when settling markets
// return enough.
func (k msgServer) Withdraw(ctx context.Context, msg *types.MsgWithdraw) (*types.MsgWithdrawResponse, error) {
	depositor, err := signer("depositor", msg.Depositor)
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
	amount := v.AssetsFor(msg.Shares, p.VirtualShares)
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
	if queueEmpty && amount.LTE(v.Idle) {
		if err := k.payOut(ctx, &v, msg.Depositor, msg.Shares, amount); err != nil {
			return nil, err
		}
		if err := emit(ctx, &types.EventWithdrawn{VaultId: v.Id, Depositor: msg.Depositor, Shares: msg.Shares, Amount: amount}); err != nil {
			return nil, err
		}
		return &types.MsgWithdrawResponse{Paid: amount, QueuedShares: math.ZeroInt()}, nil
	}
	id, err := k.WithdrawalSeq.Next(ctx)
	if err != nil {
		return nil, err
	}
	id++
	w := types.Withdrawal{Id: id, VaultId: v.Id, Depositor: msg.Depositor, Shares: msg.Shares, Height: sdk.UnwrapSDKContext(ctx).BlockHeight()}
	if err := k.Withdrawals.Set(ctx, id, w); err != nil {
		return nil, err
	}
	if err := k.Queue.Set(ctx, collections.Join(v.Id, id)); err != nil {
		return nil, err
	}
	if err := emit(ctx, &types.EventWithdrawalQueued{WithdrawalId: id, VaultId: v.Id, Depositor: msg.Depositor, Shares: msg.Shares}); err != nil {
		return nil, err
	}
	return &types.MsgWithdrawResponse{Paid: math.ZeroInt(), QueuedShares: msg.Shares, WithdrawalId: id}, nil
}

func (k Keeper) queueEmpty(ctx context.Context, vaultID uint64) (bool, error) {
	it, err := k.Queue.Iterate(ctx, collections.NewPrefixedPairRange[uint64, uint64](vaultID))
	if err != nil {
		return false, err
	}
	defer it.Close()
	return !it.Valid(), nil
}
