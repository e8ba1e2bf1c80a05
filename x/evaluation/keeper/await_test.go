package keeper_test

import (
	"context"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/x/evaluation/keeper"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// fakeDisputes stands in for x/verde: it records contested results and
// reports disputes open while told to.
type fakeDisputes struct {
	contested []types.Claim
	results   []types.Result
	open      bool
}

func (d *fakeDisputes) ContestResult(_ context.Context, res types.Result, c types.Claim) error {
	d.results, d.contested = append(d.results, res), append(d.contested, c)
	return nil
}

func (d *fakeDisputes) HasOpenDisputes(context.Context, uint64) (bool, error) { return d.open, nil }

// TestChallengeWindowAndDisputesHoldFinalization: a dissenting claim is
// handed to the dispute keeper with the validators on both sides; the
// evaluation finalizes only after the challenge window and once no dispute
// is open; a replaced result changes the standings.
func TestChallengeWindowAndDisputesHoldFinalization(t *testing.T) {
	f := newFixture(t)
	p, err := f.k.Params.Get(f.ctx)
	require.NoError(t, err)
	p.ChallengeWindowBlocks = 5
	require.NoError(t, f.k.Params.Set(f.ctx, p))
	id, hooks := twoRounds(t, f)
	d := &fakeDisputes{}
	f.k.SetDisputeKeeper(d)

	all := func(r uint32, c1 uint64, rt byte) []*types.RoundResult {
		return []*types.RoundResult{res(id, r, 1, c1, rt), res(id, r, 2, 50, 2), res(id, r, 3, 40, 3)}
	}
	// Validators 1..3 (power 30 each) agree; validator 4 (10) dissents on model 1.
	votes := func(r uint32) []keeper.Vote {
		return []keeper.Vote{vote(1, 30, all(r, 60, 1)...), vote(2, 30, all(r, 60, 1)...),
			vote(3, 30, all(r, 60, 1)...), vote(4, 10, all(r, 90, 9)...)}
	}
	f.ctx = f.ctx.WithBlockHeight(110)
	require.NoError(t, f.k.TallyVotes(f.ctx, votes(0), 100))
	require.Len(t, d.contested, 1)
	require.Equal(t, []string{"01", "02", "03"}, d.results[0].Validators)
	require.Equal(t, types.Claim{Correct: 90, TraceRoot: hexRoot(9), Leaves: 12, Validators: []string{"04"}}, d.contested[0])

	require.NoError(t, f.k.TallyVotes(f.ctx, votes(1), 100))
	e, err := f.k.Evaluations.Get(f.ctx, id)
	require.NoError(t, err)
	require.Equal(t, types.EVALUATION_STATUS_RUNNING, e.Status, "waits for the challenge window")
	require.Equal(t, int64(115), e.FinalAfterHeight)

	d.open = true
	f.beginBlock(t, 115)
	require.Equal(t, types.EVALUATION_STATUS_RUNNING, f.status(t, id), "a dispute is open")
	f.beginBlock(t, 300)
	require.Equal(t, types.EVALUATION_STATUS_RUNNING, f.status(t, id), "the deadline does not fail an evaluation held by a dispute")

	// The dissenter won the dispute about round 0: its claim replaces the result.
	require.NoError(t, f.k.ReplaceResult(f.ctx, id, 0, 1, d.contested[0]))
	got, err := f.k.GetResult(f.ctx, id, 0, 1)
	require.NoError(t, err)
	require.True(t, got.Replaced)
	require.Equal(t, uint64(90), got.Correct)
	d.open = false
	f.beginBlock(t, 301)
	require.Equal(t, types.EVALUATION_STATUS_FINALIZED, f.status(t, id))
	st := hooks.finalized[id]
	require.Equal(t, uint64(1), st[0].ModelId)
	require.Equal(t, uint64(150), st[0].Correct, "90 + 60 after the replacement")
}

func hexRoot(b byte) string { return hex.EncodeToString(root(b)) }
