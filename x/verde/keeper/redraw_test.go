package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/evaluator/player"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/verde/types"
)

// onlyModel1 is a vote with model 1's result alone (model 2 never reaches
// quorum, so the round is redrawn at its timeout).
func (f *fixture) onlyModel1(val int, run player.Run, correct uint64) claim {
	c := f.vote(val, run, correct)
	c.onlyModel1 = true
	return c
}

// TestRoundRedrawnDuringADispute: the round is redrawn while a dispute
// about its first attempt goes on. The referee still proves the first
// attempt's items (the dispute keeps its seed), the liars are punished,
// the chain does not halt, and the new attempt's state is left alone.
func TestRoundRedrawnDuringADispute(t *testing.T) {
	f := newFixture(t)
	p := types.DefaultParams()
	p.StepBlocks = 30 // time for the round to time out while the dispute waits
	require.NoError(t, f.k.Params.Set(f.ctx, p))
	lie := f.liar(0) // the first operator reads the benchmark item itself
	f.tally(t, f.onlyModel1(0, lie, f.correct), f.onlyModel1(1, lie, f.correct),
		f.onlyModel1(2, lie, f.correct), f.onlyModel1(3, f.honest, f.correct))
	d := f.dispute(t, 1)
	first, err := f.ek.GetRound(f.ctx, f.evaluation, 0)
	require.NoError(t, err)
	require.Equal(t, first.Seed, d.Seed)

	f.beginBlock(t, first.TimeoutHeight) // model 2 has no quorum: the round is redrawn
	f.play(t, 1, lie, f.honest)
	round, err := f.ek.GetRound(f.ctx, f.evaluation, 0)
	require.NoError(t, err)
	require.Equal(t, uint32(1), round.Attempt, "the round was redrawn during the dispute")
	d = f.dispute(t, 1)
	require.Equal(t, types.DISPUTE_STATUS_CHALLENGER_WON, d.Status, d.Reason)
	require.Len(t, f.slashing.slashed, 3, "the liars are punished all the same")
	_, err = f.ek.GetResult(f.ctx, f.evaluation, 0, 1)
	require.Error(t, err, "the redraw discarded the first attempt's result; nothing was written back")
	e, err := f.ek.GetEvaluation(f.ctx, f.evaluation)
	require.NoError(t, err)
	require.Equal(t, evaluationtypes.EVALUATION_STATUS_RUNNING, e.Status)
}

// TestLeafCountMismatchIsRefereedAtOnce: a claim with more leaves than
// the model produces goes straight to the referee, where the count loses.
func TestLeafCountMismatchIsRefereedAtOnce(t *testing.T) {
	f := newFixture(t)
	res := evaluationtypes.Result{EvaluationId: f.evaluation, Round: 0, ModelId: 1, Correct: f.correct,
		TraceRoot: f.honest.Root(), Leaves: uint64(f.honest.Trace.Len())}
	lie := f.liar(2)
	require.NoError(t, f.k.ContestResult(f.ctx, res, evaluationtypes.Claim{Correct: f.correct, TraceRoot: lie.Root(),
		Leaves: uint64(lie.Trace.Len()) + 1, Validators: []string{"00"}}))
	d := f.dispute(t, 1)
	require.Equal(t, types.PHASE_REFEREE, d.Phase)
	require.Equal(t, int64(f.honest.Trace.Len()-1), d.Hi, "the last leaf both sides have")
	msg, err := player.Justify(f.submitter, d, types.SIDE_CLAIMANT, f.honest)
	require.NoError(t, err)
	require.NoError(t, f.deliver(t, msg))
	d = f.dispute(t, 1)
	require.Equal(t, types.DISPUTE_STATUS_CLAIMANT_WON, d.Status)
	require.Contains(t, d.Reason, "leaf count")
}
