package runtime

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/delphi-network/delphi/runtime/onnxpb"
)

// loopGraph is a Loop carrying y (y + x each iteration, x a graph input)
// and scanning y, stopping after trip iterations or when the iteration
// number reaches stop (cond_out = iter + 1 < stop).
func loopGraph(trip, stop int64, withTrip bool) *Graph {
	c := func(name string, t *Tensor) *Node {
		return &Node{Name: name, OpType: "Constant", Outputs: []string{name}, Opset: 13, Attrs: map[string]Attr{"value": {Kind: AttrTensor, T: t}}}
	}
	body := &Subgraph{
		Inputs:  []string{"i", "cond_in", "y_in"},
		Outputs: []string{"cond_out", "y_out", "scan"},
		Nodes: []*Node{
			c("one", &Tensor{DType: Int64, Shape: []int{}, I: []int64{1}}),
			c("stop", &Tensor{DType: Int64, Shape: []int{}, I: []int64{stop}}),
			{Name: "next", OpType: "Add", Inputs: []string{"i", "one"}, Outputs: []string{"next"}, Opset: 13, Attrs: map[string]Attr{}},
			{Name: "less", OpType: "Less", Inputs: []string{"next", "stop"}, Outputs: []string{"cond_out"}, Opset: 13, Attrs: map[string]Attr{}},
			{Name: "add", OpType: "Add", Inputs: []string{"y_in", "x"}, Outputs: []string{"y_out"}, Opset: 13, Attrs: map[string]Attr{}},
			{Name: "id", OpType: "Identity", Inputs: []string{"y_out"}, Outputs: []string{"scan"}, Opset: 13, Attrs: map[string]Attr{}},
		},
	}
	m := ""
	inits := map[string]*Tensor{"y0": {DType: Float32, Shape: []int{2}, F: []float32{0, 0}}}
	if withTrip {
		m = "M"
		inits["M"] = &Tensor{DType: Int64, Shape: []int{}, I: []int64{trip}}
	}
	inits["go"] = &Tensor{DType: Bool, Shape: []int{}, I: []int64{1}}
	return &Graph{Initializers: inits, Opset: 13, Outputs: []string{"y", "ys"},
		Inputs: []ValueInfo{{Name: "x", DType: Float32, Shape: []int{2}}},
		Nodes: []*Node{{Name: "loop", OpType: "Loop", Inputs: []string{m, "go", "y0"}, Outputs: []string{"y", "ys"}, Opset: 13,
			Attrs: map[string]Attr{"body": {Kind: AttrGraph, G: body}}}}}
}

// TestLoopUnrollsWhileCompiling: the trip count or the condition (folded
// from the iteration number) ends the loop; carried values flow from one
// iteration to the next; scan outputs stack along a new axis; a loop that
// never ends or runs too long is refused.
func TestLoopUnrollsWhileCompiling(t *testing.T) {
	x := mustT(t, []int{2}, 1, 10)
	for _, c := range []struct {
		name    string
		g       *Graph
		iters   int
		finalY  []float32
		scanned []float32
	}{
		{"trip count 3", loopGraph(3, 100, true), 3, []float32{3, 30}, []float32{1, 10, 2, 20, 3, 30}},
		{"condition stops at 2", loopGraph(100, 2, true), 2, []float32{2, 20}, []float32{1, 10, 2, 20}},
		{"condition alone", loopGraph(0, 4, false), 4, []float32{4, 40}, []float32{1, 10, 2, 20, 3, 30, 4, 40}},
	} {
		p, err := Compile(c.g, DefaultLimits())
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		out, err := p.Run([]*Tensor{x}, 2, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		checkEqual(t, c.name+" final", out[0], []int{2}, c.finalY)
		checkEqual(t, c.name+" scan", out[1], []int{c.iters, 2}, c.scanned)
	}
	if _, err := Compile(loopGraph(1000, 2000, true), DefaultLimits()); err == nil || !strings.Contains(err.Error(), "iterations") {
		t.Fatalf("a 1000-iteration loop: %v", err)
	}
	g := loopGraph(0, 0, false)
	g.Nodes[0].Inputs[1] = ""
	if _, err := Compile(g, DefaultLimits()); err == nil || !strings.Contains(err.Error(), "would not end") {
		t.Fatalf("a loop without count or condition: %v", err)
	}
	zero := loopGraph(0, 5, true)
	if _, err := Compile(zero, DefaultLimits()); err == nil || !strings.Contains(err.Error(), "no iteration") {
		t.Fatalf("a loop of zero iterations with scan outputs: %v", err)
	}
}

// TestLoopStateCannotBeForged: the unrolling state lives in attributes a
// file may not set, and an inconsistent one is refused, not a panic.
func TestLoopStateCannotBeForged(t *testing.T) {
	g := loopGraph(3, 100, true)
	g.Nodes[0].Attrs[loopIterAttr] = Attr{Kind: AttrInt, I: 2} // two iterations claimed, no scans recorded
	if _, err := Compile(g, DefaultLimits()); err == nil || !strings.Contains(err.Error(), "inconsistent") {
		t.Fatalf("a forged iteration count: %v", err)
	}
	m := tinyModel(13, "Relu")
	m.Graph.Node[2].Attribute = append(m.Graph.Node[2].Attribute, &onnxpb.AttributeProto{Name: "__delphi_iteration", Type: onnxpb.AttributeProto_INT, I: 1})
	b, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseONNX(b, DefaultLimits()); err == nil || !strings.Contains(err.Error(), "__delphi_") {
		t.Fatalf("a file setting __delphi_iteration: %v", err)
	}
}

// TestControlFlowReviewCases: the second review's reproductions. A
// generated name the graph already uses is refused (an outer initializer
// named "y/iter0/w" was silently replaced by the body's w, an outer
// "y/axis0" changed an Unsqueeze's shape); graph attributes belong only to
// If, Loop and Scan (a junk graph on an Identity was deep-copied every
// iteration); Loop(M, "") carrying nothing but scanning runs; a body weight
// counts once against MaxWeightElements however many iterations share it;
// Specialize binds an input behind a value an inlined branch computes.
func TestControlFlowReviewCases(t *testing.T) {
	g := loopGraph(2, 100, true)
	w := &Tensor{DType: Float32, Shape: []int{}, F: []float32{100}}
	g.Initializers["y/iter0/one"] = w
	if _, err := Compile(g, DefaultLimits()); err == nil || !strings.Contains(err.Error(), "reuse the name") {
		t.Fatalf("an outer value named like a generated one: %v", err)
	}
	g = loopGraph(2, 100, true)
	g.Initializers["y/axis0"] = &Tensor{DType: Int64, Shape: []int{1}, I: []int64{1}}
	if _, err := Compile(g, DefaultLimits()); err == nil || !strings.Contains(err.Error(), "reuse the name") {
		t.Fatalf("an outer y/axis0: %v", err)
	}
	m := tinyModel(13, "Relu")
	m.Graph.Node[2].Attribute = append(m.Graph.Node[2].Attribute, &onnxpb.AttributeProto{Name: "junk", Type: onnxpb.AttributeProto_GRAPH, G: &onnxpb.GraphProto{}})
	b, _ := proto.Marshal(m)
	if _, err := ParseONNX(b, DefaultLimits()); err == nil || !strings.Contains(err.Error(), "graph attributes belong") {
		t.Fatalf("a graph attribute on Relu: %v", err)
	}
	// Loop(M, "") with no carried values: the scan alone.
	scanOnly := &Subgraph{Inputs: []string{"i", "c"}, Outputs: []string{"c", "sq"},
		Nodes: []*Node{{Name: "sq", OpType: "Mul", Inputs: []string{"i", "i"}, Outputs: []string{"sq"}, Opset: 13, Attrs: map[string]Attr{}}}}
	sg := &Graph{Initializers: map[string]*Tensor{"M": {DType: Int64, Shape: []int{}, I: []int64{3}}}, Opset: 13, Outputs: []string{"ys"},
		Nodes: []*Node{{Name: "loop", OpType: "Loop", Inputs: []string{"M", ""}, Outputs: []string{"ys"}, Opset: 13,
			Attrs: map[string]Attr{"body": {Kind: AttrGraph, G: scanOnly}}}}}
	p, err := Compile(sg, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	out, err := p.Run(nil, 1, nil)
	wantTyped(t, "scan only", out[0], err, Int64, 0, 1, 4)
	// A body weight of 2^20 elements over 100 iterations counts once.
	heavy := &Tensor{DType: Float32, Shape: []int{1 << 20}, F: make([]float32, 1<<20)}
	body := &Subgraph{Inputs: []string{"i", "c", "v"}, Outputs: []string{"c", "v2"}, Initializers: map[string]*Tensor{"w": heavy},
		Nodes: []*Node{{Name: "add", OpType: "Add", Inputs: []string{"v", "w"}, Outputs: []string{"v2"}, Opset: 13, Attrs: map[string]Attr{}}}}
	wg := &Graph{Initializers: map[string]*Tensor{"M": {DType: Int64, Shape: []int{}, I: []int64{100}}}, Opset: 13, Outputs: []string{"v"},
		Inputs: []ValueInfo{{Name: "v0", DType: Float32, Shape: []int{1 << 20}}},
		Nodes: []*Node{{Name: "loop", OpType: "Loop", Inputs: []string{"M", "", "v0"}, Outputs: []string{"v"}, Opset: 13,
			Attrs: map[string]Attr{"body": {Kind: AttrGraph, G: body}}}}}
	if _, err := Compile(wg, DefaultLimits()); err != nil {
		t.Fatalf("a shared body weight counted per iteration: %v", err)
	}
}

// TestRestartsShareOneBudget: each unrolled iteration restarts Compile and
// folds every constant again; the restarts share one budget, so a heavy
// fold repeated per iteration is refused rather than run hundreds of times.
func TestRestartsShareOneBudget(t *testing.T) {
	g := loopGraph(100, 1000, true)
	a := &Tensor{DType: Float32, Shape: []int{64, 64}, F: make([]float32, 64*64)}
	g.Initializers["A"] = a
	g.Nodes = append([]*Node{{Name: "fold", OpType: "MatMul", Inputs: []string{"A", "A"}, Outputs: []string{"AA"}, Opset: 13, Attrs: map[string]Attr{}}}, g.Nodes...)
	lim := DefaultLimits()
	lim.MaxFoldedFLOPs = 50 * 2 * 64 * 64 * 64 // fifty folds of the MatMul
	if _, err := Compile(g, lim); err == nil || !strings.Contains(err.Error(), "constant folding exceeds") {
		t.Fatalf("100 restarts of a folded MatMul under a 50-fold budget: %v", err)
	}
	lim.MaxFoldedFLOPs = 0 // one item's FLOPs
	if _, err := Compile(g, lim); err != nil {
		t.Fatal(err)
	}
}
