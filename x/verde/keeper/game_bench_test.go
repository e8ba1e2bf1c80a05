package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/runtime/train"
	"github.com/delphi-network/delphi/runtime/zoo"
	"github.com/delphi-network/delphi/x/verde/player"
	"github.com/delphi-network/delphi/x/verde/types"
)

// BenchmarkDisputeGame plays whole disputes, from the tally that opens one
// to its resolution, over models of growing trace size: one validator of
// four lies about the operator output in the middle of its trace. It
// reports the trace's leaves, the blocks with moves (both sides move in
// the same block), the messages, the gas of all of them together, the
// referee step's own gas and the wall time of the whole game's messages.
func BenchmarkDisputeGame(b *testing.B) {
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
		items      uint32
	}{
		{"iris-mlp/items=30", "iris", trained("mlp", "iris"), 30},
		{"mnist-zoo-cnn/items=100", "mnist", cnn, 100},
		{"digits-mlp/items=500", "digits", trained("mlp", "digits"), 500},
	} {
		b.Run(m.name, func(b *testing.B) {
			var leaves, blocks, msgs int
			var gas, refereeGas uint64
			for b.Loop() {
				b.StopTimer()
				f := newFixtureWith(b, m.data, m.raw, m.items)
				leaves = f.honest.Trace.Len()
				lie := f.liar(leaves / 2)
				f.tally(b, f.vote(0, f.honest, 1), f.vote(1, f.honest, 1),
					f.vote(2, f.honest, 1), f.vote(3, lie, 1))
				b.StartTimer()
				blocks, msgs, gas, refereeGas = 0, 0, 0, 0
				for h := f.ctx.BlockHeight() + 1; f.dispute(b, 1).Status == types.DISPUTE_STATUS_OPEN; h++ {
					blocks++
					require.Less(b, blocks, 64, "the game does not end")
					for _, side := range []struct {
						s   types.Side
						run player.Run
					}{{types.SIDE_CLAIMANT, f.honest}, {types.SIDE_CHALLENGER, lie}} {
						b.StopTimer()
						move, err := player.NextMove(f.submitter, f.dispute(b, 1), side.s, side.run)
						require.NoError(b, err)
						b.StartTimer()
						if move == nil {
							continue
						}
						used, err := deliverMetered(f, move)
						require.NoError(b, err)
						msgs++
						gas += used
						if _, ok := move.(*types.MsgSubmitOperatorInputs); ok {
							refereeGas = max(refereeGas, used)
						}
					}
					f.beginBlock(b, h)
				}
				require.Equal(b, types.DISPUTE_STATUS_CLAIMANT_WON, f.dispute(b, 1).Status)
			}
			b.ReportMetric(float64(leaves), "leaves")
			b.ReportMetric(float64(blocks), "blocks")
			b.ReportMetric(float64(msgs), "msgs")
			b.ReportMetric(float64(gas), "gas")
			b.ReportMetric(float64(refereeGas), "referee-gas")
		})
	}
}
