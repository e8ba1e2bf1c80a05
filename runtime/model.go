package runtime

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// Model is a loaded, validated and compiled model, ready to evaluate.
type Model struct {
	Graph   *Graph
	Program *Program
	// SHA256 is the hash of the model file's bytes: the model's registered
	// id (zero for a model loaded from its skeleton).
	SHA256  Hash
	weights *WeightTree
	leafOf  map[string]int // initializer name → weight-tree leaf (WeightLeaf)
}

// LoadModel parses an ONNX file, checks it against lim and compiles it for
// one item at a time with the file's declared input shape.
func LoadModel(b []byte, lim Limits) (*Model, error) {
	g, err := ParseONNX(b, lim)
	if err != nil {
		return nil, err
	}
	m, err := compileModel(g, lim)
	if err != nil {
		return nil, err
	}
	m.SHA256 = sha256.Sum256(b)
	return m, nil
}

// compileModel compiles a classifier's graph: one runtime input, a float32
// first output. Its float32 weights are never compile-time constants and
// constant folding is bounded by one referee step's arithmetic, so the
// program compiled from the file is the one the referee compiles from the
// skeleton, and compiling a skeleton costs no more than a step.
func compileModel(g *Graph, lim Limits) (*Model, error) {
	// An If's branch initializers would join the graph when it is inlined,
	// outside the weight tree a dispute proves weights against.
	for _, n := range g.Nodes {
		for _, a := range n.Attrs {
			if a.Kind == AttrGraph {
				return nil, n.errorf("control flow (%s) is not supported in a registered model: its branches' weights are outside the weight tree", n.OpType)
			}
		}
	}
	g.floatsVary = true
	lim.MaxFoldedFLOPs = MaxRefereeStepFLOPs
	p, err := Compile(g, lim)
	if err != nil {
		return nil, err
	}
	if len(p.Inputs()) != 1 {
		return nil, fmt.Errorf("model must have exactly one runtime input (has %d)", len(p.Inputs()))
	}
	if in := p.Inputs()[0]; in.DType != Float32 && in.DType != Int64 {
		return nil, fmt.Errorf("model input %q is %s: a model's input is float32 features (or int64 token ids)", in.Name, in.DType)
	}
	if out := p.infos[p.outSlot[0]]; out.DType != Float32 || numel(out.Shape) < 1 {
		return nil, fmt.Errorf("model output %q must be a non-empty float32 tensor (scores to take the argmax of), is %s %v",
			g.Outputs[0], out.DType, out.Shape)
	}
	return &Model{Graph: g, Program: p}, nil
}

// SHA256Hex is the model hash in lower-case hex.
func (m *Model) SHA256Hex() string { return hex.EncodeToString(m.SHA256[:]) }

// Weights returns the weight Merkle tree (built on first use). A partial
// model (LoadSkeleton) has no weights to build it from: nil.
func (m *Model) Weights() *WeightTree {
	if m.Partial() {
		return nil
	}
	if m.weights == nil {
		m.weights = NewWeightTree(m.Graph)
	}
	return m.weights
}

// InputShape is the shape one item must have.
func (m *Model) InputShape() []int { return m.Program.Inputs()[0].Shape }

// Predict runs one item and returns the first graph output.
func (m *Model) Predict(x *Tensor, workers int) (*Tensor, error) {
	out, err := m.Program.Run([]*Tensor{x}, workers, nil)
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// ParameterCount is the number of elements over all float32 initializers.
func (m *Model) ParameterCount() int64 {
	var n int64
	for _, name := range m.Graph.sortedNames() {
		if t := m.Graph.Initializers[name]; t.DType == Float32 {
			n += int64(t.Len())
		}
	}
	return n
}

// Argmax returns the index of the largest element, the lowest index on
// ties; NaNs never win (a NaN first element is kept only if nothing beats it).
func Argmax(x []float32) int {
	best := 0
	for i := 1; i < len(x); i++ {
		if x[i] > x[best] || (x[best] != x[best] && x[i] == x[i]) {
			best = i
		}
	}
	return best
}

// AtVersion is the model with version v's trace leaves (Program.AtVersion)
// and no room: what an evaluation recorded at version v computes and the
// referee recomputes, for a model declared at its smallest step.
func (m *Model) AtVersion(v uint32) (*Model, error) {
	return m.AtVersionDeclared(v, RefereeStep{})
}

// AtVersionDeclared is the model with version v's trace leaves as its
// registration's declared referee step shapes them: at version 3 and
// later the groups may use the room declared above the model's smallest
// step (RefereeStep), so every step stays within the declaration. It is
// what a sidecar evaluates and the referee recomputes; both read the
// declaration from the chain. A zero declaration (none) gives no room, as
// does one below the smallest step (which Admitted refuses).
//
// The declaration is first held to [0, the chain's bounds] (as Declared
// reads a registration), so a step never exceeds the bounds whatever is
// declared, and the smallest step is counted over versions up to v only: a
// later version never changes the room, so the leaves, of an evaluation
// recorded at v.
func (m *Model) AtVersionDeclared(v uint32, declared RefereeStep) (*Model, error) {
	var room RefereeStep
	if v >= 3 && declared != (RefereeStep{}) {
		least, err := m.refereeStepThrough(v)
		if err != nil {
			return nil, err
		}
		d := declared.heldToBounds()
		room = RefereeStep{Bytes: max(d.Bytes-least.Bytes, 0), FLOPs: max(d.FLOPs-least.FLOPs, 0)}
	}
	p, err := m.Program.AtVersionWithin(v, room)
	if err != nil {
		return nil, err
	}
	if p == m.Program {
		return m, nil
	}
	c := *m
	c.Program = p
	return &c, nil
}
