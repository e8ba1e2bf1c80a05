package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/testutil/storeutil"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/market/types"
)

// reimport exports x/evaluation's and x/market's genesis, empties both
// stores (balances stay: they are x/bank's) and imports the export, as a
// chain restarted from an export does; exporting again gives the same.
func (f *fixture) reimport(t *testing.T) {
	t.Helper()
	// A committed state: this block's end has run.
	require.NoError(t, f.k.EndBlocker(f.ctx))
	eg, err := f.ek.ExportGenesis(f.ctx)
	require.NoError(t, err)
	mg, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	storeutil.Wipe(t, f.ctx, f.keys[types.StoreKey], f.keys[evaluationtypes.StoreKey])
	require.NoError(t, f.ek.InitGenesis(f.ctx, *eg))
	require.NoError(t, f.k.InitGenesis(f.ctx, *mg))
	eg2, err := f.ek.ExportGenesis(f.ctx)
	require.NoError(t, err)
	mg2, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.Equal(t, eg, eg2)
	require.Equal(t, mg, mg2)
	f.checkInvariants(t)
}

// TestAMarketSurvivesExport: a market exported while it trades, again
// between its rounds (closed, a round drawn) and in its evaluation's
// challenge window, keeps trading where it may, stays closed where it must,
// resolves when its evaluation finalizes (the hooks find it by its
// evaluation) and pays its winners.
func TestAMarketSurvivesExport(t *testing.T) {
	f := newLiveFixture(t)
	msg := f.createMsg(3)
	msg.Spec = f.liveSpec(3, 2, 8)
	msg.ReopenBlocks = 1
	res, err := exec(f, func(ctx sdk.Context) (*types.MsgCreateMarketResponse, error) { return f.msg.CreateMarket(ctx, msg) })
	require.NoError(t, err)
	id := res.MarketId
	require.NoError(t, f.tryBuy(f.bob, id, 2, 1_000_000))
	f.reimport(t)
	require.NoError(t, f.tryBuy(f.bob, id, 2, 1_000_000), "trading goes on after import")

	seenClosed, seenWindow := false, false
	for i := 0; f.market(t, id).Status == types.MARKET_STATUS_OPEN; i++ {
		require.Less(t, i, 120, "the market never resolved")
		f.block(t)
		e := f.evaluation(t, f.market(t, id))
		before := f.tradingState(t, id)
		switch {
		case e.FinalAfterHeight != 0 && !seenWindow:
			seenWindow = true
			f.reimport(t)
		case !before.Open && !seenClosed && f.market(t, id).Status == types.MARKET_STATUS_OPEN:
			seenClosed = true
			f.reimport(t)
		}
		if f.market(t, id).Status == types.MARKET_STATUS_OPEN {
			require.Equal(t, before, f.tradingState(t, id), "height %d: the trading state survives the import", f.ctx.BlockHeight())
		}
	}
	require.True(t, seenClosed && seenWindow, "exported while closed and in the challenge window")
	m := f.market(t, id)
	require.Equal(t, types.MARKET_STATUS_RESOLVED, m.Status, "the finalized evaluation resolved its market after the imports")
	require.Equal(t, []uint64{0, 0, 1}, m.PayoutNumerators)
	require.True(t, f.redeem(t, f.bob, id).IsPositive(), "the winner is paid")
}
