package train

import (
	"fmt"

	"google.golang.org/protobuf/proto"

	"github.com/delphi-network/delphi/runtime/onnxpb"
)

// DeepMLP generates (does not train) a deep multilayer perceptron for a
// benchmark whose items have `in` features: `depth` hidden layers of
// `width` units (Gemm then Relu), then a Gemm to `classes` logits, with
// weights uniform in ±1/√fan-in drawn from seed. It is how Delphi tests and
// measures models of real size (tens of millions of parameters, each layer
// small enough for one referee step) without shipping them: the same
// arguments give the same bytes everywhere.
func DeepMLP(in, classes, width, depth int, seed uint64) ([]byte, error) {
	if in < 1 || classes < 1 || width < 1 || depth < 1 {
		return nil, fmt.Errorf("deep MLP of %d inputs, %d classes, width %d, depth %d", in, classes, width, depth)
	}
	f32 := int32(onnxpb.TensorProto_FLOAT)
	g := &onnxpb.GraphProto{Name: fmt.Sprintf("delphi-deep-mlp-%dx%d", width, depth)}
	rng := newStream(seed, "deep-mlp")
	x := "input"
	layer := func(i, fanIn, fanOut int, out string, relu bool) {
		w, b := fmt.Sprintf("W%03d", i), fmt.Sprintf("b%03d", i)
		scale := float32(1) / sqrt32(float32(fanIn))
		wv := make([]float32, fanIn*fanOut)
		for j := range wv {
			wv[j] = rng.uniform(scale)
		}
		g.Initializer = append(g.Initializer,
			&onnxpb.TensorProto{Name: w, Dims: []int64{int64(fanOut), int64(fanIn)}, DataType: f32, FloatData: wv},
			&onnxpb.TensorProto{Name: b, Dims: []int64{int64(fanOut)}, DataType: f32, FloatData: make([]float32, fanOut)})
		z := out
		if relu {
			z = fmt.Sprintf("z%03d", i)
		}
		g.Node = append(g.Node, &onnxpb.NodeProto{Name: fmt.Sprintf("Gemm_%03d", i), OpType: "Gemm", Input: []string{x, w, b}, Output: []string{z},
			Attribute: []*onnxpb.AttributeProto{{Name: "transB", Type: onnxpb.AttributeProto_INT, I: 1}}})
		if relu {
			g.Node = append(g.Node, &onnxpb.NodeProto{Name: fmt.Sprintf("Relu_%03d", i), OpType: "Relu", Input: []string{z}, Output: []string{out}})
		}
		x = out
	}
	fanIn := in
	for i := 0; i < depth; i++ {
		layer(i, fanIn, width, fmt.Sprintf("h%03d", i), true)
		fanIn = width
	}
	layer(depth, fanIn, classes, "logits", false)
	g.Input = []*onnxpb.ValueInfoProto{{Name: "input", Type: tensorType(f32, 1, int64(in))}}
	g.Output = []*onnxpb.ValueInfoProto{{Name: "logits", Type: tensorType(f32, 1, int64(classes))}}
	m := &onnxpb.ModelProto{IrVersion: 7, ProducerName: "delphi-deep-mlp", ProducerVersion: "1",
		OpsetImport: []*onnxpb.OperatorSetIdProto{{Version: exportOpset}}, Graph: g}
	return proto.MarshalOptions{Deterministic: true}.Marshal(m)
}

// DeepMLPParameters is the parameter count of DeepMLP's model.
func DeepMLPParameters(in, classes, width, depth int) int64 {
	n := int64(in)*int64(width) + int64(width)
	n += int64(depth-1) * (int64(width)*int64(width) + int64(width))
	return n + int64(width)*int64(classes) + int64(classes)
}

// sqrt32 is Newton's square root in float32 (generation only, not a
// kernel: every platform rounds these same steps alike).
func sqrt32(v float32) float32 {
	r := v
	for i := 0; i < 40; i++ {
		r = float32(r+float32(v/r)) / 2
	}
	return r
}
