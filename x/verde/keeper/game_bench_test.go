package keeper_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/evaluator/player"
	drt "github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/train"
	"github.com/delphi-network/delphi/runtime/zoo"
	"github.com/delphi-network/delphi/x/verde/types"
)

// BenchmarkDisputeGame plays whole disputes, from the tally that opens one
// to its resolution, over models of growing trace size: one validator of
// four lies about the operator output in the middle of its trace (in a
// deep MLP, about a hidden layer's Gemm, so the referee step carries a
// whole layer): the 25M-parameter model and one whose hidden layer is the
// widest the bounds admit. It reports the trace's leaves, the blocks with
// moves (both sides move in the same block), the messages, the gas of all
// of them together, the referee step's own gas and bytes and the wall time
// of the whole game's messages.
func BenchmarkDisputeGame(b *testing.B) {
	trained := func(kind, data string) []byte {
		raw, _, err := train.Train(train.DefaultConfig(kind, data))
		require.NoError(b, err)
		return raw
	}
	cnn, err := zoo.MNIST()
	require.NoError(b, err)
	deep, err := train.DeepMLP(4, 3, deepWidth, deepDepth, 1)
	require.NoError(b, err)
	bound := widestAdmitted(b)
	atBound, err := train.DeepMLP(4, 3, bound, 2, 1)
	require.NoError(b, err)
	middle := func(leaves int, _ *drt.Model) int { return leaves / 2 }
	// The middle hidden layer's Gemm of the second item (the middle of the
	// costliest Gemm leaves): the step carries a whole layer. A hidden
	// Gemm is a leaf of its own at every runtime version: it is the
	// model's largest operator, so no group takes it.
	gemm := func(_ int, m *drt.Model) int {
		var gemms []int
		var top int64
		for l := 0; l < m.Program.LeavesPerItem(); l++ {
			n, _, err := m.Program.LeafNode(l)
			flops, _ := m.Program.LeafFLOPs(l)
			switch {
			case err != nil || n.OpType != "Gemm" || flops < top:
			case flops > top:
				gemms, top = []int{l}, flops
			default:
				gemms = append(gemms, l)
			}
		}
		return m.LeavesPerItem() + gemms[len(gemms)/2]
	}
	for _, m := range []struct {
		name, data string
		raw        []byte
		items      uint32
		lie        func(leaves int, m *drt.Model) int
	}{
		{"iris-mlp/items=30", "iris", trained("mlp", "iris"), 30, middle},
		{"mnist-zoo-cnn/items=100", "mnist", cnn, 100, middle},
		{"digits-mlp/items=500", "digits", trained("mlp", "digits"), 500, middle},
		{"deep-mlp-25m/items=2", "iris", deep, 2, gemm},
		{fmt.Sprintf("widest-admitted-%dx%d/items=2", bound, bound), "iris", atBound, 2, gemm},
	} {
		b.Run(m.name, func(b *testing.B) {
			var leaves, blocks, msgs, refereeBytes int
			var gas, refereeGas uint64
			for b.Loop() {
				b.StopTimer()
				f := newFixtureWith(b, m.data, m.raw, m.items)
				leaves = f.honest.Trace.Len()
				lie := f.liar(m.lie(leaves, f.honest.Model))
				f.tally(b, f.vote(0, f.honest, f.correct), f.vote(1, f.honest, f.correct),
					f.vote(2, f.honest, f.correct), f.vote(3, lie, f.correct))
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
						if step, ok := move.(*types.MsgSubmitOperatorInputs); ok {
							refereeGas, refereeBytes = max(refereeGas, used), max(refereeBytes, step.Size())
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
			b.ReportMetric(float64(refereeBytes), "referee-bytes")
		})
	}
}

// widestAdmitted is the widest square hidden layer whose referee step the
// bounds admit (runtime.MaxRefereeStepBytes): the largest operator of this
// kind a model may have.
func widestAdmitted(b *testing.B) int {
	lo, hi := 1, 1024 // admitted, refused
	for hi-lo > 1 {
		w := (lo + hi) / 2
		raw, err := train.DeepMLP(4, 3, w, 2, 1)
		require.NoError(b, err)
		m, err := drt.LoadModel(raw, drt.DefaultLimits())
		require.NoError(b, err)
		if drt.CheckRefereeStep(m, drt.RefereeStep{}) == nil {
			lo = w
		} else {
			hi = w
		}
	}
	return lo
}
