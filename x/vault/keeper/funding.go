package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/internal/modkit"
	markettypes "github.com/delphi-network/delphi/x/market/types"
	"github.com/delphi-network/delphi/x/vault/types"
)

var _ markettypes.VaultKeeper = Keeper{}

// FundMarket implements x/market's VaultKeeper: the vault escrows a new
// market's subsidy if its rules accept the market. For everyone: the
// collateral, the benchmark in its category, the subsidy within its cap,
// the fee at least what it asks, its total locked within max_locked, fewer
// than max_open_markets markets open, and the collateral free after what
// its queued withdrawals are owed. For anyone but its manager (and only
// under FUND_RULE_CATEGORY): every model among allowed_models and the
// market's settle deadline within max_schedule_blocks (params'
// category_schedule_blocks when 0). Trading ends by the
// evaluation's last draw for every market (x/market), so no market a vault
// funds trades on known scores.
func (k Keeper) FundMarket(ctx context.Context, m markettypes.Market, benchmarkID uint64) error {
	v, err := k.GetVault(ctx, m.FunderVaultId)
	if err != nil {
		return err
	}
	p, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	refuse := func(format string, args ...any) error {
		return errorsmod.Wrapf(types.ErrFundingRefused, "vault %d: "+format, append([]any{v.Id}, args...)...)
	}
	subsidy, manager := m.Subsidy, m.Creator == v.Manager
	open, err := k.openMarkets(ctx, v.Id)
	if err != nil {
		return err
	}
	switch {
	case v.Rule == types.FUND_RULE_MANAGER && !manager:
		return refuse("only its manager creates the markets it funds")
	case m.CollateralDenom != v.CollateralDenom:
		return refuse("collateral %s, the vault holds %s", m.CollateralDenom, v.CollateralDenom)
	case !v.InCategory(benchmarkID):
		return refuse("benchmark %d is not in its category %v", benchmarkID, v.Category)
	case subsidy.GT(v.SubsidyCap):
		return refuse("subsidy %s above its cap %s", subsidy, v.SubsidyCap)
	case m.FeeBps < v.MinFeeBps:
		return refuse("fee %d bps below the %d it asks", m.FeeBps, v.MinFeeBps)
	case !v.MaxLocked.IsNil() && v.MaxLocked.IsPositive() && v.Locked.Add(subsidy).GT(v.MaxLocked):
		return refuse("its open markets' subsidies would reach %s, above its max_locked %s", v.Locked.Add(subsidy), v.MaxLocked)
	case open >= int(p.MaxOpenMarkets):
		return refuse("it funds %d open markets, the most params allow (max_open_markets)", open)
	}
	if !manager {
		for _, id := range m.ModelIds {
			if !v.AllowsModel(id) {
				return refuse("model %d is not among the models it funds %v (its manager may list others)", id, v.AllowedModels)
			}
		}
		limit, what := v.MaxScheduleBlocks, "its max_schedule_blocks"
		if limit == 0 {
			limit, what = p.CategoryScheduleBlocks, "params' category_schedule_blocks (its max_schedule_blocks is 0)"
		}
		if span := m.SettleDeadlineHeight - m.CreatedHeight; span > int64(limit) {
			return refuse("the market settles by height %d, %d blocks from now, past %s %d (its manager may fund longer ones)",
				m.SettleDeadlineHeight, span, what, limit)
		}
	}
	val, err := k.value(ctx, v)
	if err != nil {
		return err
	}
	owed := v.AssetsFor(v.QueuedShares, val.withdraw, p.VirtualShares)
	if free := v.Idle.Sub(owed); free.LT(subsidy) {
		return refuse("%s free (idle %s, owed to queued withdrawals %s), the subsidy is %s", free, v.Idle, owed, subsidy)
	}
	if err := k.bank.SendCoinsFromModuleToModule(ctx, types.ModuleName, markettypes.ModuleName,
		sdk.NewCoins(sdk.NewCoin(m.CollateralDenom, subsidy))); err != nil {
		return err
	}
	v.Idle, v.Locked, v.Funded = v.Idle.Sub(subsidy), v.Locked.Add(subsidy), v.Funded.Add(subsidy)
	v.Markets++
	if err := k.Vaults.Set(ctx, v.Id, v); err != nil {
		return err
	}
	vm := types.VaultMarket{VaultId: v.Id, MarketId: m.Id, Subsidy: subsidy, Returned: math.ZeroInt()}
	if err := k.VaultMarkets.Set(ctx, collections.Join(v.Id, m.Id), vm); err != nil {
		return err
	}
	if err := k.OpenMarkets.Set(ctx, collections.Join(v.Id, m.Id)); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventMarketFunded{VaultId: v.Id, MarketId: m.Id, Subsidy: subsidy})
}

// openMarkets counts a vault's unsettled markets (at most max_open_markets).
func (k Keeper) openMarkets(ctx context.Context, vaultID uint64) (int, error) {
	n := 0
	err := k.OpenMarkets.Walk(ctx, collections.NewPrefixedPairRange[uint64, uint64](vaultID), func(collections.Pair[uint64, uint64]) (bool, error) {
		n++
		return false, nil
	})
	return n, err
}

// MarketReturned implements x/market's VaultKeeper: a market the vault
// funded paid it amount (already in the module account). The first call
// after settlement releases the subsidy from locked and the market from
// the open ones. Queued withdrawals are paid by the EndBlocker, never here:
// this runs inside a settlement hook or another user's redemption.
func (k Keeper) MarketReturned(ctx context.Context, vaultID, marketID uint64, amount math.Int, settled bool) error {
	v, err := k.GetVault(ctx, vaultID)
	if err != nil {
		return err
	}
	vm, err := k.VaultMarkets.Get(ctx, collections.Join(vaultID, marketID))
	if err != nil {
		return fmt.Errorf("vault %d did not fund market %d: %w", vaultID, marketID, err)
	}
	vm.Returned = vm.Returned.Add(amount)
	v.Idle, v.Returned = v.Idle.Add(amount), v.Returned.Add(amount)
	if settled && !vm.Settled {
		vm.Settled = true
		v.Locked = v.Locked.Sub(vm.Subsidy)
		if err := k.OpenMarkets.Remove(ctx, collections.Join(vaultID, marketID)); err != nil {
			return err
		}
	}
	if err := k.VaultMarkets.Set(ctx, collections.Join(vaultID, marketID), vm); err != nil {
		return err
	}
	if err := k.Vaults.Set(ctx, v.Id, v); err != nil {
		return err
	}
	if err := modkit.Emit(ctx, &types.EventMarketReturned{VaultId: vaultID, MarketId: marketID, Amount: amount, Settled: vm.Settled}); err != nil {
		return err
	}
	return k.markDue(ctx, vaultID)
}

// payOut burns shares and sends amount of the vault's collateral.
func (k Keeper) payOut(ctx context.Context, v *types.Vault, depositor string, shares, amount math.Int) error {
	to, err := sdk.AccAddressFromBech32(depositor)
	if err != nil {
		return err
	}
	if amount.IsPositive() {
		if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, to,
			sdk.NewCoins(sdk.NewCoin(v.CollateralDenom, amount))); err != nil {
			return err
		}
	}
	v.Idle, v.TotalShares = v.Idle.Sub(amount), v.TotalShares.Sub(shares)
	return k.Vaults.Set(ctx, v.Id, *v)
}
