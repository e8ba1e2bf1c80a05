package runtime

import (
	"math"
	"testing"
)

func bools(t *testing.T, shape []int, v ...bool) *Tensor {
	t.Helper()
	x, err := FromBools(shape, v)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// TestNaryAndLogic: variadic Max/Min/Sum/Mean with broadcasting and NaN,
// Pow against math.Pow with its exact and signed cases, PRelu, Clip in both
// opset forms, And/Or/Xor, Dropout at inference.
func TestNaryAndLogic(t *testing.T) {
	nan := float32(math.NaN())
	a := mustT(t, []int{2, 3}, 1, -2, 3, nan, 5, -6)
	b := mustT(t, []int{3}, 0, 0, 10)
	c := mustT(t, []int{1}, 2)
	run := func(op string, opset int64, attrs map[string]Attr, in ...*Tensor) *Tensor {
		t.Helper()
		n := node(op, attrs)
		n.Opset = opset
		y, err := runOp(t, n, in, 2)
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		return y
	}
	same := func(name string, got *Tensor, want ...float32) {
		t.Helper()
		for i, w := range want {
			g := got.F[i]
			if (w != w) != (g != g) || (w == w && g != w) {
				t.Fatalf("%s: %v, want %v", name, got.F, want)
			}
		}
	}
	same("max", run("Max", 13, nil, a, b, c), 2, 2, 10, nan, 5, 10)
	same("min", run("Min", 13, nil, a, b, c), 0, -2, 2, nan, 0, -6)
	same("sum", run("Sum", 13, nil, a, b, c), 3, 0, 15, nan, 7, 6)
	same("mean", run("Mean", 13, nil, a, b, c), 1, 0, 5, nan, float32(7)/3, 2)
	same("max of one", run("Max", 13, nil, b), 0, 0, 10)

	// Pow: exact integer powers, the sign of odd powers of negatives, NaN for
	// a negative base with a fractional exponent, and math.Pow within an ulp.
	x := mustT(t, []int{8}, 2, -2, -2, 0, 0, 9, 1.5, -8)
	y := mustT(t, []int{8}, 10, 3, 0.5, 0, -1, 0.5, 2.5, 1.0/3)
	same("pow", run("Pow", 13, nil, x, y), 1024, -8, nan, 1, float32(math.Inf(1)), 3, float32(math.Pow(1.5, 2.5)), nan)
	for i := 1; i < 2000; i++ {
		base, e := float32(i)/97, float32(i%41-20)/7
		got := powOf(base, e)
		want := math.Pow(float64(base), float64(e))
		if math.Abs(float64(got)-want) > 2e-7*math.Abs(want)+1e-37 {
			t.Fatalf("pow(%v, %v) = %v, want %v", base, e, got, want)
		}
	}
	same("prelu", run("PRelu", 13, nil, mustT(t, []int{2, 2}, -1, 2, -3, 4), mustT(t, []int{2}, 0.5, 0.25)), -0.5, 2, -1.5, 4)

	// Clip: attributes before 11, optional constant inputs from 11.
	v := mustT(t, []int{4}, -5, 0.5, 7, nan)
	same("clip 6", run("Clip", 6, map[string]Attr{"min": {Kind: AttrFloat, F: 0}, "max": {Kind: AttrFloat, F: 1}}, v), 0, 0.5, 1, nan)
	same("clip 13", run("Clip", 13, nil, v, mustT(t, nil, -1), mustT(t, nil, 2)), -1, 0.5, 2, nan)
	same("clip 13 low only", run("Clip", 13, nil, v, mustT(t, nil, 0)), 0, 0.5, 7, nan)

	p, q := bools(t, []int{4}, true, true, false, false), bools(t, []int{4}, true, false, true, false)
	for op, want := range map[string][]int64{"And": {1, 0, 0, 0}, "Or": {1, 1, 1, 0}, "Xor": {0, 1, 1, 0}} {
		n := node(op, nil)
		g := &Graph{Opset: 13, Initializers: map[string]*Tensor{},
			Inputs: []ValueInfo{{Name: "p", DType: Bool, Shape: []int{4}}, {Name: "q", DType: Bool, Shape: []int{4}}},
			Nodes:  []*Node{{OpType: op, Inputs: []string{"p", "q"}, Outputs: []string{"y"}, Opset: 13, Attrs: n.Attrs}}, Outputs: []string{"y"}}
		prog, err := Compile(g, DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		out, err := prog.Run([]*Tensor{p, q}, 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i, w := range want {
			if out[0].DType != Bool || out[0].I[i] != w {
				t.Fatalf("%s: %v, want %v", op, out[0].I, want)
			}
		}
	}
	if _, err := runOp(t, node("And", nil), []*Tensor{a, a}, 1); err == nil {
		t.Fatal("And of floats accepted")
	}

	// Dropout at inference: the input, and an all-true mask.
	d := node("Dropout", nil, "y", "mask")
	d.Opset = 13
	y1, err := runOp(t, d, []*Tensor{a}, 1)
	if err != nil || OutputHash(y1) != OutputHash(a) {
		t.Fatalf("dropout: %v", err)
	}
	dg := &Graph{Opset: 13, Initializers: map[string]*Tensor{}, Inputs: []ValueInfo{{Name: "x", DType: Float32, Shape: []int{2, 3}}},
		Nodes: []*Node{{OpType: "Dropout", Inputs: []string{"x"}, Outputs: []string{"y", "mask"}, Opset: 13, Attrs: map[string]Attr{}}}, Outputs: []string{"y", "mask"}}
	dp, err := Compile(dg, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	douts, err := dp.Run([]*Tensor{a}, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if douts[1].DType != Bool || len(douts[1].I) != 6 {
		t.Fatalf("mask: %v", douts[1])
	}
	for _, m := range douts[1].I {
		if m != 1 {
			t.Fatalf("mask at inference is not all true: %v", douts[1].I)
		}
	}
	train := node("Dropout", nil)
	train.Opset = 13
	if _, err := runOp(t, train, []*Tensor{a, mustT(t, nil, 0.5), bools(t, nil, true)}, 1); err == nil {
		t.Fatal("training mode accepted")
	}
}
