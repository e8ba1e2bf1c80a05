package keeper_test

import (
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/evaluator/player"
	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/x/verde/types"
)

// TestARuntimeVersionTheBinaryLacksPunishesNobody: an evaluation recorded
// under a runtime version this binary does not implement (one a later
// upgrade introduced and this binary predates, say) cannot be refereed:
// both sides' justifications are refused with ErrUnsupportedRuntime — the
// chain never recomputes under other semantics than the evaluation's —
// and the dispute ends without a verdict, nobody slashed.
func TestARuntimeVersionTheBinaryLacksPunishesNobody(t *testing.T) {
	f := newFixture(t)
	e, err := f.ek.GetEvaluation(f.ctx, f.evaluation)
	require.NoError(t, err)
	e.RuntimeVersion = runtime.Version + 1
	require.NoError(t, f.ek.Evaluations.Set(f.ctx, e.Id, e))

	d := refereeRefuses(t, f, f.correct, types.ErrUnsupportedRuntime)
	require.Equal(t, types.DISPUTE_STATUS_NO_VERDICT, d.Status, d.Reason)
	require.Empty(t, f.slashing.slashed, "nobody is slashed under semantics the chain cannot compute")
	require.Empty(t, f.slashing.jailed)
}

// atVersion is the fixture's evaluation recorded at runtime version v, its
// honest run recomputed with version v's leaves.
func atVersion(t *testing.T, f *fixture, v uint32) {
	t.Helper()
	e, err := f.ek.GetEvaluation(f.ctx, f.evaluation)
	require.NoError(t, err)
	e.RuntimeVersion = v
	require.NoError(t, f.ek.Evaluations.Set(f.ctx, e.Id, e))
	m, err := f.honest.Model.AtVersion(v)
	require.NoError(t, err)
	res, err := m.Evaluate(f.honest.Dataset, f.honest.Items, runtime.EvalOptions{Trace: true})
	require.NoError(t, err)
	f.honest.Model, f.honest.Trace = m, res.Trace
}

// TestVersionOneDisputesAreRefereedAtVersionOne: an evaluation recorded
// before the chain moved to version 2 keeps version 1's leaves, one per
// operator output: its dispute bisects to the falsified operator and the
// referee recomputes that one operator, not a version 2 group.
func TestVersionOneDisputesAreRefereedAtVersionOne(t *testing.T) {
	f := newFixture(t)
	v2 := f.honest.Trace.Len()
	atVersion(t, f, 1)
	require.Greater(t, f.honest.Trace.Len(), v2, "version 1 commits every operator output")
	per := f.honest.Model.Program.LeavesPerItem()
	lie := f.liar(2*per + per/2)
	f.tally(t, f.vote(0, f.honest, f.correct), f.vote(1, f.honest, f.correct), f.vote(2, f.honest, f.correct), f.vote(3, lie, f.correct))
	f.play(t, 1, f.honest, lie)
	d := f.dispute(t, 1)
	require.Equal(t, types.DISPUTE_STATUS_CLAIMANT_WON, d.Status, d.Reason)
	require.Equal(t, int64(2*per+per/2), d.Hi)
	require.Equal(t, []string{hex.EncodeToString(f.validators[3])}, f.slashing.slashed)
}

// TestATraceOfAnotherVersionLoses: a validator that commits version 2's
// leaves for an evaluation recorded at version 1 (a sidecar that ignored
// the evaluation's version) reports a root of other semantics and a leaf
// count version 1 does not produce; the tally disputes it, and it cannot
// answer the bisection over version 1's leaves, so it loses.
func TestATraceOfAnotherVersionLoses(t *testing.T) {
	f := newFixture(t)
	wrong := f.honest // version 2, the binary's default
	atVersion(t, f, 1)
	require.NotEqual(t, wrong.Trace.Len(), f.honest.Trace.Len())
	otherLeavesLose(t, f, wrong)
}

// otherLeavesLose: validator 3 reports the wrong run's root (leaves the
// evaluation does not have) against three honest validators; the tally
// disputes it, and after the honest side's first move it cannot answer
// the bisection over the evaluation's leaves, so it loses at the deadline
// and is slashed.
func otherLeavesLose(t *testing.T, f *fixture, wrong player.Run) {
	t.Helper()
	f.tally(t, f.vote(0, f.honest, f.correct), f.vote(1, f.honest, f.correct), f.vote(2, f.honest, f.correct), f.vote(3, wrong, f.correct))
	d := f.dispute(t, 1)
	require.Equal(t, types.DISPUTE_STATUS_OPEN, d.Status)
	require.Equal(t, wrong.Root(), d.Challenger.TraceRoot)
	move, err := f.honestMove(1, types.SIDE_CLAIMANT)
	require.NoError(t, err)
	require.NoError(t, f.deliver(t, move))
	f.beginBlock(t, f.dispute(t, 1).DeadlineHeight)
	d = f.dispute(t, 1)
	require.Equal(t, types.DISPUTE_STATUS_CLAIMANT_WON, d.Status, d.Reason)
	require.Equal(t, []string{hex.EncodeToString(f.validators[3])}, f.slashing.slashed)
}
