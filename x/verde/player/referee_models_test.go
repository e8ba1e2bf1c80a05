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
// benchmark item) and hashes bit for bit to the leaf's output hash. The
// operator types covered are listed in the log.
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
			items := []int{0, 1, ds.Len() - 1}
			res, err := md.Evaluate(ds, items, runtime.EvalOptions{Trace: true, Workers: 1})
			require.NoError(t, err)
			per := md.Program.LeavesPerItem()
			for k, item := range items {
				x, _ := ds.Item(item)
				var outs []*runtime.Tensor
				_, err := md.Program.Run([]*runtime.Tensor{x}, 1, func(_ int, t *runtime.Tensor) { outs = append(outs, t) })
				require.NoError(t, err)
				for l := 0; l < per; l++ {
					node, srcs, err := md.Program.LeafNode(l)
					require.NoError(t, err)
					var ins []*runtime.Tensor
					for _, s := range srcs {
						switch s.Kind {
						case runtime.FromLeaf:
							ins = append(ins, outs[s.Leaf])
						case runtime.FromWeight:
							ins = append(ins, md.Graph.Initializers[s.Name])
						case runtime.FromItem:
							enc := ds.ItemEncoding(item)
							xt, _, err := bench.DecodeItem(enc, md.InputShape())
							require.NoError(t, err)
							ins = append(ins, xt)
						}
					}
					got, err := md.Program.Recompute(l, ins)
					require.NoError(t, err, "leaf %d (%s)", l, node.OpType)
					require.Equal(t, res.Trace.Leaf(k*per+l).Output, runtime.OutputHash(got),
						"%s item %d leaf %d (%s)", m.name, item, l, node.OpType)
					covered[node.OpType] = true
				}
			}
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
