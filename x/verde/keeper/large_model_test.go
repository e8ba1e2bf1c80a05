package keeper_test

import (
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/evaluator/player"
	"github.com/delphi-network/delphi/runtime/train"
	"github.com/delphi-network/delphi/x/verde/types"
)

// Deep MLP of real size: 171 hidden layers of 384 units on iris, 25.1M
// parameters (100.6 MB of ONNX), each layer's weights 0.6 MB, so one
// operator fits one referee step.
const deepWidth, deepDepth = 384, 171

// TestDisputeOverAModelOfRealSize: a model a hundred times larger than
// what a transaction can carry is disputed to a referee verdict. Before
// the referee read models part by part, its step carried the whole
// artifact and was refused above max_artifact_bytes, so such a dispute
// could only time out. Now the step carries the skeleton and the one
// layer's weights, each proven against the weight root, and the liar loses.
func TestDisputeOverAModelOfRealSize(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and evaluates a 25M-parameter model")
	}
	raw, err := train.DeepMLP(4, 3, deepWidth, deepDepth, 1)
	require.NoError(t, err)
	params := train.DeepMLPParameters(4, 3, deepWidth, deepDepth)
	require.GreaterOrEqual(t, params, int64(25_000_000))
	require.Greater(t, uint64(len(raw)), 64*types.DefaultParams().MaxArtifactBytes, "the artifact could never travel in a step")

	f := newFixtureWith(t, "iris", raw, 2)
	m := f.honest.Model
	require.Equal(t, params, m.ParameterCount())
	step, err := m.RefereeStep()
	require.NoError(t, err)
	require.NoError(t, step.WithinBounds())

	// The liar falsifies the middle hidden layer's Gemm of the second item.
	var gemms []int
	for l := 0; l < m.Program.LeavesPerItem(); l++ {
		if n, _, err := m.Program.LeafNode(l); err == nil && n.OpType == "Gemm" {
			gemms = append(gemms, l)
		}
	}
	require.GreaterOrEqual(t, len(gemms), deepDepth, "the hidden layers' Gemms are leaves (none fits a group with its neighbour)")
	k := m.LeavesPerItem() + gemms[len(gemms)/2]
	lie := f.liar(k)
	f.tally(t, f.vote(0, f.honest, f.correct), f.vote(1, f.honest, f.correct),
		f.vote(2, f.honest, f.correct), f.vote(3, lie, f.correct))
	for f.dispute(t, 1).Phase == types.PHASE_BISECT {
		for _, side := range []struct {
			s   types.Side
			run player.Run
		}{{types.SIDE_CLAIMANT, f.honest}, {types.SIDE_CHALLENGER, lie}} {
			mv, err := player.Reveal(f.submitter, f.dispute(t, 1), side.s, side.run)
			require.NoError(t, err)
			require.NoError(t, f.deliver(t, mv))
		}
	}
	d := f.dispute(t, 1)
	require.Equal(t, int64(k), d.Hi)
	msg, err := player.Justify(f.submitter, d, types.SIDE_CLAIMANT, f.honest)
	require.NoError(t, err)
	require.Len(t, msg.Parts, 3, "the skeleton, the layer's weights and its bias")
	require.LessOrEqual(t, int64(msg.Size()), step.Bytes, "the step is within the bound the model was admitted by")
	require.Less(t, msg.Size(), 1<<20, "the step fits CometBFT's default max_tx_bytes")
	require.Less(t, 4*(msg.Size()+2)/3+4096, 1_000_000, "and, base64 in a JSON-RPC broadcast, its default max_body_bytes")
	gas, err := deliverMetered(f, msg)
	require.NoError(t, err)
	t.Logf("%d parameters, %d-byte artifact: referee step of %d bytes (bound %d), %d gas; largest step %d bytes, %d FLOPs",
		params, len(raw), msg.Size(), step.Bytes, gas, step.Bytes, step.FLOPs)
	lieMsg, err := player.Justify(f.submitter, f.dispute(t, 1), types.SIDE_CHALLENGER, lie)
	require.NoError(t, err)
	require.NoError(t, f.deliver(t, lieMsg))
	d = f.dispute(t, 1)
	require.Equal(t, types.DISPUTE_STATUS_CLAIMANT_WON, d.Status, d.Reason)
	require.Equal(t, []string{hex.EncodeToString(f.validators[3])}, f.slashing.slashed)
}
