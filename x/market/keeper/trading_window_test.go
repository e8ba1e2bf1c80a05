package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/market/types"
)

// knowable says, from the evaluation's round records and results alone
// (not the heights x/market reads), whether some round's items are known
// at height h while its results are not final on chain plus reopen blocks,
// and whether every round is drawn: when nobody may trade.
func knowable(t testing.TB, f *fixture, e evaluationtypes.Evaluation, reopen int64) (unpublished, allDrawn bool) {
	t.Helper()
	h := f.ctx.BlockHeight()
	allDrawn = true
	for r := uint32(0); r < e.Rounds; r++ {
		round, err := f.ek.Rounds.Get(f.ctx, collections.Join(e.Id, r))
		if err != nil {
			if e.DrawHeights[r] <= h {
				unpublished = true // its seed may be out, the draw waiting for it
			} else {
				allDrawn = false
			}
			continue
		}
		if round.Status != evaluationtypes.ROUND_STATUS_FINAL {
			unpublished = true
			continue
		}
		final := int64(0)
		for _, m := range e.ModelIds {
			res, err := f.ek.GetResult(f.ctx, e.Id, r, m)
			require.NoError(t, err)
			final = max(final, res.Height)
		}
		if h < final+reopen {
			unpublished = true
		}
	}
	return unpublished, allDrawn
}

// TestNoTradingOnceResultsCanBeKnown reproduces the drain of a market in
// its evaluation's challenge window: every round final, the winner public,
// and the LMSR still selling it at the old price. A market created with
// the default terms (reopen_blocks 0) trades only before its first round is
// drawn; from then on — through the rounds, the challenge window and
// settlement — every buy is refused with the reason.
func TestNoTradingOnceResultsCanBeKnown(t *testing.T) {
	f := newLiveFixture(t)
	msg := f.createMsg(3)
	msg.Spec = f.liveSpec(3, 2, 8)
	res, err := exec(f, func(ctx sdk.Context) (*types.MsgCreateMarketResponse, error) { return f.msg.CreateMarket(ctx, msg) })
	require.NoError(t, err)
	id := res.MarketId
	require.NoError(t, f.tryBuy(f.bob, id, 0, 1_000_000), "before the first draw the market trades")

	challengeWindowBlocks, openBlocks := 0, 0
	for i := 0; ; i++ {
		require.Less(t, i, 120, "the evaluation never finalized")
		f.block(t)
		m := f.market(t, id)
		if m.Status != types.MARKET_STATUS_OPEN {
			break
		}
		e := f.evaluation(t, m)
		unpublished, _ := knowable(t, f, e, 0)
		drawn := unpublished || e.FinalAfterHeight != 0
		for r := range e.DrawHeights {
			drawn = drawn || e.DrawHeights[r] <= f.ctx.BlockHeight()
		}
		// The leader (the last model) is known from round 0 on; the bet on
		// it is the one a trader reading results makes.
		err := f.tryBuy(f.carol, id, 2, 5_000_000)
		st := f.tradingState(t, id)
		if !drawn {
			require.NoError(t, err, "height %d: no round drawn yet", f.ctx.BlockHeight())
			require.True(t, st.Open)
			require.Equal(t, e.DrawHeights[0], st.ClosesAt, "it closes at the first draw")
			openBlocks++
			continue
		}
		require.ErrorIs(t, err, types.ErrTradingClosed, "height %d: a round is drawn", f.ctx.BlockHeight())
		require.False(t, st.Open)
		require.Contains(t, err.Error(), st.Reason)
		if e.FinalAfterHeight != 0 {
			challengeWindowBlocks++
			require.Contains(t, st.Reason, "every round of evaluation")
		}
	}
	require.Positive(t, openBlocks)
	require.Positive(t, challengeWindowBlocks, "the test saw the challenge window, the drain's moment")
	m := f.market(t, id)
	require.Equal(t, types.MARKET_STATUS_RESOLVED, m.Status)
	require.Equal(t, []uint64{0, 0, 1}, m.PayoutNumerators, "the leader won")
	require.Equal(t, math.NewInt(5_000_000*int64(openBlocks)), m.Shares[2], "only the trades before the first draw went through")
}

// TestTradingPausesBetweenRounds: with reopen_blocks, trading resumes that
// many blocks after a round's results are final and stops at the next
// round's draw; after the last draw it never resumes. Every block, the
// Market query's trading state and a real buy agree, and both agree with
// what the round records say is known.
func TestTradingPausesBetweenRounds(t *testing.T) {
	f := newLiveFixture(t)
	const reopen = 2
	msg := f.createMsg(3)
	msg.Spec, msg.ReopenBlocks = f.liveSpec(3, 3, 14), reopen
	res, err := exec(f, func(ctx sdk.Context) (*types.MsgCreateMarketResponse, error) { return f.msg.CreateMarket(ctx, msg) })
	require.NoError(t, err)
	id := res.MarketId

	openBetween, announced := 0, int64(0)
	for i := 0; ; i++ {
		require.Less(t, i, 150, "the evaluation never finalized")
		f.block(t)
		m := f.market(t, id)
		if m.Status != types.MARKET_STATUS_OPEN {
			break
		}
		h := f.ctx.BlockHeight()
		e := f.evaluation(t, m)
		unpublished, allDrawn := knowable(t, f, e, reopen)
		st := f.tradingState(t, id)
		err := f.tryBuy(f.carol, id, uint32(h%3), 200_000)
		require.Equal(t, st.Open, err == nil, "height %d: query says %+v, the buy %v", h, st, err)
		require.Equal(t, !unpublished && !allDrawn, st.Open, "height %d: %+v", h, st)
		if st.Open && e.DrawHeights[0] <= h {
			openBetween++
			if announced != 0 {
				require.Equal(t, announced, h, "it reopened where it said")
				announced = 0
			}
			next := int64(0)
			for r := range e.DrawHeights {
				if e.DrawHeights[r] > h && (next == 0 || e.DrawHeights[r] < next) {
					next = e.DrawHeights[r]
				}
			}
			require.Equal(t, next, st.ClosesAt)
		}
		if !st.Open && st.ReopensAt != 0 && announced == 0 {
			announced = st.ReopensAt
		}
		if allDrawn {
			require.False(t, st.Open)
		}
	}
	require.GreaterOrEqual(t, openBetween, 2, "trading resumed between the rounds")
}

// TestARoundDrawnAgainClosesTrading: a round whose dispute ended without a
// verdict is drawn again: its new items are unknown but its old ones were
// public, and its results are no longer final — trading stops at once.
func TestARoundDrawnAgainClosesTrading(t *testing.T) {
	f := newLiveFixture(t)
	msg := f.createMsg(2)
	msg.Spec, msg.ReopenBlocks = f.liveSpec(2, 2, 20), 1
	res, err := exec(f, func(ctx sdk.Context) (*types.MsgCreateMarketResponse, error) { return f.msg.CreateMarket(ctx, msg) })
	require.NoError(t, err)
	id := res.MarketId
	for i := 0; ; i++ {
		require.Less(t, i, 60, "round 0 never became final and accounted with trading open")
		f.block(t)
		round, err := f.ek.Rounds.Get(f.ctx, collections.Join(res.EvaluationId, uint32(0)))
		if err == nil && round.Accounted && f.tradingState(t, id).Open {
			break
		}
	}
	redrawn, err := f.ek.RedrawRound(f.ctx, res.EvaluationId, 0, 0)
	require.NoError(t, err)
	require.True(t, redrawn)
	st := f.tradingState(t, id)
	require.False(t, st.Open)
	require.Contains(t, st.Reason, "round 0's items are known")
	require.ErrorIs(t, f.tryBuy(f.bob, id, 0, 100_000), types.ErrTradingClosed)
}

// TestCreationRefusesTermsThatTradeOnKnownResults: a trading end past the
// last draw, a reopen delay that leaves no window between rounds, and a
// settle deadline beyond max_settle_blocks are refused with what is
// allowed.
func TestCreationRefusesTermsThatTradeOnKnownResults(t *testing.T) {
	f := newFixture(t)
	try := func(edit func(*types.MsgCreateMarket)) error {
		msg := f.createMsg(2)
		msg.Spec = f.liveSpec(2, 3, 10)
		edit(msg)
		_, err := exec(f, func(ctx sdk.Context) (*types.MsgCreateMarketResponse, error) { return f.msg.CreateMarket(ctx, msg) })
		return err
	}
	err := try(func(m *types.MsgCreateMarket) { m.TradingBlocks = 1_000 })
	require.ErrorIs(t, err, types.ErrInvalidMarket)
	require.Contains(t, err.Error(), "past the draw of evaluation")
	err = try(func(m *types.MsgCreateMarket) { m.ReopenBlocks = 10 })
	require.ErrorIs(t, err, types.ErrInvalidMarket)
	require.Contains(t, err.Error(), "leaves no trading between rounds")
	err = try(func(m *types.MsgCreateMarket) { m.Spec.DeadlineBlocks = 1_000_000_000 })
	require.ErrorIs(t, err, evaluationtypes.ErrInvalidEvaluation) // x/evaluation bounds a deadline first
	require.Contains(t, err.Error(), "deadline_blocks must each be at most")
	p := types.DefaultParams()
	p.MaxSettleBlocks = p.SettleGraceBlocks + 20
	_, err = f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
	require.NoError(t, err)
	err = try(func(*types.MsgCreateMarket) {})
	require.ErrorIs(t, err, types.ErrInvalidMarket)
	require.Contains(t, err.Error(), "max_settle_blocks")
	p.MaxSettleBlocks = types.DefaultParams().MaxSettleBlocks
	_, err = f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
	require.NoError(t, err)
	require.NoError(t, try(func(m *types.MsgCreateMarket) { m.TradingBlocks, m.ReopenBlocks = 15, 9 }))
}

// TestAMarketPastItsSettleDeadlineBecomesInvalid: an evaluation that never
// ends (here: nobody runs its blocks) cannot lock the market's escrow: at
// its settle deadline the market is made invalid, trading stops, the
// funder gets back what the shares cannot claim and holders redeem 1/N.
func TestAMarketPastItsSettleDeadlineBecomesInvalid(t *testing.T) {
	f := newFixture(t)
	m := f.create(t, 2)
	require.Positive(t, m.SettleDeadlineHeight)
	e := f.evaluation(t, m)
	require.Equal(t, e.DeadlineHeight+int64(types.DefaultParams().SettleGraceBlocks), m.SettleDeadlineHeight)
	f.buy(t, f.bob, m.Id, 0, 4_000_000)
	f.endBlock(t)
	before := f.balance(f.alice)

	f.ctx = f.ctx.WithBlockHeight(m.SettleDeadlineHeight - 1)
	f.endBlock(t)
	require.Equal(t, types.MARKET_STATUS_OPEN, f.market(t, m.Id).Status, "not before its deadline")
	f.ctx = f.ctx.WithBlockHeight(m.SettleDeadlineHeight).WithEventManager(sdk.NewEventManager())
	require.ErrorIs(t, f.tryBuy(f.bob, m.Id, 1, 100_000), types.ErrTradingClosed)
	f.endBlock(t)
	got := f.market(t, m.Id)
	require.Equal(t, types.MARKET_STATUS_INVALID, got.Status)
	require.True(t, f.balance(f.alice).GT(before), "the funder got its escrow back")
	expired := false
	for _, ev := range f.ctx.EventManager().Events() {
		expired = expired || ev.Type == "delphi.market.v1.EventMarketExpired"
	}
	require.True(t, expired)
	require.Equal(t, math.NewInt(2_000_000), f.redeem(t, f.bob, m.Id), "4 shares of 2 outcomes pay 1/2 each")
	has, err := f.k.SettleDeadlines.Has(f.ctx, collections.Join(m.SettleDeadlineHeight, m.Id))
	require.NoError(t, err)
	require.False(t, has, "settled markets leave the index")
}

// TestASettleDeadlineFollowsARedrawnEvaluation (review): a redraw after a
// dispute without verdict moves the evaluation's deadline; the market's
// settle deadline follows it (the same grace), within max_settle_blocks of
// its creation, instead of making a live evaluation's market invalid.
func TestASettleDeadlineFollowsARedrawnEvaluation(t *testing.T) {
	f := newFixture(t)
	m := f.create(t, 2)
	e := f.evaluation(t, m)
	e.Status, e.DeadlineHeight = evaluationtypes.EVALUATION_STATUS_RUNNING, e.DeadlineHeight+1_000 // as RedrawRound moves it
	require.NoError(t, f.ek.Evaluations.Set(f.ctx, e.Id, e))
	f.ctx = f.ctx.WithBlockHeight(m.SettleDeadlineHeight)
	f.endBlock(t)
	got := f.market(t, m.Id)
	require.Equal(t, types.MARKET_STATUS_OPEN, got.Status)
	require.Equal(t, e.DeadlineHeight+int64(types.DefaultParams().SettleGraceBlocks), got.SettleDeadlineHeight)
	f.ctx = f.ctx.WithBlockHeight(got.SettleDeadlineHeight)
	f.endBlock(t)
	require.Equal(t, types.MARKET_STATUS_INVALID, f.market(t, m.Id).Status, "the moved deadline holds")
}

// TestAFailedExpiryNeitherHaltsNorBlocksTheRest: a market whose
// invalidation fails (here: it names a funding vault on a chain without
// x/vault) is logged and retried later, behind the markets due after it;
// the end blocker returns no error.
func TestAFailedExpiryNeitherHaltsNorBlocksTheRest(t *testing.T) {
	f := newFixture(t)
	broken, fine := f.create(t, 2), f.create(t, 2)
	broken.FunderVaultId = 7
	require.NoError(t, f.k.Markets.Set(f.ctx, broken.Id, broken))
	f.ctx = f.ctx.WithBlockHeight(broken.SettleDeadlineHeight)
	f.endBlock(t)
	require.Equal(t, types.MARKET_STATUS_OPEN, f.market(t, broken.Id).Status)
	require.Equal(t, types.MARKET_STATUS_INVALID, f.market(t, fine.Id).Status)
	require.Equal(t, f.ctx.BlockHeight()+100, f.market(t, broken.Id).SettleDeadlineHeight, "retried later")
}
