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
