package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

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
