package runtime

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/delphi-network/delphi/runtime/onnxpb"
)

// TestHostileModels: graphs built to exhaust memory or time, or to confuse
// the loader, fail at load time with an error, identically everywhere.
func TestHostileModels(t *testing.T) {
	mutate := func(f func(m *onnxpb.ModelProto)) []byte {
		m := tinyModel(13, "Relu")
		f(m)
		b, err := proto.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	f32 := int32(onnxpb.TensorProto_FLOAT)
	lim := DefaultLimits()
	cases := []struct {
		name string
		b    []byte
		msg  string
	}{
		{"dims overflow", mutate(func(m *onnxpb.ModelProto) {
			m.Graph.Initializer[0].Dims = []int64{1 << 30, 1 << 30, 1 << 30}
		}), "initializer \"W\""},
		{"negative dim", mutate(func(m *onnxpb.ModelProto) { m.Graph.Initializer[0].Dims = []int64{-2, -2} }), "invalid dimension"},
		{"huge declared tensor", mutate(func(m *onnxpb.ModelProto) {
			m.Graph.Initializer[0].Dims = []int64{1 << 14, 1 << 14}
		}), "limit"},
		{"raw data short", mutate(func(m *onnxpb.ModelProto) { m.Graph.Initializer[1].RawData = []byte{1, 2, 3} }), "raw_data"},
		{"external data", mutate(func(m *onnxpb.ModelProto) {
			m.Graph.Initializer[0].DataLocation = onnxpb.TensorProto_EXTERNAL
		}), "external"},
		{"string tensor", mutate(func(m *onnxpb.ModelProto) {
			m.Graph.Initializer[0].DataType = int32(onnxpb.TensorProto_STRING)
		}), "element type"},
		{"double tensor without its data", mutate(func(m *onnxpb.ModelProto) {
			m.Graph.Initializer[0].DataType = int32(onnxpb.TensorProto_DOUBLE)
		}), "needs 4 elements"},
		{"cycle", mutate(func(m *onnxpb.ModelProto) { m.Graph.Node[0].Input[0] = "Y" }), "cycle"},
		{"undefined input", mutate(func(m *onnxpb.ModelProto) { m.Graph.Node[1].Input[1] = "nothing" }), "not produced"},
		{"duplicate output", mutate(func(m *onnxpb.ModelProto) { m.Graph.Node[1].Output[0] = "h" }), "more than once"},
		{"duplicate initializer", mutate(func(m *onnxpb.ModelProto) { m.Graph.Initializer[1].Name = "W" }), "twice"},
		{"custom domain", mutate(func(m *onnxpb.ModelProto) { m.Graph.Node[2].Domain = "com.evil" }), "domain"},
		{"missing output", mutate(func(m *onnxpb.ModelProto) { m.Graph.Output[0].Name = "nope" }), "not produced"},
		{"int64 output", mutate(func(m *onnxpb.ModelProto) {
			m.Graph.Initializer = append(m.Graph.Initializer, &onnxpb.TensorProto{Name: "k", Dims: []int64{1}, DataType: int32(onnxpb.TensorProto_INT64), Int64Data: []int64{3}})
			m.Graph.Output[0].Name = "k"
		}), "float32"},
		{"too many nodes", mutate(func(m *onnxpb.ModelProto) {
			for i := 0; i < lim.MaxNodes; i++ {
				m.Graph.Node = append(m.Graph.Node, &onnxpb.NodeProto{OpType: "Identity", Input: []string{"Y"}, Output: []string{"y" + string(rune(i))}})
			}
		}), "nodes"},
		{"activation blow-up", mutate(func(m *onnxpb.ModelProto) {
			// repeated self-concatenation doubles the tensor each step
			prev := "Y"
			for i := 0; i < 40; i++ {
				out := "c" + strings.Repeat("x", i+1)
				m.Graph.Node = append(m.Graph.Node, &onnxpb.NodeProto{OpType: "Concat", Input: []string{prev, prev}, Output: []string{out},
					Attribute: []*onnxpb.AttributeProto{{Name: "axis", Type: onnxpb.AttributeProto_INT, I: 1}}})
				prev = out
			}
		}), "limit"},
		{"flop bomb", mutate(func(m *onnxpb.ModelProto) {
			// 3000 chained 2x2 MatMuls: each node is cheap, their sum is over the limit
			m.Graph.Initializer = append(m.Graph.Initializer, &onnxpb.TensorProto{Name: "big", Dims: []int64{2, 2}, DataType: f32, FloatData: []float32{1, 0, 0, 1}})
			prev := "Y"
			for i := 0; i < 3000; i++ {
				out := "g" + strings.Repeat("x", i+1)
				m.Graph.Node = append(m.Graph.Node, &onnxpb.NodeProto{OpType: "MatMul", Input: []string{prev, "big"}, Output: []string{out}})
				prev = out
			}
		}), "FLOPs"},
	}
	small := lim
	small.MaxFLOPsPerItem = 10000
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := lim
			if c.name == "flop bomb" {
				l = small
			}
			_, err := LoadModel(c.b, l)
			if err == nil || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("error %v, want one containing %q", err, c.msg)
			}
		})
	}
}
