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
