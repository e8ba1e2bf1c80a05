package runtime

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/delphi-network/delphi/runtime/onnxpb"
)

// tinyModel is Y = Relu(X W + B) with X [1,2], as an ONNX ModelProto.
func tinyModel(opset int64, op string) *onnxpb.ModelProto {
	f32 := int32(onnxpb.TensorProto_FLOAT)
	dims := func(d ...int64) *onnxpb.TypeProto {
		var ds []*onnxpb.TensorShapeProto_Dimension
		for _, v := range d {
			ds = append(ds, &onnxpb.TensorShapeProto_Dimension{Value: &onnxpb.TensorShapeProto_Dimension_DimValue{DimValue: v}})
		}
		return &onnxpb.TypeProto{Value: &onnxpb.TypeProto_TensorType{TensorType: &onnxpb.TypeProto_Tensor{ElemType: f32, Shape: &onnxpb.TensorShapeProto{Dim: ds}}}}
	}
	return &onnxpb.ModelProto{
		IrVersion:   7,
		OpsetImport: []*onnxpb.OperatorSetIdProto{{Version: opset}},
		Graph: &onnxpb.GraphProto{
			Name: "tiny",
			Node: []*onnxpb.NodeProto{
				{Name: "mm", OpType: "MatMul", Input: []string{"X", "W"}, Output: []string{"h"}},
				{Name: "add", OpType: "Add", Input: []string{"h", "B"}, Output: []string{"z"}},
				{Name: "act", OpType: op, Input: []string{"z"}, Output: []string{"Y"}},
			},
			Initializer: []*onnxpb.TensorProto{
				{Name: "W", Dims: []int64{2, 2}, DataType: f32, FloatData: []float32{1, -1, 2, 0.5}},
				{Name: "B", Dims: []int64{2}, DataType: f32, RawData: []byte{0, 0, 0x80, 0x3f, 0, 0, 0, 0}},
			},
			Input:  []*onnxpb.ValueInfoProto{{Name: "X", Type: dims(1, 2)}},
			Output: []*onnxpb.ValueInfoProto{{Name: "Y", Type: dims(1, 2)}},
		},
	}
}

func TestLoadTinyModel(t *testing.T) {
	b, err := proto.Marshal(tinyModel(13, "Relu"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := LoadModel(b, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	y, err := m.Predict(mustT(t, []int{1, 2}, 1, 2), 1)
	if err != nil {
		t.Fatal(err)
	}
	// h = [1*1+2*2, 1*-1+2*0.5] = [5, 0]; z = [6, 0]; relu
	checkEqual(t, "tiny", y, []int{1, 2}, []float32{6, 0})
	if m.ParameterCount() != 6 {
		t.Fatalf("parameters %d", m.ParameterCount())
	}
}

func TestLoadModelErrors(t *testing.T) {
	good, _ := proto.Marshal(tinyModel(13, "Relu"))
	badOp, _ := proto.Marshal(tinyModel(13, "TfIdfVectorizer"))
	badOpset, _ := proto.Marshal(tinyModel(99, "Relu"))
	mis := tinyModel(13, "Relu")
	mis.Graph.Initializer[0].FloatData = []float32{1, 2, 3}
	misB, _ := proto.Marshal(mis)
	small := DefaultLimits()
	small.MaxFLOPsPerItem = 4
	cases := []struct {
		name string
		b    []byte
		lim  Limits
		msg  string
	}{
		{"truncated", good[:len(good)-7], DefaultLimits(), "ONNX"},
		{"garbage", []byte("this is not a model"), DefaultLimits(), "ONNX"},
		{"empty", nil, DefaultLimits(), "no graph"},
		{"unsupported op", badOp, DefaultLimits(), `node "act" (TfIdfVectorizer): unsupported operator`},
		{"opset", badOpset, DefaultLimits(), "opset 99"},
		{"size mismatch", misB, DefaultLimits(), `initializer "W"`},
		{"flops limit", good, small, "FLOPs"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadModel(c.b, c.lim)
			if err == nil || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("error %v, want one mentioning %q", err, c.msg)
			}
		})
	}
	// every truncation of a valid model is an error or a valid model, never a panic
	for i := 0; i < len(good); i++ {
		_, _ = LoadModel(good[:i], DefaultLimits())
	}
}

func FuzzLoadModel(f *testing.F) {
	good, _ := proto.Marshal(tinyModel(13, "Relu"))
	f.Add(good)
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := LoadModel(b, DefaultLimits())
		if err != nil {
			return
		}
		x := NewTensor(m.InputShape()...)
		_, _ = m.Predict(x, 1)
	})
}
