package player_test

import (
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
	"github.com/delphi-network/delphi/runtime/train"
	"github.com/delphi-network/delphi/runtime/zoo"
)

// TestRefereeReplaysEveryOperatorOfRealModels: for the models Delphi
// evaluates (trained logistic regression and MLPs, the ONNX-zoo MNIST CNN),
// every leaf of a traced run is recomputed alone from the inputs the
// referee would be given (earlier outputs, weights from the artifact, the
// benchmark item or its label), score leaves included, and hashes bit for
// bit to the leaf's output hash; the last leaf is the score. The operator
// types covered are listed in the log.
func TestRefereeReplaysEveryOperatorOfRealModels(t *testing.T) {
	type model struct {
		name, data string
		raw        func() ([]byte, error)
	}
	trained := func(kind, data string) func() ([]byte, error) {
		return func() ([]byte, error) { raw, _, err := train.Train(train.DefaultConfig(kind, data)); return raw, err }
	}
	covered := map[string]bool{}
	for _, m := range []model{
		{"logreg/iris", "iris", trained("logreg", "iris")},
		{"mlp/iris", "iris", trained("mlp", "iris")},
		{"mlp/digits", "digits", trained("mlp", "digits")},
		{"zoo-cnn/mnist", "mnist", zoo.MNIST},
	} {
		t.Run(m.name, func(t *testing.T) {
			raw, err := m.raw()
			require.NoError(t, err)
			ds, err := bench.Load(m.data)
			require.NoError(t, err, "benchmark data: run `make data`")
			md, err := runtime.LoadModel(raw, runtime.DefaultLimits())
			require.NoError(t, err)
			// The referee compiles the model from its skeleton: the same
			// leaves, read from the same sources, recomputed alike.
			sk, err := runtime.LoadSkeleton(md.Skeleton(), runtime.DefaultLimits())
			require.NoError(t, err)
			require.True(t, sk.Partial())
			require.Equal(t, md.LeavesPerItem(), sk.LeavesPerItem())
			require.Less(t, len(md.Skeleton()), len(raw)/2+2048, "the skeleton leaves the float weights out")
			items := []int{0, 1, ds.Len() - 1}
			res, err := md.Evaluate(ds, items, runtime.EvalOptions{Trace: true, Workers: 1})
			require.NoError(t, err)
			ops, per := md.Program.LeavesPerItem(), md.LeavesPerItem()
			var total int64
			for k, item := range items {
				x, _ := ds.Item(item)
				outs := map[int]*runtime.Tensor{-1: runtime.ScoreTensor(total)}
				_, err := md.Program.Run([]*runtime.Tensor{x}, 1, func(l int, t *runtime.Tensor) { outs[l] = t })
				require.NoError(t, err)
				for l := 0; l < per; l++ {
					srcs, err := md.LeafSources(int64(k), l)
					require.NoError(t, err)
					skSrcs, err := sk.LeafSources(int64(k), l)
					require.NoError(t, err)
					require.Equal(t, srcs, skSrcs)
					op := "score"
					if l < ops {
						node, _, err := md.Program.LeafNode(l)
						require.NoError(t, err)
						op = node.OpType
					}
					var ins []*runtime.Tensor
					for _, s := range srcs {
						switch s.Kind {
						case runtime.FromLeaf:
							ins = append(ins, outs[s.Leaf])
						case runtime.FromWeight:
							ins = append(ins, md.Graph.Initializers[s.Name])
						case runtime.FromItem, runtime.FromLabel:
							enc := ds.ItemEncoding(item)
							xt, lab, err := bench.DecodeItem(enc, md.InputShape())
							require.NoError(t, err)
							if s.Kind == runtime.FromLabel {
								xt = runtime.ScoreTensor(int64(lab))
							}
							ins = append(ins, xt)
						}
					}
					got, err := md.RecomputeLeaf(l, ins)
					require.NoError(t, err, "leaf %d (%s)", l, op)
					fromSkeleton, err := sk.RecomputeLeaf(l, ins)
					require.NoError(t, err, "leaf %d (%s) from the skeleton", l, op)
					require.Equal(t, runtime.OutputHash(got), runtime.OutputHash(fromSkeleton), "%s leaf %d (%s) from the skeleton", m.name, l, op)
					require.Equal(t, res.Trace.Leaf(k*per+l).Output, runtime.OutputHash(got),
						"%s item %d leaf %d (%s)", m.name, item, l, op)
					outs[l] = got
					covered[op] = true
				}
				total = outs[per-1].I[0]
			}
			require.Equal(t, int64(res.Correct), total, "the last leaf is the score")
		})
	}
	ops := make([]string, 0, len(covered))
	for op := range covered {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	t.Logf("operator types replayed bit for bit: %v", ops)
	require.GreaterOrEqual(t, len(ops), 5)
}
