package app_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	minttypes "github.com/cosmos/cosmos-sdk/x/mint/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/delphi-network/delphi/app"
	verdetypes "github.com/delphi-network/delphi/x/verde/types"
)

// TestInvariantsHoldAndCatchBreaks: a freshly started chain satisfies every
// invariant, and each app-level invariant reports the break it exists for.
func TestInvariantsHoldAndCatchBreaks(t *testing.T) {
	a := newApp(t, "delphi-test-1")
	initAndCommit(t, a, genesisWithValidator(t, a), "delphi-test-1")
	ctx := a.NewUncachedContext(false, cmtproto.Header{Height: a.LastBlockHeight()})
	require.Empty(t, a.CheckInvariants(ctx))
	require.Len(t, a.Invariants(), 6)

	// Coins in x/verde that no open dispute posted.
	stray := sdk.NewCoins(sdk.NewCoin(app.BondDenom, math.NewInt(7)))
	cache, _ := ctx.CacheContext()
	require.NoError(t, a.BankKeeper.MintCoins(cache, minttypes.ModuleName, stray))
	require.NoError(t, a.BankKeeper.SendCoinsFromModuleToModule(cache, minttypes.ModuleName, verdetypes.ModuleName, stray))
	broken := a.CheckInvariants(cache)
	require.Len(t, broken, 1)
	require.Contains(t, broken[0], "verde/bonds")

	// Tokens in the bonded pool that no bonded validator owns.
	cache, _ = ctx.CacheContext()
	require.NoError(t, a.BankKeeper.MintCoins(cache, minttypes.ModuleName, stray))
	require.NoError(t, a.BankKeeper.SendCoinsFromModuleToModule(cache, minttypes.ModuleName, stakingtypes.BondedPoolName, stray))
	broken = a.CheckInvariants(cache)
	require.Len(t, broken, 1)
	require.Contains(t, broken[0], "staking/module-accounts")

	// Per-block market state left in a committed store.
	cache, _ = ctx.CacheContext()
	require.NoError(t, a.MarketKeeper.Traded.Set(cache, 1))
	broken = a.CheckInvariants(cache)
	require.Len(t, broken, 1)
	require.Contains(t, broken[0], "market/between-blocks")

	// A balance written past the supply record.
	cache, _ = ctx.CacheContext()
	someone := authtypes.NewModuleAddress("someone")
	require.NoError(t, a.BankKeeper.Balances.Set(cache, collections.Join(someone, app.CollateralDenom), math.NewInt(1)))
	broken = a.CheckInvariants(cache)
	require.Len(t, broken, 1)
	require.Contains(t, broken[0], "bank/total-supply")
}
