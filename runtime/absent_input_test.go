package runtime

import (
	"strings"
	"testing"
)

// TestOmittedOptionalInput: Clip(x, "", max) runs with no lower bound;
// the referee sees two inputs (x from the item, max from the weights),
// nothing for the omitted one, and recomputes the leaf bit for bit from
// them. An operator that takes no omitted input is refused, naming it.
func TestOmittedOptionalInput(t *testing.T) {
	hi, _ := FromFloats(nil, []float32{0.5})
	g := &Graph{
		Initializers: map[string]*Tensor{"hi": hi},
		Opset:        13,
		Inputs:       []ValueInfo{{Name: "x", DType: Float32, Shape: []int{4}}},
		Nodes:        []*Node{{Name: "clip", OpType: "Clip", Inputs: []string{"x", "", "hi"}, Outputs: []string{"y"}, Opset: 13, Attrs: map[string]Attr{}}},
		Outputs:      []string{"y"},
	}
	p, err := Compile(g, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	x := mustT(t, []int{4}, -3, 0.25, 0.75, 9)
	out, err := p.Run([]*Tensor{x}, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "clip", out[0], []int{4}, []float32{-3, 0.25, 0.5, 0.5})
	n, srcs, err := p.LeafNode(0)
	if err != nil {
		t.Fatal(err)
	}
	if n.Name != "clip" || len(srcs) != 2 || srcs[0].Kind != FromItem || srcs[1].Kind != FromWeight || srcs[1].Name != "hi" {
		t.Fatalf("sources %+v", srcs)
	}
	re, err := p.Recompute(0, []*Tensor{x, hi})
	if err != nil {
		t.Fatal(err)
	}
	if OutputHash(re) != OutputHash(out[0]) {
		t.Fatal("the referee's recomputation differs from the run")
	}
	if _, err := p.Recompute(0, []*Tensor{x, nil, hi}); err == nil {
		t.Fatal("a recomputation with a slot for the omitted input was accepted")
	}
	g.Nodes[0] = &Node{Name: "add", OpType: "Sum", Inputs: []string{"x", "", "hi"}, Outputs: []string{"y"}, Opset: 13, Attrs: map[string]Attr{}}
	if _, err := Compile(g, DefaultLimits()); err == nil || !strings.Contains(err.Error(), "omitted input 1") {
		t.Fatalf("Sum with an omitted input: %v", err)
	}
}

// TestIfInlinesTheTakenBranch: an If whose condition is a graph input is
// refused by Compile and inlined by Specialize; the branch's own values are
// renamed, its references to the enclosing graph kept; a registered
// classifier may not hold control flow (its branch weights would be
// outside the weight tree).
func TestIfInlinesTheTakenBranch(t *testing.T) {
	k, _ := FromFloats(nil, []float32{10})
	branch := func(op string) *Subgraph {
		return &Subgraph{Initializers: map[string]*Tensor{"k": k}, Outputs: []string{"r"},
			Nodes: []*Node{{Name: "b", OpType: op, Inputs: []string{"x", "k"}, Outputs: []string{"r"}, Opset: 13, Attrs: map[string]Attr{}}}}
	}
	g := &Graph{Initializers: map[string]*Tensor{}, Opset: 13, Outputs: []string{"y"},
		Inputs: []ValueInfo{{Name: "x", DType: Float32, Shape: []int{2}}, {Name: "c", DType: Bool, Shape: []int{}}},
		Nodes: []*Node{{Name: "if", OpType: "If", Inputs: []string{"c"}, Outputs: []string{"y"}, Opset: 13,
			Attrs: map[string]Attr{"then_branch": {Kind: AttrGraph, G: branch("Add")}, "else_branch": {Kind: AttrGraph, G: branch("Mul")}}}}}
	if _, err := Compile(g, DefaultLimits()); err == nil || !strings.Contains(err.Error(), "condition must be known") {
		t.Fatalf("Compile with a runtime condition: %v", err)
	}
	x := mustT(t, []int{2}, 1, 2)
	for _, c := range []struct {
		cond bool
		want []float32
	}{{true, []float32{11, 12}}, {false, []float32{10, 20}}} {
		cond, _ := FromBools(nil, []bool{c.cond})
		p, feed, err := Specialize(g, DefaultLimits(), []*Tensor{x, cond})
		if err != nil {
			t.Fatal(err)
		}
		out, err := p.Run(feed, 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		checkEqual(t, "branch", out[0], []int{2}, c.want)
		if p.Initializer("y/k") == nil {
			t.Fatal("the branch's initializer is not renamed under the If's output")
		}
	}
	if _, err := compileModel(g, DefaultLimits()); err == nil || !strings.Contains(err.Error(), "control flow") {
		t.Fatalf("a classifier with If: %v", err)
	}
}
