package train

import (
	"fmt"

	"google.golang.org/protobuf/proto"

	"github.com/delphi-network/delphi/runtime/onnxpb"
)

// exportOpset is the opset of exported models.
const exportOpset = 13

// export writes the network as an ONNX model: input "input" of the
// benchmark's item shape (raw values), output "logits" [1,classes]; the
// normalisation constants come first among the initializers. Marshalling is
// deterministic.
func export(n net, pre *prep, inShape []int, classes int, cfg Config) ([]byte, error) {
	f32 := int32(onnxpb.TensorProto_FLOAT)
	g := &onnxpb.GraphProto{Name: fmt.Sprintf("delphi-%s", cfg.Model)}
	g.Initializer = append(g.Initializer, pre.initializers()...)
	for _, p := range n.params() {
		dims := make([]int64, len(p.shape))
		for i, d := range p.shape {
			dims[i] = int64(d)
		}
		g.Initializer = append(g.Initializer, &onnxpb.TensorProto{Name: p.name, Dims: dims, DataType: f32, FloatData: p.w})
	}
	for i, nd := range n.nodes() {
		np := &onnxpb.NodeProto{Name: fmt.Sprintf("%s_%d", nd.op, i), OpType: nd.op, Input: nd.in, Output: nd.out}
		// attribute order is fixed by sorted keys so the bytes are stable
		for _, k := range sortedKeys(nd.ints) {
			np.Attribute = append(np.Attribute, &onnxpb.AttributeProto{Name: k, Type: onnxpb.AttributeProto_INTS, Ints: nd.ints[k]})
		}
		for _, k := range sortedKeys(nd.int1) {
			np.Attribute = append(np.Attribute, &onnxpb.AttributeProto{Name: k, Type: onnxpb.AttributeProto_INT, I: nd.int1[k]})
		}
		g.Node = append(g.Node, np)
	}
	dims := make([]int64, len(inShape))
	for i, d := range inShape {
		dims[i] = int64(d)
	}
	g.Input = []*onnxpb.ValueInfoProto{{Name: "input", Type: tensorType(f32, dims...)}}
	g.Output = []*onnxpb.ValueInfoProto{{Name: "logits", Type: tensorType(f32, 1, int64(classes))}}
	m := &onnxpb.ModelProto{
		IrVersion:       7,
		ProducerName:    "delphi-train",
		ProducerVersion: "1",
		OpsetImport:     []*onnxpb.OperatorSetIdProto{{Version: exportOpset}},
		DocString:       fmt.Sprintf("%s trained on %s, seed %d", cfg.Model, cfg.Dataset, cfg.Seed),
		Graph:           g,
	}
	return proto.MarshalOptions{Deterministic: true}.Marshal(m)
}

func tensorType(elem int32, dims ...int64) *onnxpb.TypeProto {
	var ds []*onnxpb.TensorShapeProto_Dimension
	for _, d := range dims {
		ds = append(ds, &onnxpb.TensorShapeProto_Dimension{Value: &onnxpb.TensorShapeProto_Dimension_DimValue{DimValue: d}})
	}
	return &onnxpb.TypeProto{Value: &onnxpb.TypeProto_TensorType{TensorType: &onnxpb.TypeProto_Tensor{ElemType: elem, Shape: &onnxpb.TensorShapeProto{Dim: ds}}}}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}
