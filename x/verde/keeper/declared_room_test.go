package keeper_test

import (
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/train"
	"github.com/delphi-network/delphi/x/verde/types"
)

// twiceTheLeast declares twice the model's smallest referee step: room
// for version 3's groups to take the whole MLP.
func twiceTheLeast(least runtime.RefereeStep) runtime.RefereeStep {
	return runtime.RefereeStep{Bytes: 2 * least.Bytes, FLOPs: 2 * least.FLOPs}
}

func newRoomyFixture(t *testing.T) *fixture {
	t.Helper()
	raw, _, err := train.Train(train.DefaultConfig("mlp", "iris"))
	require.NoError(t, err)
	return newFixtureDeclaring(t, "iris", raw, 8, twiceTheLeast)
}

// TestDeclaredRoomIsRefereedOverItsGroups: a model registered with room
// above its smallest step is evaluated at version 3 with larger groups
// (the whole MLP is one); a lie there bisects to that group, and the
// referee, deriving the same room from the same registration, recomputes
// it whole: the liar loses and is slashed.
func TestDeclaredRoomIsRefereedOverItsGroups(t *testing.T) {
	f := newRoomyFixture(t)
	require.Equal(t, runtime.Version, f.honest.Model.Program.Version())
	plain, err := f.honest.Model.AtVersion(runtime.Version)
	require.NoError(t, err)
	require.Less(t, f.honest.Model.Program.LeavesPerItem(), plain.Program.LeavesPerItem(), "the room fuses more")
	per := f.honest.Model.LeavesPerItem()
	lie := f.liar(2 * per)
	f.tally(t, f.vote(0, f.honest, f.correct), f.vote(1, f.honest, f.correct), f.vote(2, f.honest, f.correct), f.vote(3, lie, f.correct))
	f.play(t, 1, f.honest, lie)
	d := f.dispute(t, 1)
	require.Equal(t, types.DISPUTE_STATUS_CLAIMANT_WON, d.Status, d.Reason)
	require.Equal(t, int64(2*per), d.Hi)
	require.Equal(t, []string{hex.EncodeToString(f.validators[3])}, f.slashing.slashed)
}

// TestATraceIgnoringTheDeclaredRoomLoses: a validator whose sidecar
// ignores the registration's declaration (version 3 without room, so
// version 2's groups) commits other leaves; the tally disputes it and it
// cannot answer the bisection over the declared groups, so it loses.
func TestATraceIgnoringTheDeclaredRoomLoses(t *testing.T) {
	f := newRoomyFixture(t)
	wrong := f.honest
	m, err := f.honest.Model.AtVersion(runtime.Version)
	require.NoError(t, err)
	res, err := m.Evaluate(f.honest.Dataset, f.honest.Items, runtime.EvalOptions{Trace: true})
	require.NoError(t, err)
	wrong.Model, wrong.Trace = m, res.Trace
	require.NotEqual(t, wrong.Trace.Len(), f.honest.Trace.Len())
	otherLeavesLose(t, f, wrong)
}
