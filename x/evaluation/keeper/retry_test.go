package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	"github.com/delphi-network/delphi/x/evaluation/keeper"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

func withAttempt(r *types.RoundResult, a uint32) *types.RoundResult {
	r.Attempt = a
	return r
}

// A round without quorum by its timeout is drawn again with new items; the
// partial results of the first attempt are discarded and stale claims for it
// no longer count.
func TestRoundWithoutQuorumIsRedrawn(t *testing.T) {
	f := newFixture(t)
	id, hooks := twoRounds(t, f) // rounds open at 102 and 105, timeout 10 blocks
	// Model 1 of round 0 becomes final in attempt 0; model 2 and 3 never do.
	require.NoError(t, f.k.TallyVotes(f.ctx, []keeper.Vote{vote(1, 10, res(id, 0, 1, 50, 1))}, 10))
	_, final := f.result(t, id, 0, 1)
	require.True(t, final)

	first, err := f.k.Rounds.Get(f.ctx, collections.Join(id, uint32(0)))
	require.NoError(t, err)
	require.Equal(t, int64(112), first.TimeoutHeight)
	f.beginBlock(t, 111)
	f.beginBlock(t, 112)
	second, err := f.k.Rounds.Get(f.ctx, collections.Join(id, uint32(0)))
	require.NoError(t, err)
	require.Equal(t, uint32(1), second.Attempt)
	require.Equal(t, int64(112), second.StartHeight)
	require.Equal(t, int64(122), second.TimeoutHeight)
	require.NotEqual(t, first.Seed, second.Seed, "new items")
	_, final = f.result(t, id, 0, 1)
	require.False(t, final, "results of the earlier attempt are discarded")

	// Claims computed for attempt 0 are ignored; attempt 1 finalizes.
	require.NoError(t, f.k.TallyVotes(f.ctx, []keeper.Vote{vote(1, 10, res(id, 0, 1, 50, 1), res(id, 0, 2, 50, 2), res(id, 0, 3, 50, 3))}, 10))
	_, final = f.result(t, id, 0, 2)
	require.False(t, final)
	require.NoError(t, f.k.TallyVotes(f.ctx, []keeper.Vote{vote(1, 10,
		withAttempt(res(id, 0, 1, 60, 1), 1), withAttempt(res(id, 0, 2, 61, 2), 1), withAttempt(res(id, 0, 3, 62, 3), 1))}, 10))
	r0, err := f.k.Rounds.Get(f.ctx, collections.Join(id, uint32(0)))
	require.NoError(t, err)
	require.Equal(t, types.ROUND_STATUS_FINAL, r0.Status)
	got, _ := f.result(t, id, 0, 1)
	require.Equal(t, uint64(60), got.Correct)

	// A final round is not redrawn when its old timeout comes.
	f.beginBlock(t, 122)
	r0, err = f.k.Rounds.Get(f.ctx, collections.Join(id, uint32(0)))
	require.NoError(t, err)
	require.Equal(t, uint32(1), r0.Attempt)
	require.Empty(t, hooks.failed)
}

func TestRoundOutOfRetriesFailsTheEvaluation(t *testing.T) {
	f := newFixture(t)
	id, hooks := twoRounds(t, f)
	// Default: 2 retries, so attempts at 102, 112, 122; failure at 132.
	for _, h := range []int64{112, 122} {
		f.beginBlock(t, h)
		require.Equal(t, types.EVALUATION_STATUS_RUNNING, f.status(t, id), "height %d", h)
	}
	r0, err := f.k.Rounds.Get(f.ctx, collections.Join(id, uint32(0)))
	require.NoError(t, err)
	require.Equal(t, uint32(2), r0.Attempt)
	f.beginBlock(t, 132)
	require.Equal(t, types.EVALUATION_STATUS_FAILED, f.status(t, id))
	require.Equal(t, []uint64{id}, hooks.failed)
	for _, r := range f.rounds(t, id) {
		require.Equal(t, types.ROUND_STATUS_FAILED, r.Status)
	}
}
