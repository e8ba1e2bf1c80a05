package runtime

import "fmt"

// AttrKind says which field of an Attr is set, mirroring ONNX's
// AttributeProto.AttributeType.
type AttrKind uint8

// Attribute kinds the runtime understands.
const (
	AttrFloat AttrKind = iota + 1
	AttrInt
	AttrString
	AttrTensor
	AttrFloats
	AttrInts
	AttrStrings
	AttrGraph
)

// Attr is one node attribute.
type Attr struct {
	Kind    AttrKind
	F       float32
	I       int64
	S       string
	T       *Tensor
	Floats  []float32
	Ints    []int64
	Strings []string
	G       *Subgraph
}

// Subgraph is a graph attribute (If's then_branch and else_branch, Loop's
// body): its inputs, nodes, its own initializers, and the names of its
// outputs. Names it neither takes nor produces are the enclosing graph's
// values.
type Subgraph struct {
	Inputs       []string // a Loop body's: iteration number, condition, carried values
	Nodes        []*Node
	Initializers map[string]*Tensor // by name; iterated only in sorted order
	Outputs      []string
}

// Node is one operator application. Inputs and Outputs name values; an
// empty input name is an omitted optional input, as in ONNX.
type Node struct {
	Name    string
	OpType  string
	Inputs  []string
	Outputs []string
	Attrs   map[string]Attr // looked up by key only; never iterated where order matters
	// Opset is the default-domain opset the model imports; operators whose
	// defaults changed between opsets (Softmax's axis) read it.
	Opset int64
}

// label is how errors name a node: its name if any, else its op and output.
func (n *Node) label() string {
	out := ""
	if len(n.Outputs) > 0 {
		out = n.Outputs[0]
	}
	if n.Name != "" {
		return fmt.Sprintf("node %q (%s)", n.Name, n.OpType)
	}
	return fmt.Sprintf("%s node producing %q", n.OpType, out)
}

// errorf wraps a message with the node's label.
func (n *Node) errorf(format string, args ...any) error {
	return fmt.Errorf("%s: %s", n.label(), fmt.Sprintf(format, args...))
}

// needsConstant is the error of a builder that needs input i's value when
// it compiles (a shape, axes, scales, pads) and it is not a compile-time
// constant: Specialize binds the graph inputs behind that value and
// compiles again.
type needsConstant struct {
	input string // the value's name
	err   error
}

func (e *needsConstant) Error() string { return e.err.Error() }
func (e *needsConstant) Unwrap() error { return e.err }

// needConst is the needsConstant error for input i of n.
func (n *Node) needConst(i int, format string, args ...any) error {
	name := ""
	if i < len(n.Inputs) {
		name = n.Inputs[i]
	}
	return &needsConstant{input: name, err: n.errorf(format, args...)}
}

func (n *Node) attrInt(name string, def int64) (int64, error) {
	a, ok := n.Attrs[name]
	if !ok {
		return def, nil
	}
	if a.Kind != AttrInt {
		return 0, n.errorf("attribute %s must be an int", name)
	}
	return a.I, nil
}

func (n *Node) attrFloat(name string, def float32) (float32, error) {
	a, ok := n.Attrs[name]
	if !ok {
		return def, nil
	}
	if a.Kind != AttrFloat {
		return 0, n.errorf("attribute %s must be a float", name)
	}
	return a.F, nil
}

func (n *Node) attrString(name, def string) (string, error) {
	a, ok := n.Attrs[name]
	if !ok {
		return def, nil
	}
	if a.Kind != AttrString {
		return "", n.errorf("attribute %s must be a string", name)
	}
	return a.S, nil
}

// attrInts returns the ints attribute, or nil when absent.
func (n *Node) attrInts(name string) ([]int64, error) {
	a, ok := n.Attrs[name]
	if !ok {
		return nil, nil
	}
	if a.Kind != AttrInts {
		return nil, n.errorf("attribute %s must be a list of ints", name)
	}
	return a.Ints, nil
}

// attrIntsLen returns the ints attribute, which must have length want, or
// def repeated want times when absent. Values must be >= lo.
func (n *Node) attrIntsLen(name string, want int, def, lo int64) ([]int, error) {
	v, err := n.attrInts(name)
	if err != nil {
		return nil, err
	}
	out := make([]int, want)
	if v == nil {
		for i := range out {
			out[i] = int(def)
		}
		return out, nil
	}
	if len(v) != want {
		return nil, n.errorf("attribute %s has %d values, want %d", name, len(v), want)
	}
	for i, x := range v {
		if x < lo || x > 1<<20 {
			return nil, n.errorf("attribute %s[%d] = %d out of range", name, i, x)
		}
		out[i] = int(x)
	}
	return out, nil
}
