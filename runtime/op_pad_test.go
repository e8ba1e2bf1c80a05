package runtime

import (
	"strings"
	"testing"
)

func TestPadModes(t *testing.T) {
	x := mustT(t, []int{1, 3}, 1, 2, 3)
	pads := func(v ...int64) *Tensor { return int64T([]int{len(v)}, v...) }
	run := func(opset int64, mode string, ins ...*Tensor) (*Tensor, error) {
		n := node("Pad", map[string]Attr{"mode": str(mode)})
		n.Opset = opset
		return runOp(t, n, append([]*Tensor{x}, ins...), 1)
	}
	for _, c := range []struct {
		mode  string
		opset int64
		pads  *Tensor
		want  []float32
	}{
		{"constant", 13, pads(0, 2, 0, 1), []float32{0, 0, 1, 2, 3, 0}},
		{"edge", 13, pads(0, 2, 0, 1), []float32{1, 1, 1, 2, 3, 3}},
		{"reflect", 13, pads(0, 4, 0, 3), []float32{1, 2, 3, 2, 1, 2, 3, 2, 1, 2}}, // period 4 beyond the edge
		{"wrap", 19, pads(0, 2, 0, 2), []float32{2, 3, 1, 2, 3, 1, 2}},
		{"constant", 13, pads(0, -1, 0, 0), []float32{2, 3}}, // a negative pad crops
	} {
		y, err := run(c.opset, c.mode, c.pads)
		if err != nil {
			t.Fatalf("%s %v: %v", c.mode, c.pads.I, err)
		}
		checkEqual(t, c.mode, y, []int{1, len(c.want)}, c.want)
	}
	// constant_value and the axes input (opset 18), every one a graph
	// input: Specialize binds what Pad needs when it compiles.
	g := &Graph{Initializers: map[string]*Tensor{}, Opset: 18, Outputs: []string{"y"},
		Inputs: []ValueInfo{{Name: "x", DType: Float32, Shape: x.Shape}, {Name: "p", DType: Int64, Shape: []int{2}},
			{Name: "v", DType: Float32, Shape: []int{}}, {Name: "a", DType: Int64, Shape: []int{1}}},
		Nodes: []*Node{{Name: "pad", OpType: "Pad", Inputs: []string{"x", "p", "v", "a"}, Outputs: []string{"y"}, Opset: 18, Attrs: map[string]Attr{}}}}
	p, feed, err := Specialize(g, DefaultLimits(), []*Tensor{x, pads(1, 1), mustT(t, nil, 7), int64T([]int{1}, -1)})
	if err != nil {
		t.Fatal(err)
	}
	out, err := p.Run(feed, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "value and axes", out[0], []int{1, 5}, []float32{7, 1, 2, 3, 7})
	// Integer data keeps its type.
	b, _ := FromTyped(Int8, []int{2}, []int64{-5, 9})
	n := node("Pad", map[string]Attr{"mode": str("edge")})
	yi, err := runOp(t, n, []*Tensor{b, pads(1, 2)}, 1)
	wantTyped(t, "int8 edge", yi, err, Int8, -5, -5, 9, 9, 9)
	for name, c := range map[string]struct {
		opset int64
		mode  string
		ins   []*Tensor
	}{
		"pad count":   {13, "constant", []*Tensor{pads(1, 1)}},
		"wrap before": {13, "wrap", []*Tensor{pads(0, 1, 0, 1)}},
		"mode":        {13, "mirror", []*Tensor{pads(0, 1, 0, 1)}},
		"crop past 0": {13, "constant", []*Tensor{pads(0, -2, 0, -2)}},
		"value type":  {13, "constant", []*Tensor{pads(0, 1, 0, 1), int64T(nil, 1)}},
	} {
		if _, err := run(c.opset, c.mode, c.ins...); err == nil || !strings.Contains(err.Error(), "Pad") {
			t.Errorf("%s: %v, want a refusal naming Pad", name, err)
		}
	}
}
