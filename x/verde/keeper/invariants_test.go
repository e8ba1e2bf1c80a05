package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/x/verde/keeper"
)

// TestBondsInvariantSeesStrayCoins: coins in x/verde's account that no open
// dispute's bond explains break the invariant.
func TestBondsInvariantSeesStrayCoins(t *testing.T) {
	f := newFixture(t)
	_, broken := keeper.BondsInvariant(f.k)(f.ctx)
	require.False(t, broken)
	f.bank.sent["someone>verde"] = sdk.NewCoins(sdk.NewInt64Coin("udelphi", 5))
	msg, broken := keeper.BondsInvariant(f.k)(f.ctx)
	require.True(t, broken)
	require.Contains(t, msg, "module holds 5udelphi, open disputes' bonds are")
}
