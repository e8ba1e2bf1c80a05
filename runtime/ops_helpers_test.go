package runtime

import (
	"math"
	"testing"
)

// runOp compiles a one-node graph whose float32 inputs are runtime graph
// inputs (so the kernel really runs per item, with the given worker count,
// rather than being folded at compile time) and whose int64 inputs are
// initializers, runs it and returns its output.
func runOp(t *testing.T, n *Node, inputs []*Tensor, workers int) (*Tensor, error) {
	t.Helper()
	g := &Graph{Initializers: map[string]*Tensor{}, Opset: n.Opset}
	if g.Opset == 0 {
		n.Opset = 13
		g.Opset = 13
	}
	n.Inputs = nil
	var feed []*Tensor
	for i, x := range inputs {
		name := string(rune('a' + i))
		n.Inputs = append(n.Inputs, name)
		if x.DType != Float32 {
			g.Initializers[name] = x
			continue
		}
		g.Inputs = append(g.Inputs, ValueInfo{Name: name, DType: Float32, Shape: x.Shape})
		feed = append(feed, x)
	}
	if n.Outputs == nil {
		n.Outputs = []string{"y"}
	}
	g.Nodes = []*Node{n}
	g.Outputs = n.Outputs[:1]
	p, err := Compile(g, DefaultLimits())
	if err != nil {
		return nil, err
	}
	out, err := p.Run(feed, workers, nil)
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// leafInputs gathers what LeafNode says leaf l reads, from a traced run's
// outputs, the weights or the item, and checks it reads no later leaf.
func leafInputs(t *testing.T, p *Program, l int, weights map[string]*Tensor, item *Tensor, outs []*Tensor) (*Node, []*Tensor) {
	t.Helper()
	node, srcs, err := p.LeafNode(l)
	if err != nil {
		t.Fatal(err)
	}
	var ins []*Tensor
	for _, s := range srcs {
		switch s.Kind {
		case FromLeaf:
			if s.Leaf >= l {
				t.Fatalf("leaf %d depends on a later leaf %d", l, s.Leaf)
			}
			ins = append(ins, outs[s.Leaf])
		case FromWeight:
			ins = append(ins, weights[s.Name])
		case FromItem:
			ins = append(ins, item)
		}
	}
	return node, ins
}

func mustT(t *testing.T, shape []int, data ...float32) *Tensor {
	t.Helper()
	x, err := FromFloats(shape, data)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// lcg is a reproducible generator for test data (no math/rand).
type lcg uint64

func (s *lcg) float() float32 {
	*s = *s*6364136223846793005 + 1442695040888963407
	return float32(int64(uint64(*s)>>40)-(1<<23)) / (1 << 23)
}

func randT(seed uint64, shape ...int) *Tensor {
	s := lcg(seed)
	x := NewTensor(shape...)
	for i := range x.F {
		x.F[i] = s.float()
	}
	return x
}

func near(a, b float64, tol float64) bool {
	return math.Abs(a-b) <= tol*(1+math.Abs(b))
}

func ints(v ...int64) Attr { return Attr{Kind: AttrInts, Ints: v} }
func intA(v int64) Attr    { return Attr{Kind: AttrInt, I: v} }
func str(v string) Attr    { return Attr{Kind: AttrString, S: v} }

func checkEqual(t *testing.T, name string, got *Tensor, shape []int, want []float32) {
	t.Helper()
	if !sameShape(got.Shape, shape) {
		t.Fatalf("%s: shape %v, want %v", name, got.Shape, shape)
	}
	for i := range want {
		if got.F[i] != want[i] {
			t.Fatalf("%s: element %d = %v, want %v (all %v)", name, i, got.F[i], want[i], got.F)
		}
	}
}

func TestParallelForRepanicsInCaller(t *testing.T) {
	defer func() {
		if r := recover(); r != "boom" {
			t.Fatalf("recovered %v, want boom", r)
		}
	}()
	parallelFor(4, 1<<16, 1, func(lo, hi int) {
		if lo > 0 {
			panic("boom")
		}
	})
	t.Fatal("no panic")
}
