package keeper_test

import (
	"encoding/hex"
	"math/bits"
	"testing"

	"github.com/stretchr/testify/require"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/verde/types"
)

// maxSteps is the game's bound: the first step, ⌈log2 leaves⌉ bisections
// and the referee step.
func maxSteps(leaves int) int { return 1 + bits.Len(uint(leaves-1)) + 1 }

// TestLiarOutvotedLosesItsDispute: one validator of four reports a trace
// with one falsified operator output; the tally opens a dispute, the
// bisection finds that operator, the referee recomputes it from the liar's
// own inputs and the liar is slashed and jailed; the result stands and the
// evaluation finalizes.
func TestLiarOutvotedLosesItsDispute(t *testing.T) {
	f := newFixture(t)
	per := f.honest.Model.Program.LeavesPerItem()
	lie := f.liar(3*per + per/2)
	votes := []claim{f.vote(0, f.honest, f.correct), f.vote(1, f.honest, f.correct), f.vote(2, f.honest, f.correct), f.vote(3, lie, f.correct)}
	f.tally(t, votes...)
	d := f.dispute(t, 1)
	require.Equal(t, types.DISPUTE_STATUS_OPEN, d.Status)
	require.Equal(t, f.honest.Root(), d.Claimant.TraceRoot)
	require.Equal(t, lie.Root(), d.Challenger.TraceRoot)
	require.Equal(t, []string{hex.EncodeToString(f.validators[3])}, d.Challenger.Validators)

	// The evaluation is held while the dispute is open.
	f.beginBlock(t, 104)
	e, err := f.ek.GetEvaluation(f.ctx, f.evaluation)
	require.NoError(t, err)
	require.Equal(t, evaluationtypes.EVALUATION_STATUS_RUNNING, e.Status)

	steps := f.play(t, 1, f.honest, lie)
	d = f.dispute(t, 1)
	require.Equal(t, types.DISPUTE_STATUS_CLAIMANT_WON, d.Status, d.Reason)
	require.Equal(t, int64(3*per+per/2), d.Hi, "the bisection found the falsified operator")
	require.LessOrEqual(t, steps, maxSteps(f.honest.Trace.Len()))
	require.Equal(t, []string{hex.EncodeToString(f.validators[3])}, f.slashing.slashed)
	require.Equal(t, []string{hex.EncodeToString(f.validators[3])}, f.slashing.jailed)

	f.beginBlock(t, f.ctx.BlockHeight()+3)
	e, err = f.ek.GetEvaluation(f.ctx, f.evaluation)
	require.NoError(t, err)
	require.Equal(t, evaluationtypes.EVALUATION_STATUS_FINALIZED, e.Status)
	res, err := f.ek.GetResult(f.ctx, f.evaluation, 0, 1)
	require.NoError(t, err)
	require.Equal(t, f.honest.Root(), res.TraceRoot)
	require.False(t, res.Replaced)
}

// TestHonestMinorityOverturnsLyingMajority: three validators of four (75%
// of the power) report the same falsified trace and a wrong score; the one
// honest validator's claim wins the dispute, the three are slashed, and the
// honest result replaces the final one before the evaluation finalizes.
func TestHonestMinorityOverturnsLyingMajority(t *testing.T) {
	for _, k := range []int{0, 5, -1} { // first leaf, early, last leaf
		f := newFixture(t)
		if k < 0 {
			k = f.honest.Trace.Len() - 1
		}
		lie := f.liar(k)
		votes := []claim{f.vote(0, lie, f.correct), f.vote(1, lie, f.correct), f.vote(2, lie, f.correct), f.vote(3, f.honest, f.correct)}
		f.tally(t, votes...)
		res, err := f.ek.GetResult(f.ctx, f.evaluation, 0, 1)
		require.NoError(t, err)
		require.Equal(t, lie.Root(), res.TraceRoot, "the lie had the votes")

		steps := f.play(t, 1, lie, f.honest)
		d := f.dispute(t, 1)
		require.Equal(t, types.DISPUTE_STATUS_CHALLENGER_WON, d.Status, "leaf %d: %s", k, d.Reason)
		require.Equal(t, int64(k), d.Hi)
		require.LessOrEqual(t, steps, maxSteps(f.honest.Trace.Len()))
		require.ElementsMatch(t, []string{hex.EncodeToString(f.validators[0]), hex.EncodeToString(f.validators[1]),
			hex.EncodeToString(f.validators[2])}, f.slashing.slashed)

		res, err = f.ek.GetResult(f.ctx, f.evaluation, 0, 1)
		require.NoError(t, err)
		require.True(t, res.Replaced)
		require.Equal(t, f.honest.Root(), res.TraceRoot)
		require.Equal(t, f.correct, res.Correct)
		f.beginBlock(t, f.ctx.BlockHeight()+3)
		e, err := f.ek.GetEvaluation(f.ctx, f.evaluation)
		require.NoError(t, err)
		require.Equal(t, evaluationtypes.EVALUATION_STATUS_FINALIZED, e.Status)
		for _, s := range e.Standings {
			require.Equal(t, f.correct, s.Correct, "standings use the honest result")
		}
	}
}

// TestTimeouts: a side that does not reveal loses at the step deadline; in
// the referee phase a side that does not justify its leaf loses to one that
// did, and if neither did there is no verdict: nobody is slashed and the
// round is drawn again.
func TestTimeouts(t *testing.T) {
	t.Run("challenger silent", func(t *testing.T) {
		f := newFixture(t)
		lie := f.liar(4)
		f.tally(t, f.vote(0, f.honest, f.correct), f.vote(1, f.honest, f.correct),
			f.vote(2, f.honest, f.correct), f.vote(3, lie, f.correct))
		move, err := f.honestMove(1, types.SIDE_CLAIMANT)
		require.NoError(t, err)
		require.NoError(t, f.deliver(t, move))
		f.beginBlock(t, f.dispute(t, 1).DeadlineHeight)
		d := f.dispute(t, 1)
		require.Equal(t, types.DISPUTE_STATUS_CLAIMANT_WON, d.Status)
		require.Contains(t, d.Reason, "challenger did not move")
		require.Len(t, f.slashing.slashed, 1)
	})
	t.Run("nobody justifies", func(t *testing.T) {
		f := newFixture(t)
		lie := f.liar(0)
		f.tally(t, f.vote(0, f.honest, f.correct), f.vote(1, f.honest, f.correct),
			f.vote(2, f.honest, f.correct), f.vote(3, lie, f.correct))
		// Bisect until the referee phase, then stay silent.
		for f.dispute(t, 1).Phase == types.PHASE_BISECT {
			for _, s := range []struct {
				side types.Side
				run  func() error
			}{
				{types.SIDE_CLAIMANT, func() error {
					m, err := f.honestMove(1, types.SIDE_CLAIMANT)
					require.NoError(t, err)
					return f.deliver(t, m)
				}},
				{types.SIDE_CHALLENGER, func() error {
					m, err := playerReveal(f, 1, types.SIDE_CHALLENGER, lie)
					require.NoError(t, err)
					return f.deliver(t, m)
				}},
			} {
				require.NoError(t, s.run())
			}
		}
		require.Equal(t, types.PHASE_REFEREE, f.dispute(t, 1).Phase)
		f.beginBlock(t, f.dispute(t, 1).DeadlineHeight)
		d := f.dispute(t, 1)
		require.Equal(t, types.DISPUTE_STATUS_NO_VERDICT, d.Status, "the referee decided nothing")
		require.Empty(t, f.slashing.slashed, "nobody is slashed for the referee's silence")
		redrawnThenFinal(t, f)
	})
}
