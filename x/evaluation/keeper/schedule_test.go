package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	"github.com/delphi-network/delphi/x/evaluation/keeper"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// spam creates n one-round, one-item evaluations of models 1 and 2 whose
// draws want height+startDelay, deadline blocks after their draw.
func (f *fixture) spam(t *testing.T, n int, startDelay, deadline uint64) {
	t.Helper()
	for i := 0; i < n; i++ {
		_, err := f.msg.CreateEvaluation(f.ctx, &types.MsgCreateEvaluation{Creator: f.bob, BenchmarkId: 1,
			ModelIds: []uint64{1, 2}, Rounds: 1, ItemsPerRound: 1, BlocksBetweenRounds: 2, StartDelay: startDelay,
			DeadlineBlocks: deadline})
		require.NoError(t, err)
	}
}

// victim creates the evaluation under attack: three rounds of models 1
// and 2, drawn from 110 on, with 12 blocks after its last draw.
func (f *fixture) victim(t *testing.T) uint64 {
	t.Helper()
	out, err := f.msg.CreateEvaluation(f.ctx, &types.MsgCreateEvaluation{Creator: f.bob, BenchmarkId: 1,
		ModelIds: []uint64{1, 2}, Rounds: 3, ItemsPerRound: 10, BlocksBetweenRounds: 3, StartDelay: 10, DeadlineBlocks: 12})
	require.NoError(t, err)
	return out.Id
}

func newScheduleFixture(t *testing.T) *fixture {
	f := newFixture(t)
	f.setParams(t, func(p *types.Params) { p.MaxDrawsPerBlock = 4 })
	f.benchmark(t, "mnist")
	f.model(t, f.alice, "a")
	f.model(t, f.alice, "b")
	f.honest(func(m uint64, _ uint32) uint64 { return m })
	return f
}

// TestSpamCannotDelayAnEvaluationsDraws: after an evaluation is created,
// an attacker creates many cheap, long-lived evaluations whose draws want
// the heights before the victim's (their deposits come back at the end).
// Before, draws were taken oldest seed first, max_draws_per_block a block,
// so the backlog kept the victim's rounds from being drawn until its
// deadline had passed: it failed, and its markets paid out as invalid.
// Now every draw is reserved at creation at a height with room, so the
// victim's rounds are drawn on time and it finalizes.
func TestSpamCannotDelayAnEvaluationsDraws(t *testing.T) {
	f := newScheduleFixture(t)
	id := f.victim(t)
	f.spam(t, 120, 3, 100)
	e, err := f.k.Evaluations.Get(f.ctx, id)
	require.NoError(t, err)
	require.Equal(t, []int64{110, 113, 116}, e.DrawHeights)
	f.runTo(t, e.DeadlineHeight+5)
	require.Equal(t, types.EVALUATION_STATUS_FINALIZED, f.status(t, id))
	for r, h := range e.DrawHeights {
		round, err := f.k.GetRound(f.ctx, id, uint32(r))
		require.NoError(t, err)
		require.Equal(t, h, round.StartHeight, "round %d drawn at its reserved height", r)
	}
}

// TestSpamCreatedFirstOnlyPushesALaterSchedule: when the spam comes first,
// the evaluation created after it reserves the first heights with room;
// its deadline counts from there, so it still finalizes.
func TestSpamCreatedFirstOnlyPushesALaterSchedule(t *testing.T) {
	f := newScheduleFixture(t)
	f.spam(t, 120, 3, 100) // heights 103 to 132, four each
	id := f.victim(t)
	e, err := f.k.Evaluations.Get(f.ctx, id)
	require.NoError(t, err)
	require.Equal(t, []int64{133, 136, 139}, e.DrawHeights)
	require.Equal(t, int64(139+12), e.DeadlineHeight)
	f.runTo(t, e.DeadlineHeight+5)
	require.Equal(t, types.EVALUATION_STATUS_FINALIZED, f.status(t, id))
}

// TestAFullScheduleRefusesAnEvaluation: with no height with room within
// the search, a new evaluation is refused with a clear error, and its
// deposit stays with its creator.
func TestAFullScheduleRefusesAnEvaluation(t *testing.T) {
	defer keeper.SetSlotSearchBlocks(8)()
	f := newScheduleFixture(t)
	f.spam(t, 32, 3, 100) // heights 103 to 110
	before := f.balance(f.bob, "udelphi")
	tx, _ := f.ctx.CacheContext() // a failed tx's writes are dropped
	_, err := f.msg.CreateEvaluation(tx, &types.MsgCreateEvaluation{Creator: f.bob, BenchmarkId: 1,
		ModelIds: []uint64{1, 2}, Rounds: 1, ItemsPerRound: 1, BlocksBetweenRounds: 2, StartDelay: 3, DeadlineBlocks: 20})
	require.ErrorIs(t, err, types.ErrInvalidEvaluation)
	require.ErrorContains(t, err, "draw schedule is full")
	require.Equal(t, before, f.balance(f.bob, "udelphi"))
}

// TestAnEndedEvaluationGivesBackItsReservedDraws: cancelling an
// evaluation frees the heights its rounds had reserved, so reserving
// far-ahead heights and cancelling costs others nothing.
func TestAnEndedEvaluationGivesBackItsReservedDraws(t *testing.T) {
	f := newScheduleFixture(t)
	id := f.victim(t)
	require.NoError(t, f.k.CancelEvaluation(f.ctx, id, "market cancelled", false))
	for _, h := range []int64{110, 113, 116} {
		has, err := f.k.DrawLoad.Has(f.ctx, h)
		require.NoError(t, err)
		require.False(t, has, "height %d", h)
	}
	n := 0
	require.NoError(t, f.k.Draws.Walk(f.ctx, nil, func(collections.Triple[int64, uint64, uint32]) (bool, error) {
		n++
		return false, nil
	}))
	require.Zero(t, n)
	// Nobody waits for those seeds any more: they are gone, pending or not.
	require.NoError(t, f.k.Seeds.Walk(f.ctx, nil, func(int64, types.Seed) (bool, error) {
		n++
		return false, nil
	}))
	require.NoError(t, f.k.PendingSeeds.Walk(f.ctx, nil, func(int64) (bool, error) {
		n++
		return false, nil
	}))
	require.Zero(t, n)
}

// TestDeadlineFailuresPerBlockAreBounded: evaluations whose deadlines a
// spammer aligned on one height fail at most 16 a block, the rest in the
// next blocks, so that block's hooks stay bounded.
func TestDeadlineFailuresPerBlockAreBounded(t *testing.T) {
	f := newScheduleFixture(t)
	f.sim.Results = nil // nothing is reported: every evaluation fails at its deadline
	f.setParams(t, func(p *types.Params) { p.MaxDrawsPerBlock = 40 })
	f.spam(t, 40, 3, 8) // all drawn at 103, deadline 103+8
	failed := func() (n int) {
		for id := uint64(1); id <= 40; id++ {
			if f.status(t, id) == types.EVALUATION_STATUS_FAILED {
				n++
			}
		}
		return n
	}
	for _, want := range []struct {
		height int64
		failed int
	}{{110, 0}, {111, 16}, {112, 32}, {113, 40}} {
		f.runTo(t, want.height)
		require.Equal(t, want.failed, failed(), "at height %d", want.height)
	}
}

// TestADeadlineTooShortForARoundIsRefused: the last round needs its
// commit and reveal windows.
func TestADeadlineTooShortForARoundIsRefused(t *testing.T) {
	f := newScheduleFixture(t)
	_, err := f.msg.CreateEvaluation(f.ctx, &types.MsgCreateEvaluation{Creator: f.bob, BenchmarkId: 1,
		ModelIds: []uint64{1, 2}, Rounds: 1, ItemsPerRound: 1, BlocksBetweenRounds: 2, StartDelay: 3, DeadlineBlocks: 7})
	require.ErrorIs(t, err, types.ErrInvalidEvaluation)
	require.ErrorContains(t, err, "shorter than a round's commit and reveal windows")
}
