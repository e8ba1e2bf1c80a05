package keeper_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"

	"github.com/delphi-network/delphi/evaluator/player"
	"github.com/delphi-network/delphi/runtime/train"
	"github.com/delphi-network/delphi/runtime/zoo"
	"github.com/delphi-network/delphi/x/verde/types"
)

// BenchmarkRefereeStep measures the referee step (MsgSubmitOperatorInputs:
// part proofs and the skeleton's compilation, input proofs, the
// one-operator recomputation)
// for the first operator of each type in each model Delphi evaluates, and
// reports its gas and message size next to its time.
func BenchmarkRefereeStep(b *testing.B) {
	trained := func(kind, data string) []byte {
		raw, _, err := train.Train(train.DefaultConfig(kind, data))
		require.NoError(b, err)
		return raw
	}
	cnn, err := zoo.MNIST()
	require.NoError(b, err)
	for _, m := range []struct {
		name, data string
		raw        []byte
	}{
		{"iris-mlp", "iris", trained("mlp", "iris")},
		{"digits-mlp", "digits", trained("mlp", "digits")},
		{"mnist-zoo-cnn", "mnist", cnn},
	} {
		base := newFixtureWith(b, m.data, m.raw, 2)
		seen := map[string]bool{}
		for l := 0; l < base.honest.Model.Program.LeavesPerItem(); l++ {
			node, _, err := base.honest.Model.Program.LeafNode(l)
			require.NoError(b, err)
			if seen[node.OpType] {
				continue
			}
			seen[node.OpType] = true
			b.Run(fmt.Sprintf("%s/%s-leaf%d", m.name, node.OpType, l), func(b *testing.B) {
				f := newFixtureWith(b, m.data, m.raw, 2)
				lie := f.liar(l)
				f.tally(b, f.vote(0, f.honest, 1), f.vote(1, f.honest, 1),
					f.vote(2, f.honest, 1), f.vote(3, lie, 1))
				for f.dispute(b, 1).Phase == types.PHASE_BISECT {
					for _, side := range []struct {
						s   types.Side
						run player.Run
					}{{types.SIDE_CLAIMANT, f.honest}, {types.SIDE_CHALLENGER, lie}} {
						mv, err := player.Reveal(f.submitter, f.dispute(b, 1), side.s, side.run)
						require.NoError(b, err)
						require.NoError(b, f.deliver(b, mv))
					}
				}
				msg, err := player.Justify(f.submitter, f.dispute(b, 1), types.SIDE_CLAIMANT, f.honest)
				require.NoError(b, err)
				var gas uint64
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					ctx, _ := f.ctx.CacheContext()
					ctx = ctx.WithGasMeter(storetypes.NewInfiniteGasMeter())
					if _, err := f.msg.SubmitOperatorInputs(ctx, msg); err != nil {
						b.Fatal(err)
					}
					gas = ctx.GasMeter().GasConsumed()
				}
				b.ReportMetric(float64(gas), "gas/op")
				b.ReportMetric(float64(msg.Size()), "msg-bytes")
			})
		}
	}
}
