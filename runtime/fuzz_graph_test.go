package runtime

import (
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/delphi-network/delphi/runtime/onnxpb"
)

// controlFlowModel is a file with an If on a constant condition whose
// branch holds a Loop of three iterations: seeds for FuzzCompileGraph.
func controlFlowModel() *onnxpb.ModelProto {
	f32, i64, b := int32(onnxpb.TensorProto_FLOAT), int32(onnxpb.TensorProto_INT64), int32(onnxpb.TensorProto_BOOL)
	vi := func(name string, dt int32, dims ...int64) *onnxpb.ValueInfoProto {
		var ds []*onnxpb.TensorShapeProto_Dimension
		for _, d := range dims {
			ds = append(ds, &onnxpb.TensorShapeProto_Dimension{Value: &onnxpb.TensorShapeProto_Dimension_DimValue{DimValue: d}})
		}
		return &onnxpb.ValueInfoProto{Name: name, Type: &onnxpb.TypeProto{Value: &onnxpb.TypeProto_TensorType{TensorType: &onnxpb.TypeProto_Tensor{ElemType: dt, Shape: &onnxpb.TensorShapeProto{Dim: ds}}}}}
	}
	constant := func(out string, t *onnxpb.TensorProto) *onnxpb.NodeProto {
		return &onnxpb.NodeProto{OpType: "Constant", Output: []string{out}, Attribute: []*onnxpb.AttributeProto{{Name: "value", Type: onnxpb.AttributeProto_TENSOR, T: t}}}
	}
	body := &onnxpb.GraphProto{Name: "body",
		Input:  []*onnxpb.ValueInfoProto{vi("i", i64), vi("c", b), vi("acc", f32, 2)},
		Output: []*onnxpb.ValueInfoProto{vi("c_out", b), vi("acc_out", f32, 2), vi("s", f32, 2)},
		Node: []*onnxpb.NodeProto{
			{OpType: "Identity", Input: []string{"c"}, Output: []string{"c_out"}},
			{OpType: "Add", Input: []string{"acc", "X"}, Output: []string{"acc_out"}},
			{OpType: "Relu", Input: []string{"acc_out"}, Output: []string{"s"}},
		}}
	then := &onnxpb.GraphProto{Name: "then", Output: []*onnxpb.ValueInfoProto{vi("r", f32, 2)},
		Node: []*onnxpb.NodeProto{
			constant("m", &onnxpb.TensorProto{DataType: i64, Int64Data: []int64{3}}),
			constant("go", &onnxpb.TensorProto{DataType: b, Int32Data: []int32{1}}),
			{OpType: "Loop", Input: []string{"m", "go", "X"}, Output: []string{"r", "scanned"},
				Attribute: []*onnxpb.AttributeProto{{Name: "body", Type: onnxpb.AttributeProto_GRAPH, G: body}}},
		}}
	els := &onnxpb.GraphProto{Name: "else", Output: []*onnxpb.ValueInfoProto{vi("e", f32, 2)},
		Node: []*onnxpb.NodeProto{{OpType: "Neg", Input: []string{"X"}, Output: []string{"e"}}}}
	return &onnxpb.ModelProto{IrVersion: 8, OpsetImport: []*onnxpb.OperatorSetIdProto{{Version: 13}},
		Graph: &onnxpb.GraphProto{Name: "cf",
			Input:  []*onnxpb.ValueInfoProto{vi("X", f32, 2)},
			Output: []*onnxpb.ValueInfoProto{vi("Y", f32, 2)},
			Node: []*onnxpb.NodeProto{
				constant("cond", &onnxpb.TensorProto{DataType: b, Int32Data: []int32{1}}),
				{OpType: "If", Input: []string{"cond"}, Output: []string{"Y"}, Attribute: []*onnxpb.AttributeProto{
					{Name: "then_branch", Type: onnxpb.AttributeProto_GRAPH, G: then},
					{Name: "else_branch", Type: onnxpb.AttributeProto_GRAPH, G: els}}},
			}}}
}

// TestControlFlowFile: the seed file compiles (If inlined, Loop unrolled)
// and carries X + 3·X through the loop.
func TestControlFlowFile(t *testing.T) {
	raw, err := proto.Marshal(controlFlowModel())
	if err != nil {
		t.Fatal(err)
	}
	g, err := ParseONNX(raw, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compile(g, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	out, err := p.Run([]*Tensor{mustT(t, []int{2}, 1, -2)}, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "4x", out[0], []int{2}, []float32{4, -8})
}

// FuzzCompileGraph parses, compiles and runs any file (subgraphs, control
// flow and all operators): any outcome but a panic is fine, and a run must
// give the same bits with 1 and 3 workers.
func FuzzCompileGraph(f *testing.F) {
	for _, m := range []*onnxpb.ModelProto{controlFlowModel(), tinyModel(13, "Relu"), tinyModel(9, "Sigmoid")} {
		b, err := proto.Marshal(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := ParseONNX(b, DefaultLimits())
		if err != nil {
			return
		}
		p, err := Compile(g, DefaultLimits())
		if err != nil {
			return
		}
		var feed []*Tensor
		for _, v := range p.Inputs() {
			feed = append(feed, newOf(v.DType, v.Shape))
		}
		a, err := p.Run(feed, 1, nil)
		if err != nil {
			return
		}
		c, err := p.Run(feed, 3, nil)
		if err != nil {
			t.Fatalf("serial run succeeded, parallel failed: %v", err)
		}
		for i := range a {
			if OutputHash(a[i]) != OutputHash(c[i]) {
				t.Fatal("serial and parallel outputs differ")
			}
		}
	})
}
