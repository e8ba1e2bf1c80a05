package keeper_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/testutil/evalsim"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// BenchmarkProcessCommit measures x/evaluation's PreBlocker work for one
// block of an extended commit of `validators` validators on one open round
// of `models` models, with commit-reveal: the block where every validator
// commits to every model (the window closes), and the block where every
// validator reveals (the results become final). It reports the bytes of
// one extension too.
func BenchmarkProcessCommit(b *testing.B) {
	for _, tc := range []struct{ validators, models int }{{4, 4}, {4, 16}, {100, 16}} {
		for _, phase := range []string{"commit", "reveal"} {
			b.Run(fmt.Sprintf("validators=%d/models=%d/%s", tc.validators, tc.models, phase), func(b *testing.B) {
				var size int
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					f := newBenchFixture(b, tc.validators, tc.models)
					// The round opens at 103; the extensions of 104 commit,
					// those of 106 reveal.
					at := map[string]int64{"commit": 104, "reveal": 106}[phase]
					f.runTo(b, at)
					exts := f.sim.Pending()
					bz, err := exts[0].Marshal()
					require.NoError(b, err)
					size = len(bz)
					info := f.sim.Commit(b, exts)
					ctx := f.ctx.WithBlockHeight(at + 1)
					limits, err := f.k.ExtensionLimits(ctx, at)
					require.NoError(b, err)
					// The setup's garbage is collected here, not inside
					// the measured call.
					runtime.GC()
					b.StartTimer()
					if err := f.k.ProcessCommit(ctx, info, limits); err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
					if phase == "reveal" {
						_, final := f.result(b, 1, 0, 1)
						require.True(b, final)
					}
					b.StartTimer()
				}
				b.ReportMetric(float64(size), "bytes/extension")
			})
		}
	}
}

// newBenchFixture is a keeper with `validators` honest simulated validators
// and one evaluation of `models` models whose round 0 is drawn at 103.
func newBenchFixture(b *testing.B, validators, models int) *fixture {
	f := newFixtureTB(b)
	f.sim = evalsim.New(&f.k, validators)
	f.benchmark(b, "mnist")
	ids := make([]uint64, models)
	for i := range ids {
		ids[i] = f.model(b, f.alice, fmt.Sprintf("m%d", i))
	}
	// The fixture's windows (seed lead 3) with room for more models.
	p, err := f.k.Params.Get(f.ctx)
	require.NoError(b, err)
	p.MaxModels = 64
	_, err = f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
	require.NoError(b, err)
	_, err = f.msg.CreateEvaluation(f.ctx, &types.MsgCreateEvaluation{Creator: f.bob, BenchmarkId: 1, ModelIds: ids,
		Rounds: 1, ItemsPerRound: 100, BlocksBetweenRounds: 2, StartDelay: 2, DeadlineBlocks: 50})
	require.NoError(b, err)
	f.honest(func(m uint64, _ uint32) uint64 { return 77 })
	f.runTo(b, 103)
	require.Equal(b, types.ROUND_PHASE_COMMIT, f.round(b, 1, 0).Phase, "round 0 opens at 103")
	return f
}
