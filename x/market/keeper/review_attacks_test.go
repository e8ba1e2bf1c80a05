package keeper_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/testutil/evalsim"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/market/types"
)

// TestAVerdictInAnUnfinishedRoundKeepsTradingClosed (review): a dispute
// verdict (ReplaceResult) on one model's result while its round was still
// incomplete wrote the round's final height, so trading reopened although
// the other models' results were not on chain (their items known since the
// draw) — and stayed open when the round timed out and was drawn again.
// Only a final round's replaced result restarts the reopen clock, and a
// timed-out round is never final.
func TestAVerdictInAnUnfinishedRoundKeepsTradingClosed(t *testing.T) {
	f := newFixture(t)
	f.sim = evalsim.New(f.ek, 4)
	f.sim.Results = f.sim.Claims(func(_ int, r evaluationtypes.Round, m uint64) *evaluationtypes.RoundResult {
		if m == f.models[0] {
			return evalsim.Result(5, byte(m))
		}
		return nil // model 1 never reaches a final result in time
	})
	msg := f.createMsg(2)
	msg.Spec = f.liveSpec(2, 2, 60)
	msg.ReopenBlocks = 2
	res, err := exec(f, func(ctx sdk.Context) (*types.MsgCreateMarketResponse, error) { return f.msg.CreateMarket(ctx, msg) })
	require.NoError(t, err)
	id := res.MarketId
	m := f.market(t, id)
	var r0 evaluationtypes.Result
	for i := 0; ; i++ {
		require.Less(t, i, 40)
		f.block(t)
		if got, err := f.ek.GetResult(f.ctx, m.EvaluationId, 0, f.models[0]); err == nil {
			r0 = got
			break
		}
	}
	require.False(t, f.tradingState(t, id).Open)
	// a dispute about model 0's result is won by its challenger.
	_, err = exec(f, func(ctx sdk.Context) (struct{}, error) {
		return struct{}{}, f.ek.ReplaceResult(ctx, m.EvaluationId, 0, f.models[0], evaluationtypes.Claim{
			Correct: r0.Correct + 1, TraceRoot: r0.TraceRoot, Leaves: r0.Leaves, Validators: r0.Validators})
	})
	require.NoError(t, err)
	f.block(t)
	f.block(t)
	round, err := f.ek.Rounds.Get(f.ctx, collections.Join(m.EvaluationId, uint32(0)))
	require.NoError(t, err)
	_, missing := f.ek.GetResult(f.ctx, m.EvaluationId, 0, f.models[1])
	ts := f.tradingState(t, id)
	t.Logf("height %d: round 0 %s, model 1 result missing: %v; trading %+v", f.ctx.BlockHeight(), round.Status, missing != nil, ts)
	require.NotEqual(t, evaluationtypes.ROUND_STATUS_FINAL, round.Status)
	require.False(t, ts.Open, "no trade while round 0 is not final")
	require.ErrorIs(t, f.tryBuy(f.bob, id, 1, 1_000_000), types.ErrTradingClosed)
	// The round then times out and is drawn again (attempt 1).
	for i := 0; ; i++ {
		require.Less(t, i, 40)
		f.block(t)
		round, err = f.ek.Rounds.Get(f.ctx, collections.Join(m.EvaluationId, uint32(0)))
		require.NoError(t, err)
		if round.Attempt == 1 && round.Status == evaluationtypes.ROUND_STATUS_OPEN {
			break
		}
	}
	ts = f.tradingState(t, id)
	t.Logf("height %d: round 0 redrawn (attempt %d, drawn at %d, seed %s...): trading %+v", f.ctx.BlockHeight(), round.Attempt, round.StartHeight, round.Seed[:8], ts)
	require.False(t, ts.Open, "no trade while the redrawn round's new items are known")
	require.ErrorIs(t, f.tryBuy(f.bob, id, 1, 1_000_000), types.ErrTradingClosed)
}

// disputes stands in for x/verde: which evaluations have a dispute open.
type disputes map[uint64]bool

func (disputes) ContestResult(context.Context, evaluationtypes.Result, evaluationtypes.Claim) error {
	return nil
}

func (d disputes) HasOpenDisputes(_ context.Context, id uint64) (bool, error) { return d[id], nil }

// TestTradingStaysClosedWhileADisputeIsOpen (review): a result under
// dispute may be replaced, and anyone who reruns the disputed item knows
// whether it will be: between rounds, trading stays closed until the
// dispute is decided.
func TestTradingStaysClosedWhileADisputeIsOpen(t *testing.T) {
	f := newLiveFixture(t)
	open := disputes{}
	f.ek.SetDisputeKeeper(open)
	msg := f.createMsg(2)
	msg.Spec, msg.ReopenBlocks = f.liveSpec(2, 2, 20), 1
	res, err := exec(f, func(ctx sdk.Context) (*types.MsgCreateMarketResponse, error) { return f.msg.CreateMarket(ctx, msg) })
	require.NoError(t, err)
	for i := 0; !f.tradingState(t, res.MarketId).Open || f.evaluation(t, f.market(t, res.MarketId)).FinalHeights[0] == 0; i++ {
		require.Less(t, i, 40, "trading never reopened after round 0")
		f.block(t)
	}
	open[res.EvaluationId] = true
	st := f.tradingState(t, res.MarketId)
	require.False(t, st.Open)
	require.Contains(t, st.Reason, "a dispute about a result of evaluation")
	require.ErrorIs(t, f.tryBuy(f.bob, res.MarketId, 0, 100_000), types.ErrTradingClosed)
	open[res.EvaluationId] = false
	require.NoError(t, f.tryBuy(f.bob, res.MarketId, 0, 100_000), "decided without a replacement: trading resumes")
}
