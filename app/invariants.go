package app

import (
	"fmt"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	marketkeeper "github.com/delphi-network/delphi/x/market/keeper"
	vaultkeeper "github.com/delphi-network/delphi/x/vault/keeper"
	verdekeeper "github.com/delphi-network/delphi/x/verde/keeper"
	verdetypes "github.com/delphi-network/delphi/x/verde/types"
)

// Invariant is one named accounting rule of the chain's state.
type Invariant struct {
	Module, Route string
	Check         sdk.Invariant
}

// Invariants lists every invariant of the chain: the Delphi modules' own
// and, because x/crisis and the SDK modules' invariants are gone from the
// SDK, the bank supply and staking pool rules written here. They are run by
// `delphid invariants` against a stopped node's store, by the simulation
// tests after every block, and by the e2e test at the end of a run.
func (app *App) Invariants() []Invariant {
	return []Invariant{
		{"bank", "total-supply", app.supplyInvariant},
		{"staking", "module-accounts", app.stakingPoolsInvariant},
		{"market", "accounting", marketkeeper.AllInvariants(app.MarketKeeper)},
		{"vault", "accounting", vaultkeeper.AllInvariants(app.VaultKeeper)},
		{verdetypes.ModuleName, "bonds", verdekeeper.BondsInvariant(app.VerdeKeeper)},
		{"market", "between-blocks", marketkeeper.BetweenBlocksInvariant(app.MarketKeeper)},
	}
}

// CheckInvariants runs every invariant and returns the messages of those
// that are broken, in the order of Invariants.
func (app *App) CheckInvariants(ctx sdk.Context) []string {
	var broken []string
	for _, inv := range app.Invariants() {
		if msg, bad := inv.Check(ctx); bad {
			broken = append(broken, fmt.Sprintf("%s/%s: %s", inv.Module, inv.Route, msg))
		}
	}
	return broken
}

// supplyInvariant: the recorded total supply of every denom equals the sum
// of all account balances.
func (app *App) supplyInvariant(ctx sdk.Context) (string, bool) {
	sum := sdk.NewCoins()
	app.BankKeeper.IterateAllBalances(ctx, func(_ sdk.AccAddress, c sdk.Coin) bool {
		sum = sum.Add(c)
		return false
	})
	supply := sdk.NewCoins()
	app.BankKeeper.IterateTotalSupply(ctx, func(c sdk.Coin) bool {
		supply = supply.Add(c)
		return false
	})
	if !sum.Equal(supply) {
		return sdk.FormatInvariant("bank", "total-supply",
			fmt.Sprintf("balances sum to %s, supply is %s", sum, supply)), true
	}
	return sdk.FormatInvariant("bank", "total-supply", ""), false
}

// stakingPoolsInvariant: the bonded pool holds the bonded validators'
// tokens; the not-bonded pool holds the other validators' tokens and the
// unbonding delegations' balances.
func (app *App) stakingPoolsInvariant(ctx sdk.Context) (string, bool) {
	const route = "module-accounts"
	fail := func(err error) (string, bool) { return sdk.FormatInvariant("staking", route, err.Error()), true }
	bondDenom, err := app.StakingKeeper.BondDenom(ctx)
	if err != nil {
		return fail(err)
	}
	bonded, notBonded := math.ZeroInt(), math.ZeroInt()
	vals, err := app.StakingKeeper.GetAllValidators(ctx)
	if err != nil {
		return fail(err)
	}
	for _, v := range vals {
		if v.IsBonded() {
			bonded = bonded.Add(v.Tokens)
		} else {
			notBonded = notBonded.Add(v.Tokens)
		}
	}
	err = app.StakingKeeper.IterateUnbondingDelegations(ctx, func(_ int64, ubd stakingtypes.UnbondingDelegation) bool {
		for _, e := range ubd.Entries {
			notBonded = notBonded.Add(e.Balance)
		}
		return false
	})
	if err != nil {
		return fail(err)
	}
	heldBonded := app.BankKeeper.GetBalance(ctx, authtypes.NewModuleAddress(stakingtypes.BondedPoolName), bondDenom).Amount
	heldNotBonded := app.BankKeeper.GetBalance(ctx, authtypes.NewModuleAddress(stakingtypes.NotBondedPoolName), bondDenom).Amount
	if !heldBonded.Equal(bonded) || !heldNotBonded.Equal(notBonded) {
		return sdk.FormatInvariant("staking", route, fmt.Sprintf(
			"bonded pool %s for %s bonded tokens; not-bonded pool %s for %s unbonded tokens and unbonding balances",
			heldBonded, bonded, heldNotBonded, notBonded)), true
	}
	return sdk.FormatInvariant("staking", route, ""), false
}
