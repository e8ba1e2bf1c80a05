package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/testutil/storeutil"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	markettypes "github.com/delphi-network/delphi/x/market/types"
	"github.com/delphi-network/delphi/x/vault/types"
)

// reimport exports x/evaluation's, x/market's and x/vault's genesis at the
// end of a block, empties their stores (balances are x/bank's and stay)
// and imports the export, as a chain restarted from an export does;
// exporting again gives the same.
func (f *fixture) reimport(t *testing.T) {
	t.Helper()
	require.NoError(t, f.mk.EndBlocker(f.ctx))
	require.NoError(t, f.k.EndBlocker(f.ctx))
	eg, err := f.ek.ExportGenesis(f.ctx)
	require.NoError(t, err)
	mg, err := f.mk.ExportGenesis(f.ctx)
	require.NoError(t, err)
	vg, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	storeutil.Wipe(t, f.ctx, f.keys[types.StoreKey], f.keys[markettypes.StoreKey], f.keys[evaluationtypes.StoreKey])
	require.NoError(t, f.ek.InitGenesis(f.ctx, *eg))
	require.NoError(t, f.mk.InitGenesis(f.ctx, *mg))
	require.NoError(t, f.k.InitGenesis(f.ctx, *vg))
	vg2, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.Equal(t, vg, vg2)
	f.check(t)
}

// TestAQueuedWithdrawalSurvivesExport: withdrawals queued behind two funded
// markets, exported and imported before either settles and again between
// the settlements, are paid in order as the markets settle — the queue,
// the open-market index and the pay schedule come back from the export.
func TestAQueuedWithdrawalSurvivesExport(t *testing.T) {
	f := newFixture(t)
	id := f.vault(t, types.FUND_RULE_CATEGORY)
	aliceShares := f.deposit(t, f.alice, id, 10_000_000)
	bobShares := f.deposit(t, f.bob, id, 6_000_000)
	m1, err := f.market(t, f.carol, id, 1, f.models[0], f.models[1])
	require.NoError(t, err)
	m2, err := f.market(t, f.carol, id, 1, f.models[1], f.models[2])
	require.NoError(t, err)
	require.Positive(t, f.withdraw(t, f.alice, id, aliceShares).QueuedShares.Int64())
	require.Positive(t, f.withdraw(t, f.bob, id, bobShares).QueuedShares.Int64())
	f.buy(t, f.carol, m1, 0, 5_000_000)
	f.buy(t, f.carol, m2, 0, 5_000_000)

	f.reimport(t)
	require.Len(t, f.queued(t, f.alice), 1)
	require.Len(t, f.queued(t, f.bob), 1)
	f.settle(t, m1, 1, 9)
	require.Empty(t, f.queued(t, f.alice), "alice, first in line, was paid from market 1's return")
	require.Len(t, f.queued(t, f.bob), 1, "bob waits for market 2")

	f.reimport(t)
	f.settle(t, m2, 9, 1)
	_, err = exec(f, func(ctx sdk.Context) (*markettypes.MsgRedeemResponse, error) {
		return f.mmsg.Redeem(ctx, &markettypes.MsgRedeem{Owner: f.carol.String(), MarketId: m2})
	})
	require.NoError(t, err)
	f.endBlock(t)
	require.Empty(t, f.queued(t, f.bob), "bob is paid after the import")
	require.True(t, f.getVault(t, id).TotalShares.IsZero())
}
