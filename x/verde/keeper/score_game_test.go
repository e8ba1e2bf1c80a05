package keeper_test

import (
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/evaluator/player"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/verde/types"
)

// TestALieAboutTheScoreAloneLosesAtTheLastLeaf: three validators of four
// report the honest trace root with a wrong score. The score is the
// trace's last leaf, so the honest validator's dissent opens a dispute
// (it used to be dropped: same root, "nothing to bisect"), the liars lose
// at the first step, and the honest score replaces theirs.
func TestALieAboutTheScoreAloneLosesAtTheLastLeaf(t *testing.T) {
	f := newFixture(t)
	wrong := f.correct - 1 // within items × points, so not refused as impossible
	if f.correct == 0 {
		wrong = 1
	}
	f.tally(t, f.vote(0, f.honest, wrong), f.vote(1, f.honest, wrong), f.vote(2, f.honest, wrong), f.vote(3, f.honest, f.correct))
	res, err := f.ek.GetResult(f.ctx, f.evaluation, 0, 1)
	require.NoError(t, err)
	require.Equal(t, wrong, res.Correct, "the lie had the votes")
	d := f.dispute(t, 1)
	require.Equal(t, types.DISPUTE_STATUS_OPEN, d.Status)
	require.Equal(t, d.Claimant.TraceRoot, d.Challenger.TraceRoot, "the same trace, two scores")

	steps := f.play(t, 1, f.honest, f.honest)
	d = f.dispute(t, 1)
	require.Equal(t, types.DISPUTE_STATUS_CHALLENGER_WON, d.Status, d.Reason)
	require.Equal(t, 1, steps, "decided at the last leaf")
	require.Len(t, f.slashing.slashed, 3)
	require.NotContains(t, f.slashing.slashed, hex.EncodeToString(f.validators[3]))
	res, err = f.ek.GetResult(f.ctx, f.evaluation, 0, 1)
	require.NoError(t, err)
	require.Equal(t, f.correct, res.Correct)
	require.True(t, res.Replaced)

	f.beginBlock(t, f.ctx.BlockHeight()+4)
	e, err := f.ek.GetEvaluation(f.ctx, f.evaluation)
	require.NoError(t, err)
	require.Equal(t, evaluationtypes.EVALUATION_STATUS_FINALIZED, e.Status)
}

// TestAFalsifiedScoreLeafIsRecomputedByTheReferee: a validator whose trace
// lies about one score leaf (an item's label, prediction, points or
// running total) loses at that leaf: the referee recomputes it from the
// agreed leaves before it and the item proven against the item root.
func TestAFalsifiedScoreLeafIsRecomputedByTheReferee(t *testing.T) {
	f := newFixture(t)
	ops, per := f.honest.Model.Program.LeavesPerItem(), f.honest.Model.LeavesPerItem()
	for name, k := range map[string]int{
		"label of item 1":      per + ops,
		"prediction of item 1": per + ops + 1,
		"points of item 1":     per + ops + 2,
		"total of item 1":      per + ops + 3,
		"total of item 0":      ops + 3,
		"the final score":      f.honest.Trace.Len() - 1,
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			lie := f.liar(k)
			f.tally(t, f.vote(0, f.honest, f.correct), f.vote(1, f.honest, f.correct), f.vote(2, f.honest, f.correct), f.vote(3, lie, f.correct))
			f.play(t, 1, f.honest, lie)
			d := f.dispute(t, 1)
			require.Equal(t, types.DISPUTE_STATUS_CLAIMANT_WON, d.Status, d.Reason)
			require.Equal(t, int64(k), d.Hi, "the bisection found the falsified score leaf")
			require.Equal(t, []string{hex.EncodeToString(f.validators[3])}, f.slashing.slashed)
		})
	}
}

// TestASilentClaimantDoesNotHandAWrongScoreTheWin: a challenger that
// reports the honest trace with a wrong score wins nothing when the
// claimant side misses its first step: the last leaf it revealed is the
// claimant's too (the same trace), and it proves the claimant's score and
// refutes its own, so the claimant wins instead of the silence deciding.
func TestASilentClaimantDoesNotHandAWrongScoreTheWin(t *testing.T) {
	f := newFixture(t)
	wrong := f.correct - 1
	f.tally(t, f.vote(0, f.honest, f.correct), f.vote(1, f.honest, f.correct), f.vote(2, f.honest, f.correct), f.vote(3, f.honest, wrong))
	d := f.dispute(t, 1)
	require.Equal(t, wrong, d.Challenger.Correct)
	move, err := playerReveal(f, 1, types.SIDE_CHALLENGER, f.honest)
	require.NoError(t, err)
	require.NoError(t, f.deliver(t, move))
	f.beginBlock(t, d.DeadlineHeight)
	d = f.dispute(t, 1)
	require.Equal(t, types.DISPUTE_STATUS_CLAIMANT_WON, d.Status, d.Reason)
	require.Contains(t, d.Reason, "not the score it claims")
	require.Equal(t, []string{hex.EncodeToString(f.validators[3])}, f.slashing.slashed, "only the liar")
	res, err := f.ek.GetResult(f.ctx, f.evaluation, 0, 1)
	require.NoError(t, err)
	require.Equal(t, f.correct, res.Correct, "the wrong score never replaced the result")
}

// TestAChallengerClaimingARejectionLoses: a validator that reports the
// model's rejection by the runtime (computable without running anything)
// against a result with a real trace is a liar the game catches: the
// result's side justifies its leaf and the one-leaf count is impossible.
func TestAChallengerClaimingARejectionLoses(t *testing.T) {
	f := newFixture(t)
	m, err := f.ek.GetModel(f.ctx, 1)
	require.NoError(t, err)
	round, err := f.ek.GetRound(f.ctx, f.evaluation, 0)
	require.NoError(t, err)
	h := f.honest.Trace.Root()
	f.tallyWith(t, round.Attempt, func(i int, model uint64) *evaluationtypes.RoundResult {
		if model == 1 && i == 3 {
			return &evaluationtypes.RoundResult{Correct: 0, TraceRoot: evaluationtypes.RejectedRoot(m.WeightsSha256), Leaves: 1}
		}
		return &evaluationtypes.RoundResult{Correct: f.correct, TraceRoot: h[:], Leaves: uint64(f.honest.Trace.Len())}
	})
	d := f.dispute(t, 1)
	require.Equal(t, uint64(1), d.Challenger.Leaves)
	f.play(t, 1, f.honest, f.honest)
	d = f.dispute(t, 1)
	require.Equal(t, types.DISPUTE_STATUS_CLAIMANT_WON, d.Status, d.Reason)
	require.Equal(t, []string{hex.EncodeToString(f.validators[3])}, f.slashing.slashed)
}

// TestAFakeTraceCannotReplaceAResultWhoseScoreIsWrong: the result is the
// honest trace with a wrong score. A stranger challenges it with a made-up
// trace whose last leaf is a consistent score. The result's side
// contradicts itself at the first step, but that proves nothing about the
// stranger's trace: the game goes on, the honest trace wins it, and since
// its side's score was false both lose. The made-up trace never becomes
// the result (it used to, after one step).
func TestAFakeTraceCannotReplaceAResultWhoseScoreIsWrong(t *testing.T) {
	f := newFixture(t)
	wrong := f.correct - 1
	f.tally(t, f.vote(0, f.honest, wrong), f.vote(1, f.honest, wrong), f.vote(2, f.honest, wrong))
	fake := f.liar(3)
	stranger := sdk.AccAddress("stranger____________")
	res, err := exec(f, func(ctx sdk.Context) (*types.MsgChallengeResponse, error) {
		return f.msg.Challenge(ctx, &types.MsgChallenge{Challenger: stranger.String(), EvaluationId: f.evaluation,
			Round: 0, ModelId: 1, Correct: f.correct, TraceRoot: fake.Root(), Leaves: uint64(fake.Trace.Len())})
	})
	require.NoError(t, err)
	f.play(t, res.DisputeId, f.honest, fake)
	d := f.dispute(t, res.DisputeId)
	require.True(t, d.ClaimantScoreFalse)
	require.Equal(t, int64(3), d.Hi, "the game went on to the made-up leaf")
	require.Equal(t, types.DISPUTE_STATUS_BOTH_LOST, d.Status, d.Reason)
	if got, err := f.ek.GetResult(f.ctx, f.evaluation, 0, 1); err == nil {
		require.NotEqual(t, fake.Root(), got.TraceRoot, "the made-up trace never became the result")
	}
	require.Len(t, f.slashing.slashed, 3, "the three who lied about the score")
}

// TestARejectionCannotBeTurnedIntoSlashingOrAFakeResult: every validator
// reports that the runtime refuses the model (its rejection root, 1 leaf,
// 0 correct). Nobody can reveal a leaf of that root. A one-leaf claim with
// another score is refused outright, and a made-up trace that challenges
// the rejection wins nothing by the rejection side's silence: no verdict,
// nobody slashed, the result stands (the made-up trace used to replace it).
func TestARejectionCannotBeTurnedIntoSlashingOrAFakeResult(t *testing.T) {
	f := newFixture(t)
	m, err := f.ek.GetModel(f.ctx, 1)
	require.NoError(t, err)
	rejection := evaluationtypes.RejectedRoot(m.WeightsSha256)
	round, err := f.ek.GetRound(f.ctx, f.evaluation, 0)
	require.NoError(t, err)
	f.tallyWith(t, round.Attempt, func(i int, model uint64) *evaluationtypes.RoundResult {
		if model == 1 {
			return &evaluationtypes.RoundResult{Correct: 0, TraceRoot: rejection, Leaves: 1}
		}
		h := f.honest.Trace.Root()
		return &evaluationtypes.RoundResult{Correct: f.twin, TraceRoot: h[:], Leaves: uint64(f.honest.Trace.Len())}
	})
	res, err := f.ek.GetResult(f.ctx, f.evaluation, 0, 1)
	require.NoError(t, err)
	require.Equal(t, hex.EncodeToString(rejection), res.TraceRoot)

	stranger := sdk.AccAddress("stranger____________")
	challenge := func(correct uint64, root string, leaves uint64) (*types.MsgChallengeResponse, error) {
		return exec(f, func(ctx sdk.Context) (*types.MsgChallengeResponse, error) {
			return f.msg.Challenge(ctx, &types.MsgChallenge{Challenger: stranger.String(), EvaluationId: f.evaluation,
				Round: 0, ModelId: 1, Correct: correct, TraceRoot: root, Leaves: leaves})
		})
	}
	_, err = challenge(1, res.TraceRoot, 1)
	require.ErrorIs(t, err, types.ErrInvalidChallenge, "a rejection with a score is no claim")

	fake := f.liar(3)
	opened, err := challenge(f.correct, fake.Root(), uint64(fake.Trace.Len()))
	require.NoError(t, err)
	move, err := player.NextMove(f.submitter, f.dispute(t, opened.DisputeId), types.SIDE_CHALLENGER, fake)
	require.NoError(t, err)
	require.NoError(t, f.deliver(t, move), "the made-up trace's side moves")
	f.beginBlock(t, f.dispute(t, opened.DisputeId).DeadlineHeight)
	d := f.dispute(t, opened.DisputeId)
	require.Equal(t, types.DISPUTE_STATUS_NO_VERDICT, d.Status, d.Reason)
	require.Empty(t, f.slashing.slashed)
	got, err := f.ek.GetResult(f.ctx, f.evaluation, 0, 1)
	require.NoError(t, err)
	require.Equal(t, hex.EncodeToString(rejection), got.TraceRoot, "the rejection stands")
}
