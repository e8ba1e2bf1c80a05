package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/market/types"
)

// openMarketOf finds the open market over an evaluation, if any: a
// standalone evaluation has none, a cancelled market is left alone.
func (k Keeper) openMarketOf(ctx context.Context, evaluationID uint64) (types.Market, bool, error) {
	id, err := k.MarketByEvaluation.Get(ctx, evaluationID)
	if errors.Is(err, collections.ErrNotFound) {
		return types.Market{}, false, nil
	} else if err != nil {
		return types.Market{}, false, err
	}
	m, err := k.Markets.Get(ctx, id)
	if err != nil {
		return m, false, err
	}
	return m, m.Status == types.MARKET_STATUS_OPEN, nil
}

// invalidate settles a market whose evaluation cannot complete: every
// share of every outcome pays 1/N.
func (k Keeper) invalidate(ctx context.Context, m types.Market) error {
	nums := make([]uint64, len(m.ModelIds))
	for i := range nums {
		nums[i] = 1
	}
	return k.settle(ctx, m, types.MARKET_STATUS_INVALID, m.ModelIds, nums, uint64(len(nums)))
}

// settle fixes the payout per share, keeps in escrow what the outstanding
// shares can claim (rounded up), and pays the funder the rest of the escrow
// with the LP fees and the creator its fees. Positions are redeemed later.
func (k Keeper) settle(ctx context.Context, m types.Market, status types.MarketStatus, winners, nums []uint64, den uint64) error {
	m.Status, m.PayoutNumerators, m.PayoutDenominator = status, nums, den
	m.ResolvedHeight = sdk.UnwrapSDKContext(ctx).BlockHeight()
	liability := m.Liability()
	if m.Escrow.LT(liability) {
		// The LMSR guarantees escrow >= max_i q_i >= any payout; this is a
		// broken invariant, and halting beats paying out what is not there.
		return fmt.Errorf("market %d: escrow %s below liability %s", m.Id, m.Escrow, liability)
	}
	released := m.Escrow.Sub(liability)
	m.Escrow = liability
	if err := k.unindexDeadline(ctx, m); err != nil {
		return err
	}
	if err := k.payFunderAndCreator(ctx, &m, released); err != nil {
		return err
	}
	if err := k.Markets.Set(ctx, m.Id, m); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventMarketResolved{
		MarketId: m.Id, Status: status, Winners: winners, PayoutNumerators: nums, PayoutDenominator: den, Released: released,
	})
}

// payFunderAndCreator pays out the accrued fees and released escrow.
func (k Keeper) payFunderAndCreator(ctx context.Context, m *types.Market, released math.Int) error {
	if err := k.payFunder(ctx, m, released.Add(m.LpFees)); err != nil {
		return err
	}
	if err := k.pay(ctx, m.CollateralDenom, m.Creator, m.CreatorFees); err != nil {
		return err
	}
	m.LpFees, m.CreatorFees = math.ZeroInt(), math.ZeroInt()
	return nil
}

// payFunder pays the market's liquidity provider: its creator's account,
// or the vault that funded it (module to module, then the vault accounts
// for it; every call after settlement also marks the market settled there).
func (k Keeper) payFunder(ctx context.Context, m *types.Market, amount math.Int) error {
	if m.FunderVaultId == 0 {
		return k.pay(ctx, m.CollateralDenom, m.Funder, amount)
	}
	if k.vault == nil {
		return fmt.Errorf("market %d: funded by vault %d but no vault keeper", m.Id, m.FunderVaultId)
	}
	if amount.IsPositive() {
		if err := k.bank.SendCoinsFromModuleToModule(ctx, types.ModuleName, k.vault.ModuleName(),
			sdk.NewCoins(sdk.NewCoin(m.CollateralDenom, amount))); err != nil {
			return err
		}
	}
	return k.vault.MarketReturned(ctx, m.FunderVaultId, m.Id, amount, true)
}

// pay sends amount of denom from the module account to addr, if positive.
func (k Keeper) pay(ctx context.Context, denom, addr string, amount math.Int) error {
	if !amount.IsPositive() {
		return nil
	}
	to, err := sdk.AccAddressFromBech32(addr)
	if err != nil {
		return err
	}
	return k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, to, sdk.NewCoins(sdk.NewCoin(denom, amount)))
}
