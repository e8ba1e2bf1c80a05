package runtime_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
	"github.com/delphi-network/delphi/runtime/train"
)

// irisRun trains a logistic regression on iris and evaluates it, traced, on
// 40 items with the given workers.
func irisRun(t *testing.T, workers int) (*runtime.Model, *bench.Benchmark, []int, runtime.Result) {
	t.Helper()
	raw, _, err := train.Train(train.DefaultConfig("logreg", "iris"))
	require.NoError(t, err)
	m, err := runtime.LoadModel(raw, runtime.DefaultLimits())
	require.NoError(t, err)
	ds, err := bench.Load("iris")
	require.NoError(t, err)
	items := make([]int, 40)
	for i := range items {
		items[i] = (i * 37) % ds.Len()
	}
	res, err := m.Evaluate(ds, items, runtime.EvalOptions{Trace: true, Workers: workers})
	require.NoError(t, err)
	return m, ds, items, res
}

// TestTheTraceEndsEachItemWithItsScore: every item's operator leaves are
// followed by its label, prediction, points and running total, so the
// last leaf commits to Correct; the referee's recomputation of every score
// leaf from its sources matches the run bit for bit; 1 and N workers give
// the same trace.
func TestTheTraceEndsEachItemWithItsScore(t *testing.T) {
	m, ds, items, res := irisRun(t, 1)
	_, _, _, par := irisRun(t, 4)
	require.Equal(t, res.TraceRoot, par.TraceRoot, "workers do not change the trace")

	ops, per := m.Program.LeavesPerItem(), m.LeavesPerItem()
	require.Equal(t, ops+runtime.ScoreLeaves, per)
	require.Equal(t, len(items)*per, res.Leaves)
	require.Positive(t, res.Correct)
	require.Less(t, res.Correct, len(items), "a score that is not trivially all or nothing")
	last := res.Trace.Leaf(res.Leaves - 1).Output
	require.Equal(t, runtime.OutputHash(runtime.ScoreTensor(int64(res.Correct))), last, "the last leaf is the score")

	logitsLeaf, ok := m.Program.OutputLeaf(0)
	require.True(t, ok)
	var total int64
	for k, idx := range items {
		x, label := ds.Item(idx)
		leaves := map[int]*runtime.Tensor{}
		_, err := m.Program.Run([]*runtime.Tensor{x}, 1, func(l int, t *runtime.Tensor) { leaves[l] = t })
		require.NoError(t, err)
		leaves[-1] = runtime.ScoreTensor(total)
		want := runtime.Scores(runtime.Prediction(leaves[logitsLeaf]), label, total)
		total = want[runtime.ScoreLeaves-1]
		for i, v := range want {
			local := ops + i
			require.Equal(t, runtime.OutputHash(runtime.ScoreTensor(v)), res.Trace.Leaf(k*per+local).Output, "item %d score leaf %d", k, i)
			leaves[local] = runtime.ScoreTensor(v)
			srcs, err := m.LeafSources(int64(k), local)
			require.NoError(t, err)
			var in []*runtime.Tensor
			for _, s := range srcs {
				switch s.Kind {
				case runtime.FromLabel:
					in = append(in, runtime.ScoreTensor(int64(label)))
				case runtime.FromLeaf:
					require.Less(t, s.Leaf, local)
					in = append(in, leaves[s.Leaf])
				default:
					t.Fatalf("score leaf %d reads a %v source", i, s.Kind)
				}
			}
			got, err := m.RecomputeLeaf(local, in)
			require.NoError(t, err)
			require.Equal(t, runtime.OutputHash(runtime.ScoreTensor(v)), runtime.OutputHash(got), "item %d score leaf %d recomputed", k, i)
		}
	}
	require.Equal(t, int64(res.Correct), total)
}

// TestScoreLeavesRefuseBadInputs: the referee's recomputation of a score
// leaf refuses inputs of the wrong count, type or shape with an error.
func TestScoreLeavesRefuseBadInputs(t *testing.T) {
	m, _, _, _ := irisRun(t, 1)
	ops := m.Program.LeavesPerItem()
	one := runtime.ScoreTensor(1)
	floats, err := runtime.FromFloats([]int{1}, []float32{1})
	require.NoError(t, err)
	for name, tc := range map[string]struct {
		local int
		in    []*runtime.Tensor
	}{
		"label without input":       {ops, nil},
		"label as float":            {ops, []*runtime.Tensor{floats}},
		"prediction of wrong shape": {ops + 1, []*runtime.Tensor{one}},
		"points with one input":     {ops + 2, []*runtime.Tensor{one}},
		"points with a nil input":   {ops + 2, []*runtime.Tensor{one, nil}},
		"total of three":            {ops + 3, []*runtime.Tensor{one, one, one}},
		"negative total":            {ops + 3, []*runtime.Tensor{one, runtime.ScoreTensor(-5)}},
		"past the score leaves":     {ops + 4, []*runtime.Tensor{one}},
	} {
		_, err := m.RecomputeLeaf(tc.local, tc.in)
		require.Error(t, err, name)
	}
	srcs, err := m.LeafSources(0, ops+3)
	require.NoError(t, err)
	require.Len(t, srcs, 1, "the first item's total reads no previous total")
	srcs, err = m.LeafSources(1, ops+3)
	require.NoError(t, err)
	require.Len(t, srcs, 2)
	require.Equal(t, -1, srcs[1].Leaf, "the previous item's last leaf")
	_, err = m.LeafSources(0, ops+4)
	require.Error(t, err)
}
