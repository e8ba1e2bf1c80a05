package llm

import (
	"encoding/json"
	"fmt"
	"sort"

	"google.golang.org/protobuf/proto"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/onnxpb"
	"github.com/delphi-network/delphi/runtime/tokenizer"
)

// ONNX is the model's second way in: the same graph Graph builds, written as
// an ONNX model (opset 23: RMSNormalization, RotaryEmbedding) with the
// tokenizer and config in its metadata_props, so the file alone is
// evaluable. Loading it through the runtime's ONNX parser gives the same
// program, and so the same trace roots, as the GGUF file.

const (
	metaTokenizer = "delphi.tokenizer" // tokenizer.BPE canonical text
	metaConfig    = "delphi.llama.config"
)

// ExportONNX writes the model over a window of T tokens.
func ExportONNX(w *Weights, tok *tokenizer.BPE, T int, name string) ([]byte, error) {
	if tok.VocabSize() != w.Config.Vocab {
		return nil, fmt.Errorf("tokenizer has %d tokens, the model %d", tok.VocabSize(), w.Config.Vocab)
	}
	g, err := Graph(w, T)
	if err != nil {
		return nil, err
	}
	pg := &onnxpb.GraphProto{Name: name}
	names := make([]string, 0, len(g.Initializers))
	for n := range g.Initializers {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t := g.Initializers[n]
		dims := make([]int64, len(t.Shape))
		for i, d := range t.Shape {
			dims[i] = int64(d)
		}
		tp := &onnxpb.TensorProto{Name: n, Dims: dims}
		if t.DType == runtime.Int64 {
			tp.DataType, tp.Int64Data = int32(onnxpb.TensorProto_INT64), t.I
		} else {
			tp.DataType, tp.FloatData = int32(onnxpb.TensorProto_FLOAT), t.F
		}
		pg.Initializer = append(pg.Initializer, tp)
	}
	for _, n := range g.Nodes {
		np := &onnxpb.NodeProto{Name: n.Name, OpType: n.OpType, Input: n.Inputs, Output: n.Outputs}
		keys := make([]string, 0, len(n.Attrs))
		for k := range n.Attrs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			a := n.Attrs[k]
			ap := &onnxpb.AttributeProto{Name: k}
			switch a.Kind {
			case runtime.AttrFloat:
				ap.Type, ap.F = onnxpb.AttributeProto_FLOAT, a.F
			case runtime.AttrInt:
				ap.Type, ap.I = onnxpb.AttributeProto_INT, a.I
			case runtime.AttrInts:
				ap.Type, ap.Ints = onnxpb.AttributeProto_INTS, a.Ints
			default:
				return nil, fmt.Errorf("node %s: attribute %s of kind %d is not exported", n.Name, k, a.Kind)
			}
			np.Attribute = append(np.Attribute, ap)
		}
		pg.Node = append(pg.Node, np)
	}
	pg.Input = []*onnxpb.ValueInfoProto{{Name: "tokens", Type: tensorType(int32(onnxpb.TensorProto_INT64), 1, int64(T))}}
	pg.Output = []*onnxpb.ValueInfoProto{{Name: g.Outputs[0], Type: tensorType(int32(onnxpb.TensorProto_FLOAT), 1, int64(T), int64(w.Config.Vocab))}}
	cfgJSON, _ := json.Marshal(w.Config)
	m := &onnxpb.ModelProto{
		IrVersion:       10,
		ProducerName:    "delphi-llm",
		ProducerVersion: "1",
		OpsetImport:     []*onnxpb.OperatorSetIdProto{{Version: 23}},
		DocString:       "llama-architecture decoder over a window of tokens; logits row t predicts token t+1",
		Graph:           pg,
		MetadataProps: []*onnxpb.StringStringEntryProto{
			{Key: metaConfig, Value: string(cfgJSON)},
			{Key: metaTokenizer, Value: string(tok.MarshalText())},
		},
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

// ONNXModel is a language model loaded from ONNX: its compiled program and
// the tokenizer and config from its metadata.
type ONNXModel struct {
	Program *runtime.Program
	Tok     *tokenizer.BPE
	Config  Config
	Window  int
	// Root is the runtime's weight root over the graph's initializers:
	// the registered weights_root of an ONNX language model.
	Root runtime.Hash
}

// LoadONNX parses, bounds and compiles an ONNX language model: one int64
// input [1, T], one float32 output [1, T, vocab], and the metadata above.
func LoadONNX(raw []byte, lim runtime.Limits) (*ONNXModel, error) {
	var mp onnxpb.ModelProto
	if err := proto.Unmarshal(raw, &mp); err != nil {
		return nil, fmt.Errorf("not an ONNX file: %w", err)
	}
	meta := map[string]string{}
	for _, kv := range mp.MetadataProps {
		meta[kv.Key] = kv.Value
	}
	tokText, ok := meta[metaTokenizer]
	if !ok {
		return nil, fmt.Errorf("the ONNX file has no %s metadata: not a Delphi language model", metaTokenizer)
	}
	tok, err := tokenizer.Parse([]byte(tokText))
	if err != nil {
		return nil, err
	}
	var cfg Config
	if err := json.Unmarshal([]byte(meta[metaConfig]), &cfg); err != nil {
		return nil, fmt.Errorf("%s metadata: %w", metaConfig, err)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	g, err := runtime.ParseONNX(raw, lim)
	if err != nil {
		return nil, err
	}
	p, err := runtime.Compile(g, lim)
	if err != nil {
		return nil, err
	}
	in := p.Inputs()
	if len(in) != 1 || in[0].DType != runtime.Int64 || len(in[0].Shape) != 2 || in[0].Shape[0] != 1 {
		return nil, fmt.Errorf("want one int64 input [1, T], have %v", in)
	}
	T := in[0].Shape[1]
	if tok.VocabSize() != cfg.Vocab || T > cfg.Context {
		return nil, fmt.Errorf("tokenizer of %d tokens and window %d for %+v", tok.VocabSize(), T, cfg)
	}
	// The output's shape is only known by running: one run on zeros.
	zero, _ := runtime.FromInts([]int{1, T}, make([]int64, T))
	out, err := p.Run([]*runtime.Tensor{zero}, 1, nil)
	if err != nil {
		return nil, err
	}
	if len(out) != 1 || out[0].DType != runtime.Float32 || len(out[0].Shape) != 3 || out[0].Shape[0] != 1 ||
		out[0].Shape[1] != T || out[0].Shape[2] != cfg.Vocab || len(out[0].F) != T*cfg.Vocab {
		return nil, fmt.Errorf("want one float32 output [1, %d, %d]", T, cfg.Vocab)
	}
	return &ONNXModel{Program: p, Tok: tok, Config: cfg, Window: T, Root: runtime.NewWeightTree(g).Root()}, nil
}
