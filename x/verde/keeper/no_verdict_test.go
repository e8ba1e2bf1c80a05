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

// TestAModelTooLargeToRefereePunishesNobody: the sidecars evaluate models
// the referee cannot recompute (here: max_referee_flops below the model's
// arithmetic). One liar challenges the honest majority's result; the
// bisection reaches one operator and neither side's justification can be
// accepted. That used to end as BOTH_LOST: the honest three slashed and
// jailed with the liar and the evaluation failed (its market paying 1/N,
// which the liar could buy beforehand). Now the referee gives no verdict:
// nobody is slashed, and since nothing shows which claim holds the round is
// drawn again; its new attempt finalizes the evaluation. (Models the chain
// admits can always be refereed — runtime.CheckRefereeStep — so this is
// what governance or a sidecar fault could still cause, not a liar.)
func TestAModelTooLargeToRefereePunishesNobody(t *testing.T) {
	f := newFixture(t)
	tooLarge(t, f, f.correct)
	require.Empty(t, f.slashing.slashed, "nobody is slashed for what the referee could not decide")
	require.Empty(t, f.slashing.jailed)
	redrawnThenFinal(t, f)
}

// redrawnThenFinal checks that a dispute without a verdict drew round 0
// again (its results discarded, a new attempt seeding, the evaluation held
// and not failed), then has all four validators agree on the new attempt
// and requires the evaluation to finalize.
func redrawnThenFinal(t *testing.T, f *fixture) {
	t.Helper()
	round, err := f.ek.GetRound(f.ctx, f.evaluation, 0)
	require.NoError(t, err)
	require.Equal(t, uint32(1), round.Attempt, "the round is drawn again")
	require.Equal(t, evaluationtypes.ROUND_STATUS_SEEDING, round.Status)
	_, err = f.ek.GetResult(f.ctx, f.evaluation, 0, 1)
	require.Error(t, err, "the undecided attempt's results are discarded")
	e, err := f.ek.GetEvaluation(f.ctx, f.evaluation)
	require.NoError(t, err)
	require.Equal(t, evaluationtypes.EVALUATION_STATUS_RUNNING, e.Status)
	require.Zero(t, e.FinalAfterHeight, "it waits for the round again")

	f.ctx = f.sim.Until(t, f.ctx, 30, func(ctx sdk.Context) bool {
		r, err := f.ek.GetRound(ctx, f.evaluation, 0)
		return err == nil && r.Status == evaluationtypes.ROUND_STATUS_OPEN
	})
	f.tally(t, f.vote(0, f.honest, f.correct), f.vote(1, f.honest, f.correct),
		f.vote(2, f.honest, f.correct), f.vote(3, f.honest, f.correct))
	f.ctx = f.sim.Until(t, f.ctx, 30, func(ctx sdk.Context) bool {
		e, err := f.ek.GetEvaluation(ctx, f.evaluation)
		return err == nil && e.Status != evaluationtypes.EVALUATION_STATUS_RUNNING
	})
	e, err = f.ek.GetEvaluation(f.ctx, f.evaluation)
	require.NoError(t, err)
	require.Equal(t, evaluationtypes.EVALUATION_STATUS_FINALIZED, e.Status, "the new attempt finalizes it")
}

// TestNoVerdictStillPunishesAProvenlyFalseScore: as above, but the liar
// also claims a score its own last leaf refutes (marked at the first
// step). The referee decides nothing about the traces, the score decides:
// the liar loses.
func TestNoVerdictStillPunishesAProvenlyFalseScore(t *testing.T) {
	f := newFixture(t)
	d := tooLarge(t, f, f.correct-1)
	require.True(t, d.ChallengerScoreFalse)
	require.Equal(t, types.DISPUTE_STATUS_CLAIMANT_WON, d.Status, d.Reason)
	require.Equal(t, []string{hex.EncodeToString(f.validators[3])}, f.slashing.slashed)
}

// tooLarge has validator 3 lie (a falsified operator, claiming score
// liarScore) against the honest three on a model the referee cannot
// recompute, plays the bisection, has both sides' justifications refused
// and runs to the step deadline; it returns the dispute.
func tooLarge(t *testing.T, f *fixture, liarScore uint64) types.Dispute {
	t.Helper()
	p := types.DefaultParams()
	p.MaxRefereeFlops = 1
	require.NoError(t, f.k.Params.Set(f.ctx, p))
	return refereeRefuses(t, f, liarScore, types.ErrTooLarge)
}

// refereeRefuses has one liar (validator 3, claiming liarScore) challenge
// the honest three, plays the bisection to the referee step, requires the
// chain to refuse both sides' justifications with want, and returns the
// dispute after its deadline (without a verdict, unless the liar's score
// was provably false).
func refereeRefuses(t *testing.T, f *fixture, liarScore uint64, want error) types.Dispute {
	t.Helper()
	lie := f.liar(3)
	f.tally(t, f.vote(0, f.honest, f.correct), f.vote(1, f.honest, f.correct),
		f.vote(2, f.honest, f.correct), f.vote(3, lie, liarScore))
	for h := f.ctx.BlockHeight() + 1; f.dispute(t, 1).Phase == types.PHASE_BISECT; h++ {
		for _, side := range []struct {
			s   types.Side
			run player.Run
		}{{types.SIDE_CLAIMANT, f.honest}, {types.SIDE_CHALLENGER, lie}} {
			move, err := player.NextMove(f.submitter, f.dispute(t, 1), side.s, side.run)
			require.NoError(t, err)
			if move != nil {
				require.NoError(t, f.deliver(t, move))
			}
		}
		f.beginBlock(t, h)
	}
	d := f.dispute(t, 1)
	require.Equal(t, types.PHASE_REFEREE, d.Phase)
	for _, side := range []struct {
		s   types.Side
		run player.Run
	}{{types.SIDE_CLAIMANT, f.honest}, {types.SIDE_CHALLENGER, lie}} {
		move, err := player.Justify(f.submitter, d, side.s, side.run)
		require.NoError(t, err)
		require.ErrorIs(t, f.deliver(t, move), want, "the chain cannot take the %s's justification", side.s)
	}
	f.beginBlock(t, d.DeadlineHeight)
	d = f.dispute(t, 1)
	if !d.ChallengerScoreFalse {
		require.Equal(t, types.DISPUTE_STATUS_NO_VERDICT, d.Status, d.Reason)
	}
	return d
}
