package runtime

import (
	"math"
	"strings"
	"testing"
)

// TestDataDependentShapes: NonZero, Compress, Unique and NonMaxSuppression
// are computed while compiling from known inputs; a runtime input is
// refused with the reason (and Specialize binds it); sizes that would make
// compiling slow are refused.
func TestDataDependentShapes(t *testing.T) {
	x := mustT(t, []int{5}, 2, float32(math.NaN()), 0, 2, float32(math.NaN()))
	g := &Graph{Initializers: map[string]*Tensor{}, Opset: 11, Outputs: []string{"y", "i", "inv", "c"},
		Inputs: []ValueInfo{{Name: "x", DType: Float32, Shape: x.Shape}},
		Nodes:  []*Node{{Name: "u", OpType: "Unique", Inputs: []string{"x"}, Outputs: []string{"y", "i", "inv", "c"}, Opset: 11, Attrs: map[string]Attr{}}}}
	if _, err := Compile(g, DefaultLimits()); err == nil || !strings.Contains(err.Error(), "known when the node compiles") {
		t.Fatalf("Unique of a runtime input: %v", err)
	}
	p, feed, err := Specialize(g, DefaultLimits(), []*Tensor{x})
	if err != nil {
		t.Fatal(err)
	}
	out, err := p.Run(feed, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	// sorted, NaN last and equal to itself
	if len(out[0].F) != 3 || out[0].F[0] != 0 || out[0].F[1] != 2 || out[0].F[2] == out[0].F[2] {
		t.Fatalf("unique %v", out[0].F)
	}
	wantTyped(t, "first indices", out[1], nil, Int64, 2, 0, 1)
	wantTyped(t, "inverse", out[2], nil, Int64, 1, 2, 0, 1, 2)
	wantTyped(t, "counts", out[3], nil, Int64, 1, 2, 2)
	nz, err := runOp(t, node("NonZero", nil), []*Tensor{typed(t, Int32, 0, 3, 0, 5)}, 1)
	wantTyped(t, "nonzero", nz, err, Int64, 1, 3)
	big := &Tensor{DType: Int32, Shape: []int{maxDataDependent + 1}, I: make([]int64, maxDataDependent+1)}
	if _, err := runOp(t, node("NonZero", nil), []*Tensor{big}, 1); err == nil || !strings.Contains(err.Error(), "while compiling") {
		t.Fatalf("a NonZero too large to compute while compiling: %v", err)
	}
	boxes := &Tensor{DType: Float32, Shape: []int{1, 9000, 4}, F: make([]float32, 36000)}
	scores := &Tensor{DType: Float32, Shape: []int{1, 1, 9000}, F: make([]float32, 9000)}
	n := node("NonMaxSuppression", nil)
	n.Opset = 11
	g2 := &Graph{Initializers: map[string]*Tensor{"b": boxes, "s": scores}, Opset: 11, Outputs: []string{"y"}, Nodes: []*Node{n}}
	n.Inputs, n.Outputs = []string{"b", "s"}, []string{"y"}
	if _, err := Compile(g2, DefaultLimits()); err == nil || !strings.Contains(err.Error(), "too much work") {
		t.Fatalf("9000 boxes: %v", err)
	}
}

// TestCompileTimeWorkIsCharged: an operator computed while compiling
// charges its work to the compile's budget (MaxFoldedFLOPs, which a
// registered classifier sets to one referee step), so many cheap-looking
// NonMaxSuppression nodes cannot add up to minutes inside the referee's
// transaction; it used to charge nothing.
func TestCompileTimeWorkIsCharged(t *testing.T) {
	boxes := &Tensor{DType: Float32, Shape: []int{1, 2048, 4}, F: make([]float32, 2048*4)}
	scores := &Tensor{DType: Float32, Shape: []int{1, 1, 2048}, F: make([]float32, 2048)}
	g := &Graph{Initializers: map[string]*Tensor{"b": boxes, "s": scores}, Opset: 11, Outputs: []string{"y0"}}
	for i := 0; i < 4; i++ {
		n := node("NonMaxSuppression", nil)
		n.Opset, n.Inputs, n.Outputs = 11, []string{"b", "s"}, []string{"y" + string(rune('0'+i))}
		g.Nodes = append(g.Nodes, n)
	}
	lim := DefaultLimits()
	lim.MaxFoldedFLOPs = 10 << 20 // each node is 2^22 pairs: the third exceeds it
	if _, err := Compile(g, lim); err == nil || !strings.Contains(err.Error(), "constant folding exceeds") {
		t.Fatalf("four NMS nodes of 2^22 comparisons under a 10·2^20 budget: %v", err)
	}
	lim.MaxFoldedFLOPs = 1 << 30
	if _, err := Compile(g, lim); err != nil {
		t.Fatal(err)
	}
}
