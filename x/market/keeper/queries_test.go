package keeper_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/delphi-network/delphi/x/market/keeper"
	"github.com/delphi-network/delphi/x/market/lmsr"
	"github.com/delphi-network/delphi/x/market/types"
)

// TestQuoteIsTheTrade: a quote names exactly what the trade then does.
func TestQuoteIsTheTrade(t *testing.T) {
	f := newFixture(t)
	m := f.create(t, 3)
	f.buy(t, f.carol, m.Id, 2, 4_000_000)

	q, err := f.q.Quote(f.ctx, &types.QueryQuoteRequest{MarketId: m.Id, Side: "buy", Outcome: 1, Shares: "2500000"})
	require.NoError(t, err)
	res := f.buy(t, f.bob, m.Id, 1, 2_500_000)
	require.Equal(t, q.Total, res.Cost)
	require.Equal(t, q.Fee, res.Fee)
	prices, err := f.q.Prices(f.ctx, &types.QueryPricesRequest{MarketId: m.Id})
	require.NoError(t, err)
	require.Equal(t, q.PricesAfter, prices.Prices)

	q, err = f.q.Quote(f.ctx, &types.QueryQuoteRequest{MarketId: m.Id, Side: "sell", Outcome: 1, Shares: "1000000"})
	require.NoError(t, err)
	require.Equal(t, q.Total, f.sell(t, f.bob, m.Id, 1, 1_000_000).Proceeds)

	q, err = f.q.Quote(f.ctx, &types.QueryQuoteRequest{MarketId: m.Id, Side: "buy", Outcome: 0, Amount: "1234567"})
	require.NoError(t, err)
	bought, err := exec(f, func(ctx sdk.Context) (*types.MsgBuyForAmountResponse, error) {
		return f.msg.BuyForAmount(ctx, &types.MsgBuyForAmount{Trader: f.bob.String(), MarketId: m.Id, Outcome: 0,
			Amount: math.NewInt(1_234_567), MinShares: q.Shares})
	})
	require.NoError(t, err)
	require.Equal(t, q.Shares, bought.Shares)
	require.Equal(t, q.Total, bought.Cost)

	for name, tc := range map[string]struct {
		req  *types.QueryQuoteRequest
		want any // a gRPC code for a malformed request, a registered error for a refused trade
	}{
		"bad side":          {&types.QueryQuoteRequest{MarketId: m.Id, Side: "hold", Shares: "10000"}, codes.InvalidArgument},
		"shares and amount": {&types.QueryQuoteRequest{MarketId: m.Id, Side: "buy", Shares: "10000", Amount: "5"}, codes.InvalidArgument},
		"sell by amount":    {&types.QueryQuoteRequest{MarketId: m.Id, Side: "sell", Amount: "10000"}, codes.InvalidArgument},
		"garbled shares":    {&types.QueryQuoteRequest{MarketId: m.Id, Side: "buy", Shares: "12abc"}, codes.InvalidArgument},
		"unknown market":    {&types.QueryQuoteRequest{MarketId: 77, Side: "buy", Shares: "10000"}, types.ErrMarketNotFound},
		"unknown outcome":   {&types.QueryQuoteRequest{MarketId: m.Id, Side: "buy", Outcome: 9, Shares: "10000"}, types.ErrUnknownOutcome},
	} {
		_, err := f.q.Quote(f.ctx, tc.req)
		requireQueryError(t, err, tc.want, name)
	}
}

// requireQueryError: err is the gRPC code or the registered error wanted.
func requireQueryError(t *testing.T, err error, want any, name string) {
	t.Helper()
	switch w := want.(type) {
	case codes.Code:
		require.Equal(t, w, status.Code(err), "%s: %v", name, err)
	case error:
		require.ErrorIs(t, err, w, name)
	}
}

// TestBuyForAmountSpendsAtMostTheAmount: the fill is the most shares whose
// cost plus fee fits, within the LMSR inverse's two-share tolerance.
func TestBuyForAmountSpendsAtMostTheAmount(t *testing.T) {
	f := newFixture(t)
	m := f.create(t, 2)
	for _, amount := range []int64{10_000, 777_777, 5_000_000, 25_000_000} {
		m = f.market(t, m.Id)
		before := f.balance(f.bob)
		res, err := exec(f, func(ctx sdk.Context) (*types.MsgBuyForAmountResponse, error) {
			return f.msg.BuyForAmount(ctx, &types.MsgBuyForAmount{Trader: f.bob.String(), MarketId: m.Id, Outcome: 1,
				Amount: math.NewInt(amount), MinShares: math.ZeroInt()})
		})
		require.NoError(t, err)
		f.checkInvariants(t)
		require.True(t, res.Cost.LTE(math.NewInt(amount)), "paid %s of %d", res.Cost, amount)
		require.Equal(t, before.Sub(res.Cost), f.balance(f.bob))
		// Three more shares would not fit.
		cost, err := lmsr.BuyCost(m.Shares, m.Liquidity, 1, res.Shares.AddRaw(3))
		require.NoError(t, err)
		feeOn := cost.MulRaw(int64(m.FeeBps)).AddRaw(types.BasisPoints - 1).QuoRaw(types.BasisPoints)
		require.True(t, cost.Add(feeOn).GT(math.NewInt(amount)), "amount %d: %s shares is not the most", amount, res.Shares)
	}
}

// TestHistoryAndQueries: price points per block with trades, capped by the
// params; markets filtered by status; positions by owner.
func TestHistoryAndQueries(t *testing.T) {
	f := newFixture(t)
	p := types.DefaultParams()
	p.MaxHistoryPoints = 3
	_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
	require.NoError(t, err)

	a := f.create(t, 2)
	b := f.create(t, 3)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	for h := int64(101); h <= 105; h++ {
		f.ctx = f.ctx.WithBlockHeight(h)
		f.buy(t, f.bob, a.Id, uint32(h%2), 100_000)
		require.NoError(t, f.k.EndBlocker(f.ctx))
	}
	hist, err := f.q.History(f.ctx, &types.QueryHistoryRequest{MarketId: a.Id})
	require.NoError(t, err)
	require.Len(t, hist.Points, 3)
	require.Equal(t, []int64{103, 104, 105}, []int64{hist.Points[0].Height, hist.Points[1].Height, hist.Points[2].Height})
	last, err := f.q.Prices(f.ctx, &types.QueryPricesRequest{MarketId: a.Id})
	require.NoError(t, err)
	require.Equal(t, last.Prices, hist.Points[2].Prices)
	hb, err := f.q.History(f.ctx, &types.QueryHistoryRequest{MarketId: b.Id})
	require.NoError(t, err)
	require.Len(t, hb.Points, 1, "the opening point at creation")
	opening, err := lmsr.Prices(types.ZeroShares(3), b.Liquidity)
	require.NoError(t, err)
	require.Equal(t, types.FormatPrices(opening), hb.Points[0].Prices)
	third := math.LegacyOneDec().QuoInt64(3)
	for _, p := range opening {
		require.True(t, p.Sub(third).Abs().LTE(math.LegacyNewDecWithPrec(1, 17)), "price %s is not 1/3", p)
	}

	f.finalize(t, f.market(t, a.Id), 5, 2)
	res, err := f.q.Markets(f.ctx, &types.QueryMarketsRequest{Status: types.MARKET_STATUS_OPEN})
	require.NoError(t, err)
	require.Len(t, res.Markets, 1)
	require.Equal(t, b.Id, res.Markets[0].Id)
	all, err := f.q.Markets(f.ctx, &types.QueryMarketsRequest{Pagination: &query.PageRequest{Limit: 1, CountTotal: true}})
	require.NoError(t, err)
	require.Len(t, all.Markets, 1)
	require.Equal(t, uint64(2), all.Pagination.Total)
	got, err := f.q.Market(f.ctx, &types.QueryMarketRequest{MarketId: a.Id})
	require.NoError(t, err)
	require.Equal(t, []string{"1.000000000000000000", "0.000000000000000000"}, got.Prices, "a settled market shows its payout per share")

	f.buy(t, f.bob, b.Id, 2, 50_000)
	pos, err := f.q.Positions(f.ctx, &types.QueryPositionsRequest{Owner: f.bob.String()})
	require.NoError(t, err)
	require.Len(t, pos.Positions, 2)
	require.Equal(t, a.Id, pos.Positions[0].MarketId)
	require.Equal(t, math.NewInt(50_000), pos.Positions[1].Shares[2])
	_, err = f.q.Positions(f.ctx, &types.QueryPositionsRequest{Owner: "nobody"})
	requireQueryError(t, err, codes.InvalidArgument, "a malformed owner")
	_, err = f.q.Market(f.ctx, &types.QueryMarketRequest{MarketId: 42})
	requireQueryError(t, err, codes.NotFound, "an unknown market")
}

// TestGenesisRoundTrip: export, validate, import into a fresh store, export
// again: the same state.
func TestGenesisRoundTrip(t *testing.T) {
	f := newFixture(t)
	m := f.create(t, 2)
	f.buy(t, f.bob, m.Id, 0, 300_000)
	f.buy(t, f.carol, m.Id, 1, 100_000)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	f.create(t, 3)
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, gs.Validate())

	g := newFixture(t)
	require.NoError(t, g.k.InitGenesis(g.ctx, *gs))
	again, err := g.k.ExportGenesis(g.ctx)
	require.NoError(t, err)
	require.Equal(t, gs, again)

	broken := *gs
	broken.Positions = append([]types.Position(nil), gs.Positions...)
	broken.Positions[0].Shares = []math.Int{math.NewInt(1), math.NewInt(0)}
	require.Error(t, broken.Validate(), "positions that do not sum to the shares")
	dup := *gs
	dup.Markets = append(dup.Markets, gs.Markets[0])
	require.Error(t, dup.Validate())
	_ = keeper.InvariantEscrow
}

// TestTradeEvents: every trade emits EventTrade with the prices after it;
// settlement and redemption emit theirs.
func TestTradeEvents(t *testing.T) {
	f := newFixture(t)
	m := f.create(t, 2)
	f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
	f.buy(t, f.bob, m.Id, 1, 2_000_000)
	prices, err := f.q.Prices(f.ctx, &types.QueryPricesRequest{MarketId: m.Id})
	require.NoError(t, err)
	var trade *sdk.Event
	for _, e := range f.ctx.EventManager().Events() {
		if e.Type == "delphi.market.v1.EventTrade" {
			trade = &e
		}
	}
	require.NotNil(t, trade, "no EventTrade")
	attrs := map[string]string{}
	for _, a := range trade.Attributes {
		attrs[a.Key] = a.Value
	}
	require.Equal(t, `"SIDE_BUY"`, attrs["side"])
	require.Equal(t, `"2000000"`, attrs["shares"])
	require.Equal(t, fmt.Sprintf(`["%s","%s"]`, prices.Prices[0], prices.Prices[1]), attrs["prices"])

	f.finalize(t, f.market(t, m.Id), 1, 2)
	f.redeem(t, f.bob, m.Id)
	var kinds []string
	for _, e := range f.ctx.EventManager().Events() {
		kinds = append(kinds, e.Type)
	}
	require.Contains(t, kinds, "delphi.market.v1.EventMarketResolved")
	require.Contains(t, kinds, "delphi.market.v1.EventRedeemed")
}
