package network_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/delphi-network/delphi/x/market/lmsr"
	markettypes "github.com/delphi-network/delphi/x/market/types"
)

// marketView is the REST shape of a market.
type marketView struct {
	Market struct {
		Status            string   `json:"status"`
		EvaluationID      string   `json:"evaluation_id"`
		Shares            []string `json:"shares"`
		Escrow            string   `json:"escrow"`
		Subsidy           string   `json:"subsidy"`
		CreatorFees       string   `json:"creator_fees"`
		LpFees            string   `json:"lp_fees"`
		TradeCount        string   `json:"trade_count"`
		PayoutNumerators  []string `json:"payout_numerators"`
		PayoutDenominator string   `json:"payout_denominator"`
		CreatedHeight     string   `json:"created_height"`
	} `json:"market"`
	Prices []string `json:"prices"`
}

// TestMarketSettlesOnALiveEvaluation is x/market through the running system:
// 4 validators with their sidecars evaluate two real iris models; Alice
// creates a market over that evaluation; Bob and Carol trade; the rounds
// finalize through vote extensions, the market resolves on the standings,
// the winners redeem. Every account's collateral ends exactly where the
// LMSR and fee arithmetic says, and the total supply is unchanged.
func TestMarketSettlesOnALiveEvaluation(t *testing.T) {
	net, _ := startEvaluation(t, 4, false)
	api := net.Nodes[0].API()
	alice, bob, carol := net.Accounts["alice"].String(), net.Accounts["bob"].String(), net.Accounts["carol"].String()
	supply := collateralSupply(t, api)
	start := map[string]math.Int{alice: balanceOf(t, api, alice), bob: balanceOf(t, api, bob), carol: balanceOf(t, api, carol)}

	b := math.NewInt(10_000_000)
	broadcast(t, net, "alice", &markettypes.MsgCreateMarket{
		Creator: alice, Title: "iris: logreg or mlp?", CollateralDenom: "uusdc", Liquidity: b,
		FeeBps: 100, CreatorFeeShareBps: 2_000,
		Spec: &markettypes.EvaluationSpec{BenchmarkId: 1, ModelIds: []uint64{1, 2}, Rounds: 2, ItemsPerRound: 30,
			BlocksBetweenRounds: 3, StartDelay: 10, DeadlineBlocks: 30},
	})
	var m marketView
	getJSON(t, api+"/delphi/market/v1/markets/1", &m)
	require.Equal(t, "MARKET_STATUS_OPEN", m.Market.Status)
	subsidy, err := lmsr.MaxLoss(2, b)
	require.NoError(t, err)
	require.Equal(t, subsidy.String(), m.Market.Subsidy)

	// REST: a quote, the open-market filter.
	var quote struct {
		Shares string `json:"shares"`
		Total  string `json:"total"`
	}
	getJSON(t, api+"/delphi/market/v1/markets/1/quote?side=buy&outcome=0&shares=4000000", &quote)
	wantCost, err := lmsr.BuyCost([]math.Int{math.ZeroInt(), math.ZeroInt()}, b, 0, math.NewInt(4_000_000))
	require.NoError(t, err)
	require.Equal(t, wantCost.Add(ceilBps(wantCost, 100)).String(), quote.Total)
	var list struct {
		Markets []struct {
			ID string `json:"id"`
		} `json:"markets"`
	}
	getJSON(t, api+"/delphi/market/v1/markets?status=MARKET_STATUS_OPEN", &list)
	require.Len(t, list.Markets, 1)
	// The names users type work as filters too.
	for _, status := range []string{"open", "Open"} {
		list.Markets = nil
		getJSON(t, api+"/delphi/market/v1/markets?status="+status, &list)
		require.Len(t, list.Markets, 1, status)
	}
	// User errors answer 4xx with the registered error's message.
	for _, c := range []struct {
		path string
		code int
		msg  string
	}{
		{"/delphi/market/v1/markets/99", http.StatusNotFound, "market 99 not found"},
		{"/delphi/market/v1/markets/99/quote?side=buy&outcome=0&shares=1000000", http.StatusNotFound, "market not found"},
		{"/delphi/market/v1/markets/1/quote?side=buy&outcome=7&shares=1000000", http.StatusBadRequest, "unknown outcome"},
		{"/delphi/market/v1/markets/1/quote?side=buy&outcome=0&shares=-5", http.StatusBadRequest, ""},
		{"/delphi/market/v1/markets?status=bogus", http.StatusBadRequest, ""},
		{"/delphi/evaluation/v1/evaluations/999", http.StatusNotFound, "not found"},
	} {
		requireStatus(t, api+c.path, c.code, c.msg)
	}

	// The trades, priced independently with the LMSR package and the fee
	// rule (1%, rounded up; 10% of it to the community pool).
	q := []math.Int{math.ZeroInt(), math.ZeroInt()}
	paid := map[string]math.Int{alice: subsidy, bob: math.ZeroInt(), carol: math.ZeroInt()}
	got := map[string]math.Int{alice: math.ZeroInt(), bob: math.ZeroInt(), carol: math.ZeroInt()}
	protocol, reporters := math.ZeroInt(), math.ZeroInt()
	protocolShare := func(fee math.Int) math.Int {
		p := fee.MulRaw(1_000).QuoRaw(markettypes.BasisPoints)
		// Half of it, rounded down, pays the evaluation's reporters.
		reporters = reporters.Add(p.MulRaw(5_000).QuoRaw(markettypes.BasisPoints))
		return p
	}
	trade := func(from, addr string, outcome int, shares int64, sell bool) {
		s := math.NewInt(shares)
		if sell {
			proceeds, err := lmsr.SellProceeds(q, b, outcome, s)
			require.NoError(t, err)
			fee := ceilBps(proceeds, 100)
			got[addr] = got[addr].Add(proceeds.Sub(fee))
			protocol = protocol.Add(protocolShare(fee))
			q[outcome] = q[outcome].Sub(s)
			broadcast(t, net, from, &markettypes.MsgSellShares{Trader: addr, MarketId: 1, Outcome: uint32(outcome), Shares: s, MinProceeds: proceeds.Sub(fee)})
		} else {
			cost, err := lmsr.BuyCost(q, b, outcome, s)
			require.NoError(t, err)
			fee := ceilBps(cost, 100)
			paid[addr] = paid[addr].Add(cost).Add(fee)
			protocol = protocol.Add(protocolShare(fee))
			q[outcome] = q[outcome].Add(s)
			broadcast(t, net, from, &markettypes.MsgBuyShares{Trader: addr, MarketId: 1, Outcome: uint32(outcome), Shares: s, MaxCost: cost.Add(fee)})
		}
		want := strconv.Itoa(int(q[outcome].Int64()))
		require.Eventually(t, func() bool {
			return tryGetJSON(api+"/delphi/market/v1/markets/1", &m) == nil && m.Market.Shares[outcome] == want
		}, 20*time.Second, 200*time.Millisecond, "trade not applied")
	}
	trade("bob", bob, 0, 4_000_000, false)
	trade("carol", carol, 1, 6_000_000, false)
	trade("bob", bob, 1, 1_000_000, false)
	trade("bob", bob, 0, 1_500_000, true)

	var positions struct {
		Positions []struct {
			Shares []string `json:"shares"`
		} `json:"positions"`
	}
	getJSON(t, api+"/delphi/market/v1/positions/"+bob, &positions)
	require.Len(t, positions.Positions, 1)
	require.Equal(t, []string{"2500000", "1000000"}, positions.Positions[0].Shares)

	var history struct {
		Points []struct {
			Prices []string `json:"prices"`
		} `json:"points"`
	}
	getJSON(t, api+"/delphi/market/v1/markets/1/history", &history)
	require.GreaterOrEqual(t, len(history.Points), 2, "a price point at creation and after trades")

	// The evaluation runs live; its hook settles the market.
	ev := waitForEnd(t, net)
	require.Equal(t, "EVALUATION_STATUS_FINALIZED", ev.Evaluation.Status)
	require.Eventually(t, func() bool {
		return tryGetJSON(api+"/delphi/market/v1/markets/1", &m) == nil && m.Market.Status == "MARKET_STATUS_RESOLVED"
	}, 20*time.Second, 200*time.Millisecond)
	// Winners are the models ranked first (a tie splits).
	num := make([]int64, 2)
	var den int64
	for _, s := range ev.Evaluation.Standings {
		if s.Rank == 1 {
			id, _ := strconv.Atoi(s.ModelID)
			num[id-1] = 1
			den++
		}
	}
	require.Equal(t, strconv.FormatInt(den, 10), m.Market.PayoutDenominator)

	// Positions: bob holds 2.5M of outcome 0 and 1M of outcome 1, carol 6M
	// of outcome 1. Each redeems ⌊Σ shares·num / den⌋.
	payout := func(s0, s1 int64) math.Int { return math.NewInt((s0*num[0] + s1*num[1]) / den) }
	expect := map[string]math.Int{bob: payout(2_500_000, 1_000_000), carol: payout(0, 6_000_000)}
	for name, addr := range map[string]string{"bob": bob, "carol": carol} {
		before := balanceOf(t, api, addr)
		broadcast(t, net, name, &markettypes.MsgRedeem{Owner: addr, MarketId: 1})
		require.Eventually(t, func() bool {
			return balanceOf(t, api, addr).Equal(before.Add(expect[addr]))
		}, 20*time.Second, 200*time.Millisecond, "%s was not paid %s", name, expect[addr])
		got[addr] = got[addr].Add(expect[addr])
	}

	// Alice, creator and liquidity provider, receives everything else: the
	// escrow left after payouts and 90% of the fees.
	escrow := subsidy
	for _, a := range []string{bob, carol} {
		escrow = escrow.Add(paid[a]).Sub(got[a])
	}
	require.Eventually(t, func() bool {
		getJSON(t, api+"/delphi/market/v1/markets/1", &m)
		return m.Market.Escrow == "0"
	}, 20*time.Second, 200*time.Millisecond)
	// The reporters' part of the protocol's share is split among the four
	// validators by the results each revealed (all four revealed all four),
	// each share paid to the validator through x/distribution; the rest of
	// the protocol's share, and the split's remainder, reach the community
	// pool.
	share := reporters.QuoRaw(4)
	require.True(t, share.IsPositive())
	for _, nd := range net.Nodes {
		require.Equal(t, share, outstandingCollateral(t, api, nd.ValAddr.String()), "%s was paid for its reports", nd.Moniker)
	}
	require.Equal(t, protocol.Sub(share.MulRaw(4)), communityPoolCollateral(t, api), "the rest of the protocol's fee share reached the community pool")
	require.Equal(t, start[alice].Sub(subsidy).Add(escrow.Sub(protocol)), balanceOf(t, api, alice))
	require.Equal(t, start[bob].Sub(paid[bob]).Add(got[bob]), balanceOf(t, api, bob))
	require.Equal(t, start[carol].Sub(paid[carol]).Add(got[carol]), balanceOf(t, api, carol))
	require.True(t, balanceOf(t, api, moduleAddress("market")).IsZero(), "the market module holds nothing once all is paid")
	require.Equal(t, supply, collateralSupply(t, api), "no collateral created or destroyed")

	// REST at a past height (x-cosmos-block-height, as on the SDK's
	// routes): the market as it was when created, before any trade.
	var then marketView
	getJSONAt(t, api+"/delphi/market/v1/markets/1", m.Market.CreatedHeight, &then)
	require.Equal(t, "MARKET_STATUS_OPEN", then.Market.Status)
	require.Equal(t, "0", then.Market.TradeCount)
	require.Equal(t, m.Market.CreatedHeight, then.Market.CreatedHeight)
	requireStatusAt(t, api+"/delphi/market/v1/markets/1", "99999999", http.StatusBadRequest)
}

func ceilBps(v math.Int, bps int64) math.Int {
	return v.MulRaw(bps).AddRaw(markettypes.BasisPoints - 1).QuoRaw(markettypes.BasisPoints)
}

func balanceOf(t *testing.T, api, addr string) math.Int {
	t.Helper()
	var res struct {
		Balance struct {
			Amount string `json:"amount"`
		} `json:"balance"`
	}
	getJSON(t, api+"/cosmos/bank/v1beta1/balances/"+addr+"/by_denom?denom=uusdc", &res)
	v, ok := math.NewIntFromString(res.Balance.Amount)
	require.True(t, ok, res.Balance.Amount)
	return v
}

func collateralSupply(t *testing.T, api string) math.Int {
	t.Helper()
	var res struct {
		Amount struct {
			Amount string `json:"amount"`
		} `json:"amount"`
	}
	getJSON(t, api+"/cosmos/bank/v1beta1/supply/by_denom?denom=uusdc", &res)
	v, ok := math.NewIntFromString(res.Amount.Amount)
	require.True(t, ok)
	return v
}

// communityPoolCollateral is the uusdc in the community pool (a decimal
// with 18 places over REST; the pool only ever receives whole units here).
func communityPoolCollateral(t *testing.T, api string) math.Int {
	t.Helper()
	var res struct {
		Pool []struct {
			Denom  string `json:"denom"`
			Amount string `json:"amount"`
		} `json:"pool"`
	}
	getJSON(t, api+"/cosmos/distribution/v1beta1/community_pool", &res)
	for _, c := range res.Pool {
		if c.Denom == "uusdc" {
			d, err := math.LegacyNewDecFromStr(c.Amount)
			require.NoError(t, err)
			return d.TruncateInt()
		}
	}
	return math.ZeroInt()
}

func moduleAddress(name string) string { return authtypes.NewModuleAddress(name).String() }

// outstandingCollateral is the uusdc x/distribution holds for a validator
// and its delegators (its commission included).
func outstandingCollateral(t *testing.T, api, valoper string) math.Int {
	t.Helper()
	var res struct {
		Rewards struct {
			Rewards []struct {
				Denom  string `json:"denom"`
				Amount string `json:"amount"`
			} `json:"rewards"`
		} `json:"rewards"`
	}
	getJSON(t, api+"/cosmos/distribution/v1beta1/validators/"+valoper+"/outstanding_rewards", &res)
	for _, c := range res.Rewards.Rewards {
		if c.Denom == "uusdc" {
			d, err := math.LegacyNewDecFromStr(c.Amount)
			require.NoError(t, err)
			return d.TruncateInt()
		}
	}
	return math.ZeroInt()
}
