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

// Deposit implements types.MsgServer: amount joins the vault's idle
// collateral and mints amount·(S+V)/(A+1) shares, rounded down, with A the
// vault's assets valued for deposits (valuation). While a market the vault
// funds is exposed (a round drawn, its scores knowable, its prices perhaps
// stale) deposits are refused: one would buy into a result already known.
func (k msgServer) Deposit(ctx context.Context, msg *types.MsgDeposit) (*types.MsgDepositResponse, error) {
	depositor, err := modkit.Signer("depositor", msg.Depositor, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	if err := positive("amount", msg.Amount); err != nil {
		return nil, err
	}
	if msg.Amount.GT(math.NewIntFromUint64(1 << 62).MulRaw(1 << 30)) {
		return nil, errorsmod.Wrap(types.ErrInvalidVault, "amount out of range")
	}
	v, err := k.GetVault(ctx, msg.VaultId)
	if err != nil {
		return nil, err
	}
	p, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	val, err := k.value(ctx, v)
	if err != nil {
		return nil, err
	}
	if len(val.exposed) > 0 {
		return nil, errorsmod.Wrapf(types.ErrDepositsPaused,
			"vault %d funds markets %v whose evaluations have rounds drawn (scores knowable that prices may not show): deposits resume when they settle, by height %d at the latest",
			v.Id, val.exposed, val.settleBy)
	}
	shares := v.SharesFor(msg.Amount, val.deposit, p.VirtualShares)
	if !shares.IsPositive() {
		return nil, errorsmod.Wrapf(types.ErrDust, "%s mints no share", msg.Amount)
	}
	if !msg.MinShares.IsNil() && shares.LT(msg.MinShares) {
		return nil, errorsmod.Wrapf(types.ErrSlippage, "%s mints %s shares, below min_shares %s", msg.Amount, shares, msg.MinShares)
	}
	coins := sdk.NewCoins(sdk.NewCoin(v.CollateralDenom, msg.Amount))
	if err := k.bank.SendCoinsFromAccountToModule(ctx, depositor, types.ModuleName, coins); err != nil {
		return nil, fundsError(err, msg.Depositor, coins)
	}
	v.Idle, v.TotalShares = v.Idle.Add(msg.Amount), v.TotalShares.Add(shares)
	if err := k.Vaults.Set(ctx, v.Id, v); err != nil {
		return nil, err
	}
	if err := k.markDue(ctx, v.Id); err != nil { // more idle: the queue may move
		return nil, err
	}
	key := collections.Join(v.Id, depositor)
	d, err := k.Deposits.Get(ctx, key)
	if err != nil {
		d = types.Deposit{VaultId: v.Id, Depositor: msg.Depositor, Shares: math.ZeroInt()}
	}
	d.Shares = d.Shares.Add(shares)
	if err := k.Deposits.Set(ctx, key, d); err != nil {
		return nil, err
	}
	if err := modkit.Emit(ctx, &types.EventDeposited{VaultId: v.Id, Depositor: msg.Depositor, Amount: msg.Amount, Shares: shares}); err != nil {
		return nil, err
	}
	return &types.MsgDepositResponse{Shares: shares}, nil
}
