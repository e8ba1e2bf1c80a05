package keeper_test

import (
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/evaluator/player"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/verde/keeper"
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
	_, broken := keeper.BondsInvariant(f.k)(f.ctx)
	require.False(t, broken, "the module holds the open dispute's bond")

	f.play(t, d.Id, f.honest, lie)
	require.Equal(t, types.DISPUTE_STATUS_CLAIMANT_WON, f.dispute(t, d.Id).Status)
	_, broken = keeper.BondsInvariant(f.k)(f.ctx)
	require.False(t, broken, "a resolved dispute paid its bond out")
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

// TestASilentBondedChallengerForfeitsItsBond: a dispute without a verdict
// draws the round again, which a challenger could want for its own sake
// (new items) at no cost if its bond came back. The round is redrawn and
// nobody is slashed, but the challenger that opened the dispute and did
// not justify its own claim forfeits its bond to the community pool.
func TestASilentBondedChallengerForfeitsItsBond(t *testing.T) {
	f := newFixture(t)
	f.tally(t, f.vote(0, f.honest, f.correct), f.vote(1, f.honest, f.correct), f.vote(2, f.honest, f.correct))
	lie := f.liar(9)
	stranger := sdk.AccAddress("stranger____________")
	res, err := exec(f, func(ctx sdk.Context) (*types.MsgChallengeResponse, error) {
		return f.msg.Challenge(ctx, &types.MsgChallenge{Challenger: stranger.String(), EvaluationId: f.evaluation,
			Round: 0, ModelId: 1, Correct: f.correct, TraceRoot: lie.Root(), Leaves: uint64(lie.Trace.Len())})
	})
	require.NoError(t, err)
	for h := f.ctx.BlockHeight() + 1; f.dispute(t, res.DisputeId).Phase == types.PHASE_BISECT; h++ {
		for _, side := range []struct {
			s   types.Side
			run player.Run
		}{{types.SIDE_CLAIMANT, f.honest}, {types.SIDE_CHALLENGER, lie}} {
			move, err := player.NextMove(f.submitter, f.dispute(t, res.DisputeId), side.s, side.run)
			require.NoError(t, err)
			if move != nil {
				require.NoError(t, f.deliver(t, move))
			}
		}
		f.beginBlock(t, h)
	}
	f.beginBlock(t, f.dispute(t, res.DisputeId).DeadlineHeight) // both silent at the referee step
	d := f.dispute(t, res.DisputeId)
	require.Equal(t, types.DISPUTE_STATUS_NO_VERDICT, d.Status, d.Reason)
	require.Empty(t, f.slashing.slashed)
	bond := types.DefaultParams().ChallengerBond
	require.Equal(t, bond, f.bank.sent[sdk.AccAddress(authModule("verde")).String()+">pool"], "the silent challenger's bond is forfeited")
	require.True(t, f.bank.sent["verde>"+stranger.String()].IsZero(), "and not refunded")
	round, err := f.ek.GetRound(f.ctx, f.evaluation, 0)
	require.NoError(t, err)
	require.Equal(t, uint32(1), round.Attempt, "the round is drawn again")
}
