package keeper_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/x/evaluation/keeper"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// BenchmarkPreBlockerTally measures the PreBlocker's work for one block: the
// extended commit of `validators` validators, each extension carrying a
// result for every model of one open round, all agreeing (the common case:
// the results become final). It reports the bytes of one extension too.
func BenchmarkPreBlockerTally(b *testing.B) {
	for _, tc := range []struct{ validators, models int }{{4, 4}, {4, 16}, {100, 16}} {
		b.Run(fmt.Sprintf("validators=%d/models=%d", tc.validators, tc.models), func(b *testing.B) {
			results := make([]*types.RoundResult, tc.models)
			for m := range results {
				results[m] = res(1, 0, uint64(m+1), 77, byte(m))
			}
			bz, err := types.EncodeVoteExtension(results, types.DefaultParams().Limits(1))
			require.NoError(b, err)
			votes := make([]keeper.Vote, tc.validators)
			for v := range votes {
				votes[v] = vote(byte(v), 10, results...)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				f := newBenchFixture(b, tc.models)
				b.StartTimer()
				if err := f.k.TallyVotes(f.ctx, votes, int64(10*tc.validators)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(bz)), "bytes/extension")
		})
	}
}

// newBenchFixture is a keeper with one running evaluation of n models whose
// round 0 is open.
func newBenchFixture(b *testing.B, n int) *fixture {
	f := newFixtureTB(b)
	f.benchmark(b, "mnist")
	ids := make([]uint64, n)
	for i := range ids {
		ids[i] = f.model(b, f.alice, fmt.Sprintf("m%d", i))
	}
	p := types.DefaultParams()
	p.MaxModels = 64
	_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
	require.NoError(b, err)
	_, err = f.msg.CreateEvaluation(f.ctx, &types.MsgCreateEvaluation{Creator: f.bob, BenchmarkId: 1, ModelIds: ids,
		Rounds: 1, ItemsPerRound: 100, BlocksBetweenRounds: 2, StartDelay: 1, DeadlineBlocks: 50})
	require.NoError(b, err)
	f.beginBlock(b, 101)
	return f
}
