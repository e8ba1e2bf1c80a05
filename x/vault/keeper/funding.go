package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	markettypes "github.com/delphi-network/delphi/x/market/types"
	"github.com/delphi-network/delphi/x/vault/types"
)

var _ markettypes.VaultKeeper = Keeper{}

// FundMarket implements x/market's VaultKeeper: the vault escrows a new
// market's subsidy if its rules accept the market — the benchmark in its
// category, the subsidy within its cap, the fee at least what it asks, the
// creator allowed by its rule — and it has the collateral free after what
// its queued withdrawals are owed.
func (k Keeper) FundMarket(ctx context.Context, vaultID uint64, creator string, benchmarkID uint64, feeBps uint32,
	denom string, subsidy math.Int, marketID uint64,
) error {
	v, err := k.GetVault(ctx, vaultID)
	if err != nil {
		return err
	}
	refuse := func(format string, args ...any) error {
		return errorsmod.Wrapf(types.ErrFundingRefused, "vault %d: "+format, append([]any{vaultID}, args...)...)
	}
	switch {
	case v.Rule == types.FUND_RULE_MANAGER && creator != v.Manager:
		return refuse("only its manager creates the markets it funds")
	case denom != v.CollateralDenom:
		return refuse("collateral %s, the vault holds %s", denom, v.CollateralDenom)
	case !v.InCategory(benchmarkID):
		return refuse("benchmark %d is not in its category %v", benchmarkID, v.Category)
	case subsidy.GT(v.SubsidyCap):
		return refuse("subsidy %s above its cap %s", subsidy, v.SubsidyCap)
	case feeBps < v.MinFeeBps:
		return refuse("fee %d bps below the %d it asks", feeBps, v.MinFeeBps)
	}
	owed, err := k.queuedValue(ctx, v)
	if err != nil {
		return err
	}
	if free := v.Idle.Sub(owed); free.LT(subsidy) {
		return refuse("%s free (idle %s, owed to queued withdrawals %s), the subsidy is %s", free, v.Idle, owed, subsidy)
	}
	if err := k.bank.SendCoinsFromModuleToModule(ctx, types.ModuleName, markettypes.ModuleName,
		sdk.NewCoins(sdk.NewCoin(denom, subsidy))); err != nil {
		return err
	}
	v.Idle, v.Locked, v.Funded = v.Idle.Sub(subsidy), v.Locked.Add(subsidy), v.Funded.Add(subsidy)
	v.Markets++
	if err := k.Vaults.Set(ctx, v.Id, v); err != nil {
		return err
	}
	vm := types.VaultMarket{VaultId: v.Id, MarketId: marketID, Subsidy: subsidy, Returned: math.ZeroInt()}
	if err := k.VaultMarkets.Set(ctx, collections.Join(v.Id, marketID), vm); err != nil {
		return err
	}
	return emit(ctx, &types.EventMarketFunded{VaultId: v.Id, MarketId: marketID, Subsidy: subsidy})
}

// MarketReturned implements x/market's VaultKeeper: a market the vault
// funded paid it amount (already in the module account). The first call
// after settlement releases the subsidy from locked; queued withdrawals
// are then paid in order as far as the idle collateral allows.
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
	}
	if err := k.VaultMarkets.Set(ctx, collections.Join(vaultID, marketID), vm); err != nil {
		return err
	}
	if err := k.Vaults.Set(ctx, v.Id, v); err != nil {
		return err
	}
	if err := emit(ctx, &types.EventMarketReturned{VaultId: vaultID, MarketId: marketID, Amount: amount, Settled: vm.Settled}); err != nil {
		return err
	}
	return k.payQueue(ctx, vaultID)
}

// queuedValue is what the vault's queued withdrawals are worth now.
func (k Keeper) queuedValue(ctx context.Context, v types.Vault) (math.Int, error) {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return math.Int{}, err
	}
	shares := math.ZeroInt()
	err = k.Queue.Walk(ctx, collections.NewPrefixedPairRange[uint64, uint64](v.Id), func(key collections.Pair[uint64, uint64]) (bool, error) {
		w, err := k.Withdrawals.Get(ctx, key.K2())
		if err != nil {
			return true, err
		}
		shares = shares.Add(w.Shares)
		return false, nil
	})
	return v.AssetsFor(shares, p.VirtualShares), err
}

// payQueue pays a vault's queued withdrawals in order, each at the share
// price when it is paid, until one does not fit in the idle collateral.
func (k Keeper) payQueue(ctx context.Context, vaultID uint64) error {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	var ids []uint64
	if err := k.Queue.Walk(ctx, collections.NewPrefixedPairRange[uint64, uint64](vaultID), func(key collections.Pair[uint64, uint64]) (bool, error) {
		ids = append(ids, key.K2())
		return false, nil
	}); err != nil {
		return err
	}
	for _, id := range ids {
		v, err := k.GetVault(ctx, vaultID)
		if err != nil {
			return err
		}
		w, err := k.Withdrawals.Get(ctx, id)
		if err != nil {
			return err
		}
		amount := v.AssetsFor(w.Shares, p.VirtualShares)
		if amount.GT(v.Idle) {
			return nil // strictly in order: later ones wait too
		}
		if err := k.payOut(ctx, &v, w.Depositor, w.Shares, amount); err != nil {
			return err
		}
		if err := k.Queue.Remove(ctx, collections.Join(vaultID, id)); err != nil {
			return err
		}
		if err := k.Withdrawals.Remove(ctx, id); err != nil {
			return err
		}
		if err := emit(ctx, &types.EventWithdrawn{VaultId: vaultID, Depositor: w.Depositor, Shares: w.Shares, Amount: amount, FromQueue: true}); err != nil {
			return err
		}
	}
	return nil
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
