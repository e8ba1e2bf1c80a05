package types_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/delphi-network/delphi/x/evaluation/types"
)

func dec(s string) math.LegacyDec { return math.LegacyMustNewDecFromStr(s) }

func TestWilsonScore(t *testing.T) {
	// 90 of 100: p = 0.9, Wilson 95% interval ≈ [0.8256, 0.9448].
	s := types.IndexEntry{Items: 100, Correct: 90}.Score()
	require.Equal(t, "0.900000000000000000", s.Accuracy)
	require.True(t, dec(s.WilsonLower).Sub(dec("0.8256")).Abs().LT(dec("0.0001")), s.WilsonLower)
	require.True(t, dec(s.WilsonUpper).Sub(dec("0.9448")).Abs().LT(dec("0.0001")), s.WilsonUpper)

	// All correct: the upper bound is 1, the lower bound below it.
	all := types.IndexEntry{Items: 50, Correct: 50}.Score()
	require.Equal(t, "1.000000000000000000", all.WilsonUpper)
	require.True(t, dec(all.WilsonLower).LT(dec("1")))
	none := types.IndexEntry{Items: 50}.Score()
	require.Equal(t, "0.000000000000000000", none.WilsonLower)

	// More evidence, narrower interval.
	small := types.IndexEntry{Items: 10, Correct: 9}.Score()
	require.True(t, dec(small.WilsonLower).LT(dec(s.WilsonLower)))

	empty := types.IndexEntry{}.Score()
	require.Equal(t, "1.000000000000000000", empty.WilsonUpper)
}

func TestModelIndexAggregateIsMeanOfLowerBounds(t *testing.T) {
	a := types.IndexEntry{ModelId: 3, BenchmarkId: 1, Items: 100, Correct: 90}
	b := types.IndexEntry{ModelId: 3, BenchmarkId: 2, Items: 100, Correct: 50}
	idx := types.NewModelIndex(3, []types.IndexEntry{a, b})
	want := dec(a.Score().WilsonLower).Add(dec(b.Score().WilsonLower)).QuoInt64(2)
	require.Equal(t, want.String(), idx.Aggregate)
	require.Len(t, idx.Benchmarks, 2)
	require.Equal(t, "0.000000000000000000", types.NewModelIndex(4, nil).Aggregate)
}
