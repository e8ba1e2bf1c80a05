package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/testutil/evalsim"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// A round without quorum by its timeout is drawn again with new items and a
// new seed; the partial results and commitments of the first attempt are
// discarded, and what validators say about it no longer counts.
func TestRoundWithoutQuorumIsRedrawn(t *testing.T) {
	f := newFixture(t)
	id, hooks := twoRounds(t, f) // round 0 drawn at 103, timeout 12 blocks
	attempt1 := false
	f.sim.Results = f.sim.Claims(func(i int, r types.Round, m uint64) *types.RoundResult {
		switch {
		case r.Round != 0:
			return evalsim.Result(1, 1)
		case r.Attempt == 0 && m == 1:
			return evalsim.Result(50, 1) // only model 1 of the first attempt
		case r.Attempt == 1 && attempt1:
			return evalsim.Result(60+m, byte(m))
		}
		return nil
	})
	// Not every model is committed to, so the window runs to its deadline
	// (108); the reveals come in the block after the next.
	f.runTo(t, 110)
	_, final := f.result(t, id, 0, 1)
	require.True(t, final, "model 1 of attempt 0 became final")
	first := f.round(t, id, 0)
	require.Equal(t, int64(115), first.TimeoutHeight)

	f.runTo(t, 115)
	second := f.round(t, id, 0)
	require.Equal(t, uint32(1), second.Attempt)
	require.Equal(t, types.ROUND_STATUS_SEEDING, second.Status, "waits for a new seed")
	require.Equal(t, int64(115+types.MinSeedLead), second.SeedHeight)
	_, final = f.result(t, id, 0, 1)
	require.False(t, final, "results of the earlier attempt are discarded")
	cs, err := f.q.Commitments(f.ctx, &types.QueryCommitmentsRequest{Id: id, Round: 0})
	require.NoError(t, err)
	require.Empty(t, cs.Commitments, "and so are its commitments")

	f.runTo(t, 118)
	second = f.round(t, id, 0)
	require.Equal(t, types.ROUND_STATUS_OPEN, second.Status)
	require.Equal(t, int64(118), second.StartHeight)
	require.Equal(t, int64(130), second.TimeoutHeight)
	require.NotEqual(t, first.Seed, second.Seed, "new items")

	attempt1 = true
	f.runTo(t, 125)
	require.Equal(t, types.ROUND_STATUS_FINAL, f.round(t, id, 0).Status)
	got, _ := f.result(t, id, 0, 1)
	require.Equal(t, uint64(61), got.Correct)

	// A final round is not redrawn when its old timeout comes.
	f.runTo(t, 130)
	require.Equal(t, uint32(1), f.round(t, id, 0).Attempt)
	require.Empty(t, hooks.failed)
}

func TestRoundOutOfRetriesFailsTheEvaluation(t *testing.T) {
	f := newFixture(t)
	id, hooks := twoRounds(t, f)
	// Default: 2 retries. Attempts drawn at 103, 118 (timeout 115 + seed
	// lead 3) and 133; the third times out at 145 and fails it.
	f.runTo(t, 144)
	require.Equal(t, types.EVALUATION_STATUS_RUNNING, f.status(t, id))
	require.Equal(t, uint32(2), f.round(t, id, 0).Attempt)
	f.runTo(t, 145)
	require.Equal(t, types.EVALUATION_STATUS_FAILED, f.status(t, id))
	require.Equal(t, []uint64{id}, hooks.failed)
	for _, r := range f.rounds(t, id) {
		require.Equal(t, types.ROUND_STATUS_FAILED, r.Status)
	}
}
