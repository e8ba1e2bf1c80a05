package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/runtime/train"
	"github.com/delphi-network/delphi/x/verde/types"
)

// TestDisputeOverThousandsOfLeaves: an MLP on 500 digits items commits to
// thousands of trace leaves; disputes over a lie at the start, the middle
// and the end each finish in at most ⌈log2 leaves⌉ + 2 steps.
func TestDisputeOverThousandsOfLeaves(t *testing.T) {
	if testing.Short() {
		t.Skip("evaluates 500 digits items")
	}
	raw, _, err := train.Train(train.DefaultConfig("mlp", "digits"))
	require.NoError(t, err)
	base := newFixtureWith(t, "digits", raw, 500)
	leaves := base.honest.Trace.Len()
	require.Greater(t, leaves, 2000)
	for _, k := range []int{0, leaves / 2, leaves - 1} {
		f := newFixtureWith(t, "digits", raw, 500)
		lie := f.liar(k)
		f.tally(t, f.vote(0, f.honest, f.correct), f.vote(1, f.honest, f.correct),
			f.vote(2, f.honest, f.correct), f.vote(3, lie, f.correct))
		steps := f.play(t, 1, f.honest, lie)
		d := f.dispute(t, 1)
		require.Equal(t, types.DISPUTE_STATUS_CLAIMANT_WON, d.Status, d.Reason)
		require.Equal(t, int64(k), d.Hi)
		require.LessOrEqual(t, steps, maxSteps(leaves), "leaf %d of %d", k, leaves)
		t.Logf("%d leaves, lie at %d: %d steps (bound %d), %d bisection reveals", leaves, k, steps, maxSteps(leaves), len(d.History))
	}
}
