package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/testutil/evalsim"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/market/types"
)

// newLiveFixture is a fixture whose evaluations run: four validators of
// equal power report every model's result in every open round, model i
// (by position) scoring 3+i·2 of its items plus the round number, so the
// last model leads from the first round.
func newLiveFixture(t testing.TB) *fixture {
	t.Helper()
	f := newFixture(t)
	f.sim = evalsim.New(f.ek, 4)
	f.sim.Results = f.sim.Claims(func(_ int, r evaluationtypes.Round, m uint64) *evaluationtypes.RoundResult {
		for i, id := range f.models {
			if id == m {
				return evalsim.Result(uint64(3+2*i)+uint64(r.Round), byte(m))
			}
		}
		return nil
	})
	return f
}

// block runs the next block: x/evaluation's consensus path and begin
// blocker (through the sim), then x/market's end blocker.
func (f *fixture) block(t testing.TB) {
	t.Helper()
	f.ctx = f.sim.Block(t, f.ctx)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	f.checkInvariants(t)
}

// tryBuy buys and returns the refusal, if any.
func (f *fixture) tryBuy(who sdk.AccAddress, id uint64, outcome uint32, shares int64) error {
	_, err := exec(f, func(ctx sdk.Context) (*types.MsgBuySharesResponse, error) {
		return f.msg.BuyShares(ctx, &types.MsgBuyShares{Trader: who.String(), MarketId: id, Outcome: outcome,
			Shares: math.NewInt(shares), MaxCost: math.NewInt(1 << 50)})
	})
	return err
}

// evaluation is the market's evaluation now.
func (f *fixture) evaluation(t testing.TB, m types.Market) evaluationtypes.Evaluation {
	t.Helper()
	e, err := f.ek.GetEvaluation(f.ctx, m.EvaluationId)
	require.NoError(t, err)
	return e
}

// tradingState is what the Market query says about trading now.
func (f *fixture) tradingState(t testing.TB, id uint64) types.TradingState {
	t.Helper()
	res, err := f.q.Market(f.ctx, &types.QueryMarketRequest{MarketId: id})
	require.NoError(t, err)
	return res.Trading
}

// liveSpec is an evaluation of rounds rounds of the first n models, drawn
// between blocks apart from 10 blocks after creation.
func (f *fixture) liveSpec(n int, rounds uint32, between uint64) *types.EvaluationSpec {
	return &types.EvaluationSpec{BenchmarkId: f.benchmark, ModelIds: f.models[:n], Rounds: rounds, ItemsPerRound: 10,
		BlocksBetweenRounds: between, StartDelay: 10, DeadlineBlocks: 40}
}
