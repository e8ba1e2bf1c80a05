package runtime

import (
	"strings"
	"testing"
)

func wantInts(t *testing.T, name string, got *Tensor, shape []int, want ...int64) {
	t.Helper()
	if got.DType != Int64 || !sameShape(got.Shape, shape) || len(got.I) != len(want) {
		t.Fatalf("%s: %s %v %v, want int64 %v %v", name, got.DType, got.Shape, got.I, shape, want)
	}
	for i := range want {
		if got.I[i] != want[i] {
			t.Fatalf("%s: %v, want %v", name, got.I, want)
		}
	}
}

// TestShapeSizeConstantOfShape: Shape (with opset 15's start/end, clamped),
// Size and ConstantOfShape give the values ONNX defines, as compile-time
// constants; malformed forms are refused.
func TestShapeSizeConstantOfShape(t *testing.T) {
	x := randT(3, 2, 3, 4)
	run := func(op string, opset int64, attrs map[string]Attr, in ...*Tensor) (*Tensor, error) {
		n := node(op, attrs)
		n.Opset = opset
		return runOp(t, n, in, 2)
	}
	y, err := run("Shape", 13, nil, x)
	if err != nil {
		t.Fatal(err)
	}
	wantInts(t, "shape", y, []int{3}, 2, 3, 4)
	for _, tc := range []struct {
		start, end int64
		want       []int64
	}{{1, 3, []int64{3, 4}}, {-1, 3, []int64{4}}, {-10, 10, []int64{2, 3, 4}}, {2, 1, []int64{}}} {
		y, err := run("Shape", 15, map[string]Attr{"start": intA(tc.start), "end": intA(tc.end)}, x)
		if err != nil {
			t.Fatal(err)
		}
		wantInts(t, "shape slice", y, []int{len(tc.want)}, tc.want...)
	}
	if _, err := run("Shape", 13, map[string]Attr{"start": intA(1)}, x); err == nil || !strings.Contains(err.Error(), "opset 15") {
		t.Fatalf("start before opset 15: %v", err)
	}
	y, err = run("Size", 13, nil, x)
	if err != nil {
		t.Fatal(err)
	}
	wantInts(t, "size", y, nil, 24)

	y, err = run("ConstantOfShape", 13, map[string]Attr{"value": {Kind: AttrTensor, T: int64T([]int{1}, 7)}}, int64T([]int{2}, 2, 2))
	if err != nil {
		t.Fatal(err)
	}
	wantInts(t, "constant of shape", y, []int{2, 2}, 7, 7, 7, 7)
	y, err = run("ConstantOfShape", 13, nil, int64T([]int{1}, 3))
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "zeros", y, []int{3}, []float32{0, 0, 0})
	for name, in := range map[string]*Tensor{"negative": int64T([]int{1}, -1), "2-D": int64T([]int{1, 1}, 2)} {
		if _, err := run("ConstantOfShape", 13, nil, in); err == nil {
			t.Fatalf("%s shape accepted", name)
		}
	}
	if _, err := run("ConstantOfShape", 13, nil, mustT(t, []int{1}, 2)); err == nil {
		t.Fatal("a float32 shape accepted")
	}
	if _, err := run("ConstantOfShape", 13, map[string]Attr{"value": {Kind: AttrTensor, T: int64T([]int{2}, 1, 2)}}, int64T([]int{1}, 3)); err == nil {
		t.Fatal("a two-element value accepted")
	}
}

// TestShapeFeedsReshape: Shape's output is a constant, so a Reshape whose
// target shape is computed from another tensor's shape compiles, runs, and
// its referee recomputation of the Shape leaf matches the run.
func TestShapeFeedsReshape(t *testing.T) {
	g := &Graph{Opset: 13, Initializers: map[string]*Tensor{"w": randT(5, 4, 6)},
		Inputs: []ValueInfo{{Name: "x", DType: Float32, Shape: []int{2, 12}}},
		Nodes: []*Node{
			{OpType: "Shape", Inputs: []string{"w"}, Outputs: []string{"s"}, Opset: 13, Attrs: map[string]Attr{}},
			{OpType: "Reshape", Inputs: []string{"x", "s"}, Outputs: []string{"y"}, Opset: 13, Attrs: map[string]Attr{}},
		},
		Outputs: []string{"y"}}
	p, err := Compile(g, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	x := randT(9, 2, 12)
	var leaves []*Tensor
	out, err := p.Run([]*Tensor{x}, 1, func(_ int, t *Tensor) { leaves = append(leaves, t) })
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "reshaped", out[0], []int{4, 6}, x.F)
	got, err := p.Recompute(0, []*Tensor{g.Initializers["w"]})
	if err != nil {
		t.Fatal(err)
	}
	if OutputHash(got) != OutputHash(leaves[0]) {
		t.Fatal("the referee's Shape differs from the run's")
	}
}

// TestShapeOfARuntimeValueIsFolded: Shape of a per-item value is still a
// compile-time constant: folded (not rerun, its leaf hash cached), so a
// referee step never has to carry and prove the large input it measures.
func TestShapeOfARuntimeValueIsFolded(t *testing.T) {
	g := &Graph{Opset: 13, Initializers: map[string]*Tensor{},
		Inputs: []ValueInfo{{Name: "x", DType: Float32, Shape: []int{2, 12}}},
		Nodes: []*Node{
			{OpType: "Relu", Inputs: []string{"x"}, Outputs: []string{"r"}, Opset: 13, Attrs: map[string]Attr{}},
			{OpType: "Shape", Inputs: []string{"r"}, Outputs: []string{"s"}, Opset: 13, Attrs: map[string]Attr{}},
			{OpType: "Reshape", Inputs: []string{"x", "s"}, Outputs: []string{"y"}, Opset: 13, Attrs: map[string]Attr{}},
		},
		Outputs: []string{"y"}}
	p, err := Compile(g, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if !p.Folded(1) {
		t.Fatal("Shape of a runtime value is not folded")
	}
	if _, ok := p.ConstLeafHash(1); !ok {
		t.Fatal("its leaf hash is not cached")
	}
	var leaves []Hash
	x := randT(3, 2, 12)
	if _, err := p.Run([]*Tensor{x}, 1, func(_ int, t *Tensor) { leaves = append(leaves, OutputHash(t)) }); err != nil {
		t.Fatal(err)
	}
	if h, _ := p.ConstLeafHash(1); h != leaves[1] {
		t.Fatal("the cached hash is not the traced one")
	}
}
