package runtime

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/delphi-network/delphi/runtime/onnxpb"
)

// TestAFloatWeightNeverShapesTheProgram: a model that derives a shape from
// a float32 weight (Cast to int64, then Reshape) compiled from its file
// when the compiler folded float weights, but not from its skeleton,
// where the weight has no value: every dispute over it would have ended
// without a verdict, so a lying majority's result on it stood. Now a
// float32 weight is never a compile-time constant of a classifier, and
// the model is refused at load by everyone alike.
func TestAFloatWeightNeverShapesTheProgram(t *testing.T) {
	m := tinyModel(13, "Relu")
	f32 := int32(onnxpb.TensorProto_FLOAT)
	m.Graph.Initializer = append(m.Graph.Initializer, &onnxpb.TensorProto{Name: "SF", Dims: []int64{2}, DataType: f32, FloatData: []float32{1, 2}})
	m.Graph.Node = append(m.Graph.Node,
		&onnxpb.NodeProto{Name: "cast", OpType: "Cast", Input: []string{"SF"}, Output: []string{"s"},
			Attribute: []*onnxpb.AttributeProto{{Name: "to", Type: onnxpb.AttributeProto_INT, I: 7}}},
		&onnxpb.NodeProto{Name: "r", OpType: "Reshape", Input: []string{"Y", "s"}, Output: []string{"R"}})
	m.Graph.Output[0].Name = "R"
	b, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LoadModel(b, DefaultLimits()); err == nil || !strings.Contains(err.Error(), "constant") {
		t.Fatalf("a shape derived from a float weight was accepted: %v", err)
	}
}

// TestConstantFoldingIsBoundedLikeOneRefereeStep: folding two Constant
// matrices of 600×600 (4.3·10^8 FLOPs) would be work a referee step does
// unmetered when it compiles the skeleton; the model is refused.
func TestConstantFoldingIsBoundedLikeOneRefereeStep(t *testing.T) {
	m := tinyModel(13, "Relu")
	big := &onnxpb.TensorProto{Dims: []int64{600, 600}, DataType: int32(onnxpb.TensorProto_FLOAT), FloatData: make([]float32, 600*600)}
	m.Graph.Node = append(m.Graph.Node,
		&onnxpb.NodeProto{Name: "a", OpType: "Constant", Output: []string{"A"},
			Attribute: []*onnxpb.AttributeProto{{Name: "value", Type: onnxpb.AttributeProto_TENSOR, T: big}}},
		&onnxpb.NodeProto{Name: "fold", OpType: "MatMul", Input: []string{"A", "A"}, Output: []string{"AA"}})
	b, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LoadModel(b, DefaultLimits()); err == nil || !strings.Contains(err.Error(), "constant folding exceeds") {
		t.Fatalf("unbounded folding accepted: %v", err)
	}
	// The runtime itself (language-model graphs) folds up to one item's FLOP budget.
	g, err := ParseONNX(b, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Compile(g, DefaultLimits()); err != nil {
		t.Fatal(err)
	}
}
