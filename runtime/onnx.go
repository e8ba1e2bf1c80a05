package runtime

import (
	"fmt"
	"strings"

	"google.golang.org/protobuf/proto"

	"github.com/delphi-network/delphi/runtime/onnxpb"
)

// Opset range of the default ONNX domain that the operator semantics in
// this package follow (see README: behaviour that changed across these
// versions is keyed on Node.Opset; before opset 7 only the operators whose
// meaning did not change by 7 are read, see opset_legacy.go).
const (
	MinOpset = 1
	MaxOpset = 23
)

// ParseONNX decodes a serialized ModelProto into a Graph, rejecting anything
// outside the supported subset with an error (never a panic): oversize input,
// truncated or garbled protobuf, unsupported opset or domain, external data,
// element types other than float32/int64, inconsistent tensor sizes.
func ParseONNX(b []byte, lim Limits) (*Graph, error) {
	return parseONNX(b, lim, false)
}

// parseONNX decodes a model file, or with skeleton its Skeleton: then every
// float32 initializer must come without data and stands in the graph by
// its name, type and shape only (Graph.Stripped).
func parseONNX(b []byte, lim Limits, skeleton bool) (*Graph, error) {
	if len(b) > lim.MaxModelBytes {
		return nil, fmt.Errorf("model is %d bytes, limit %d", len(b), lim.MaxModelBytes)
	}
	var m onnxpb.ModelProto
	if err := (proto.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("model is not a valid ONNX protobuf: %w", err)
	}
	if m.Graph == nil {
		return nil, fmt.Errorf("model has no graph (truncated or not an ONNX file)")
	}
	opset := int64(-1)
	for _, o := range m.OpsetImport {
		if o.Domain == "" || o.Domain == "ai.onnx" {
			opset = o.Version
		}
	}
	if opset < MinOpset || opset > MaxOpset {
		return nil, fmt.Errorf("default-domain opset %d not supported (want %d..%d)", opset, MinOpset, MaxOpset)
	}
	pg := m.Graph
	if len(pg.Node) > lim.MaxNodes {
		return nil, fmt.Errorf("graph has %d nodes, limit %d", len(pg.Node), lim.MaxNodes)
	}
	g := &Graph{Initializers: map[string]*Tensor{}, Opset: opset, stripped: map[string]bool{}}
	for _, tp := range pg.Initializer {
		if tp.Name == "" {
			return nil, fmt.Errorf("initializer without a name")
		}
		if _, dup := g.Initializers[tp.Name]; dup {
			return nil, fmt.Errorf("initializer %q defined twice", tp.Name)
		}
		if skeleton && onnxpb.TensorProto_DataType(tp.DataType) == onnxpb.TensorProto_FLOAT {
			t, err := strippedTensor(tp, lim)
			if err != nil {
				return nil, fmt.Errorf("initializer %q: %w", tp.Name, err)
			}
			g.Initializers[tp.Name] = t
			g.stripped[tp.Name] = true
			continue
		}
		t, err := TensorFromProto(tp, lim)
		if err != nil {
			return nil, fmt.Errorf("initializer %q: %w", tp.Name, err)
		}
		g.Initializers[tp.Name] = t
	}
	for _, vi := range pg.Input {
		v, err := valueInfo(vi)
		if err != nil {
			return nil, err
		}
		g.Inputs = append(g.Inputs, v)
	}
	for _, vi := range pg.Output {
		g.Outputs = append(g.Outputs, vi.Name)
	}
	np := &nodeParser{opset: opset, lim: lim, nodes: len(pg.Node)}
	for i, pn := range pg.Node {
		n, err := np.node(pn, 0)
		if err != nil {
			return nil, fmt.Errorf("node %d: %w", i, err)
		}
		g.Nodes = append(g.Nodes, n)
	}
	if skeleton {
		g.skeleton = b
		return g, nil
	}
	sk, err := skeletonOf(&m)
	if err != nil {
		return nil, err
	}
	g.skeleton = sk
	return g, nil
}

func valueInfo(vi *onnxpb.ValueInfoProto) (ValueInfo, error) {
	tt := vi.GetType().GetTensorType()
	if tt == nil {
		return ValueInfo{}, fmt.Errorf("graph input %q is not a tensor", vi.Name)
	}
	v := ValueInfo{Name: vi.Name, DType: DType(tt.ElemType)}
	for _, d := range tt.GetShape().GetDim() {
		dv, ok := d.Value.(*onnxpb.TensorShapeProto_Dimension_DimValue)
		if !ok || dv.DimValue < 1 {
			v.Shape = append(v.Shape, -1) // symbolic
			continue
		}
		if dv.DimValue > maxElements {
			return ValueInfo{}, fmt.Errorf("graph input %q dimension %d too large", vi.Name, dv.DimValue)
		}
		v.Shape = append(v.Shape, int(dv.DimValue))
	}
	return v, nil
}

// nodeParser reads nodes, their attributes and their subgraphs (If's
// branches), counting every node of every subgraph against MaxNodes and
// bounding the nesting depth.
type nodeParser struct {
	opset int64
	lim   Limits
	nodes int
}

// maxSubgraphDepth bounds the nesting of graph attributes.
const maxSubgraphDepth = 8

// maxNodeValues bounds a node's inputs and outputs (rewrites copy them).
const maxNodeValues = 1024

// graphAttrs are the graph attributes ONNX defines (op.attribute).
var graphAttrs = map[string]bool{"If.then_branch": true, "If.else_branch": true, "Loop.body": true, "Scan.body": true}

func (p *nodeParser) node(np *onnxpb.NodeProto, depth int) (*Node, error) {
	opset, lim := p.opset, p.lim
	n := &Node{Name: np.Name, OpType: np.OpType, Inputs: np.Input, Outputs: np.Output, Opset: opset, Attrs: map[string]Attr{}}
	if np.Domain != "" && np.Domain != "ai.onnx" {
		return nil, n.errorf("operator domain %q not supported", np.Domain)
	}
	if len(n.Outputs) == 0 {
		return nil, n.errorf("has no outputs")
	}
	if len(n.Inputs) > maxNodeValues || len(n.Outputs) > maxNodeValues {
		return nil, n.errorf("has %d inputs and %d outputs: at most %d each", len(n.Inputs), len(n.Outputs), maxNodeValues)
	}
	for _, ap := range np.Attribute {
		if strings.HasPrefix(ap.Name, "__delphi_") {
			return nil, n.errorf("attribute %q: the __delphi_ prefix is the runtime's own", ap.Name)
		}
		if ap.Type == onnxpb.AttributeProto_GRAPH && !graphAttrs[n.OpType+"."+ap.Name] {
			return nil, n.errorf("attribute %q: graph attributes belong to If, Loop and Scan", ap.Name)
		}
		if _, dup := n.Attrs[ap.Name]; dup {
			return nil, n.errorf("attribute %q given twice", ap.Name)
		}
		a, err := p.attr(ap, lim, depth)
		if err != nil {
			return nil, n.errorf("attribute %q: %v", ap.Name, err)
		}
		n.Attrs[ap.Name] = a
	}
	return n, nil
}

func (p *nodeParser) attr(ap *onnxpb.AttributeProto, lim Limits, depth int) (Attr, error) {
	switch ap.Type {
	case onnxpb.AttributeProto_GRAPH:
		if ap.G == nil {
			return Attr{}, fmt.Errorf("graph attribute without a graph")
		}
		g, err := p.subgraph(ap.G, depth+1)
		if err != nil {
			return Attr{}, err
		}
		return Attr{Kind: AttrGraph, G: g}, nil
	case onnxpb.AttributeProto_FLOAT:
		return Attr{Kind: AttrFloat, F: ap.F}, nil
	case onnxpb.AttributeProto_INT:
		return Attr{Kind: AttrInt, I: ap.I}, nil
	case onnxpb.AttributeProto_STRING:
		return Attr{Kind: AttrString, S: string(ap.S)}, nil
	case onnxpb.AttributeProto_FLOATS:
		return Attr{Kind: AttrFloats, Floats: ap.Floats}, nil
	case onnxpb.AttributeProto_INTS:
		return Attr{Kind: AttrInts, Ints: ap.Ints}, nil
	case onnxpb.AttributeProto_STRINGS:
		ss := make([]string, len(ap.Strings))
		for i, b := range ap.Strings {
			ss[i] = string(b)
		}
		return Attr{Kind: AttrStrings, Strings: ss}, nil
	case onnxpb.AttributeProto_TENSOR:
		if ap.T == nil {
			return Attr{}, fmt.Errorf("tensor attribute without a tensor")
		}
		t, err := TensorFromProto(ap.T, lim)
		if err != nil {
			return Attr{}, err
		}
		return Attr{Kind: AttrTensor, T: t}, nil
	}
	return Attr{}, fmt.Errorf("attribute type %v not supported", ap.Type)
}

// subgraph reads a graph attribute: its input names (a Loop body's), nodes,
// initializers and outputs. Names it neither takes nor produces are the
// enclosing graph's values.
func (p *nodeParser) subgraph(pg *onnxpb.GraphProto, depth int) (*Subgraph, error) {
	if depth > maxSubgraphDepth {
		return nil, fmt.Errorf("subgraphs nested deeper than %d", maxSubgraphDepth)
	}
	if p.nodes += 1 + len(pg.Node); p.nodes > p.lim.MaxNodes { // the subgraph counts as a node too
		return nil, fmt.Errorf("graph and subgraphs have more than %d nodes", p.lim.MaxNodes)
	}
	sg := &Subgraph{Initializers: map[string]*Tensor{}}
	for _, vi := range pg.Input {
		sg.Inputs = append(sg.Inputs, vi.Name)
	}
	for _, tp := range pg.Initializer {
		if tp.Name == "" {
			return nil, fmt.Errorf("subgraph initializer without a name")
		}
		if _, dup := sg.Initializers[tp.Name]; dup {
			return nil, fmt.Errorf("subgraph initializer %q defined twice", tp.Name)
		}
		t, err := TensorFromProto(tp, p.lim)
		if err != nil {
			return nil, fmt.Errorf("subgraph initializer %q: %w", tp.Name, err)
		}
		sg.Initializers[tp.Name] = t
	}
	for _, vi := range pg.Output {
		sg.Outputs = append(sg.Outputs, vi.Name)
	}
	for i, pn := range pg.Node {
		n, err := p.node(pn, depth)
		if err != nil {
			return nil, fmt.Errorf("subgraph node %d: %w", i, err)
		}
		sg.Nodes = append(sg.Nodes, n)
	}
	return sg, nil
}
