package keeper_test

import (
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/verde/types"
)

// TestLateValidatorChallenges: the liars' result became final before the
// honest validator's arrived; within the challenge window it challenges
// through MsgChallenge as a bonded validator (no bond), wins, and the
// result is replaced.
func TestLateValidatorChallenges(t *testing.T) {
	f := newFixture(t)
	lie := f.liar(7)
	f.tally(t, f.vote(0, lie, f.correct), f.vote(1, lie, f.correct), f.vote(2, lie, f.correct))
	has, err := f.k.HasOpenDisputes(f.ctx, f.evaluation)
	require.NoError(t, err)
	require.False(t, has, "nobody dissented in the tally")

	res, err := exec(f, func(ctx sdk.Context) (*types.MsgChallengeResponse, error) {
		return f.msg.Challenge(ctx, &types.MsgChallenge{Challenger: f.operators[3].String(), EvaluationId: f.evaluation,
			Round: 0, ModelId: 1, Correct: f.correct, TraceRoot: f.honest.Root(), Leaves: uint64(f.honest.Trace.Len())})
	})
	require.NoError(t, err)
	d := f.dispute(t, res.DisputeId)
	require.Equal(t, []string{hex.EncodeToString(f.validators[3])}, d.Challenger.Validators)
	require.True(t, d.Challenger.Bond.IsZero(), "a bonded validator posts no bond")

	f.play(t, d.Id, lie, f.honest)
	require.Equal(t, types.DISPUTE_STATUS_CHALLENGER_WON, f.dispute(t, d.Id).Status)
	got, err := f.ek.GetResult(f.ctx, f.evaluation, 0, 1)
	require.NoError(t, err)
	require.Equal(t, f.honest.Root(), got.TraceRoot)
	require.Len(t, f.slashing.slashed, 3)
}

// TestBondedChallenger: an account that is not a validator posts the bond;
// losing forfeits it to the community pool (the claimant side has no
// account), and once the evaluation finalized no challenge is accepted.
func TestBondedChallenger(t *testing.T) {
	f := newFixture(t)
	f.tally(t, f.vote(0, f.honest, f.correct), f.vote(1, f.honest, f.correct), f.vote(2, f.honest, f.correct))
	lie := f.liar(9)
	stranger := sdk.AccAddress("stranger____________")
	res, err := exec(f, func(ctx sdk.Context) (*types.MsgChallengeResponse, error) {
		return f.msg.Challenge(ctx, &types.MsgChallenge{Challenger: stranger.String(), EvaluationId: f.evaluation,
			Round: 0, ModelId: 1, Correct: f.correct, TraceRoot: lie.Root(), Leaves: uint64(lie.Trace.Len())})
	})
	require.NoError(t, err)
	bond := types.DefaultParams().ChallengerBond
	require.Equal(t, bond, f.bank.sent[stranger.String()+">verde"])
	d := f.dispute(t, res.DisputeId)
	require.Empty(t, d.Challenger.Validators)

	f.play(t, d.Id, f.honest, lie)
	require.Equal(t, types.DISPUTE_STATUS_CLAIMANT_WON, f.dispute(t, d.Id).Status)
	require.Equal(t, bond, f.bank.sent[sdk.AccAddress(authModule("verde")).String()+">pool"], "the forfeited bond went to the community pool")
	require.Empty(t, f.slashing.slashed, "no validator backed the losing claim")

	f.beginBlock(t, f.ctx.BlockHeight()+3)
	e, err := f.ek.GetEvaluation(f.ctx, f.evaluation)
	require.NoError(t, err)
	require.Equal(t, evaluationtypes.EVALUATION_STATUS_FINALIZED, e.Status)
	_, err = exec(f, func(ctx sdk.Context) (*types.MsgChallengeResponse, error) {
		return f.msg.Challenge(ctx, &types.MsgChallenge{Challenger: stranger.String(), EvaluationId: f.evaluation,
			Round: 0, ModelId: 1, Correct: f.correct, TraceRoot: f.liar(3).Root(), Leaves: 40})
	})
	require.ErrorIs(t, err, types.ErrWindowClosed)
}
