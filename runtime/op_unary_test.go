package runtime

import (
	"math"
	"testing"
)

// TestUnaryFamily: each element-wise unary operator against its definition
// in float64 over a sweep (exact ones bit for bit, transcendental ones
// within a few float32 ulps), the edge cases ONNX names (signed zeros,
// NaN, ties to even), the attributes, and 1 and 3 workers bit-equal.
func TestUnaryFamily(t *testing.T) {
	var xs []float32
	for i := -4000; i <= 4000; i++ {
		xs = append(xs, float32(i)/400)
	}
	nan := float32(math.NaN())
	xs = append(xs, 0, float32(math.Copysign(0, -1)), 2.5, -2.5, 0.5, 1.5, 30, -30, nan)
	x := mustT(t, []int{len(xs)}, xs...)
	e := func(v float32) float64 { return math.Exp(float64(v)) }
	sp := func(v float32) float64 { return math.Log1p(math.Exp(float64(v))) }
	cases := []struct {
		op    string
		attrs map[string]Attr
		ref   func(float32) float64
		tol   float64 // relative, beyond an absolute 1e-7
	}{
		{"Neg", nil, func(v float32) float64 { return -float64(v) }, 0},
		{"Abs", nil, func(v float32) float64 { return math.Abs(float64(v)) }, 0},
		{"Floor", nil, func(v float32) float64 { return math.Floor(float64(v)) }, 0},
		{"Ceil", nil, func(v float32) float64 { return math.Ceil(float64(v)) }, 0},
		{"Round", nil, func(v float32) float64 { return math.RoundToEven(float64(v)) }, 0},
		{"Reciprocal", nil, func(v float32) float64 { return float64(float32(1 / float64(v))) }, 0},
		{"Sqrt", nil, func(v float32) float64 { return math.Sqrt(float64(v)) }, 1e-7},
		{"Exp", nil, e, 1e-6},
		{"Softplus", nil, sp, 1e-6},
		{"Softsign", nil, func(v float32) float64 { return float64(v) / (1 + math.Abs(float64(v))) }, 1e-6},
		{"LeakyRelu", map[string]Attr{"alpha": {Kind: AttrFloat, F: 0.1}}, func(v float32) float64 { return map[bool]float64{true: 0.1 * float64(v), false: float64(v)}[v < 0] }, 1e-6},
		{"ThresholdedRelu", map[string]Attr{"alpha": {Kind: AttrFloat, F: 2}}, func(v float32) float64 {
			if v > 2 {
				return float64(v)
			}
			return 0
		}, 0},
		{"Elu", nil, func(v float32) float64 { return map[bool]float64{true: e(v) - 1, false: float64(v)}[v < 0] }, 1e-5},
		{"Selu", nil, func(v float32) float64 {
			a, g := 1.67326319217681884765625, 1.05070102214813232421875
			if v <= 0 {
				return g * (a*e(v) - a)
			}
			return g * float64(v)
		}, 1e-5},
		{"Celu", map[string]Attr{"alpha": {Kind: AttrFloat, F: 2}}, func(v float32) float64 {
			return math.Max(0, float64(v)) + math.Min(0, 2*(math.Exp(float64(v)/2)-1))
		}, 1e-5},
		{"HardSigmoid", nil, func(v float32) float64 { return math.Max(0, math.Min(1, 0.2*float64(v)+0.5)) }, 1e-6},
		{"HardSwish", nil, func(v float32) float64 { return float64(v) * math.Max(0, math.Min(1, float64(v)/6+0.5)) }, 1e-6},
		{"Mish", nil, func(v float32) float64 { return float64(v) * math.Tanh(sp(v)) }, 1e-5},
	}
	for _, tc := range cases {
		n := node(tc.op, tc.attrs)
		y1, err := runOp(t, n, []*Tensor{x}, 1)
		if err != nil {
			t.Fatalf("%s: %v", tc.op, err)
		}
		y3, err := runOp(t, node(tc.op, tc.attrs), []*Tensor{x}, 3)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range xs {
			got := y1.F[i]
			if math.Float32bits(got) != math.Float32bits(y3.F[i]) {
				t.Fatalf("%s(%v): 1 and 3 workers differ", tc.op, v)
			}
			want := tc.ref(v)
			if math.IsNaN(want) || math.IsNaN(float64(got)) {
				if math.IsNaN(want) != math.IsNaN(float64(got)) {
					t.Fatalf("%s(%v) = %v, want %v", tc.op, v, got, want)
				}
				continue
			}
			if tc.tol == 0 && float64(got) != float64(float32(want)) {
				t.Fatalf("%s(%v) = %v, want exactly %v", tc.op, v, got, float32(want))
			}
			if d := math.Abs(float64(got) - want); d > 1e-7+tc.tol*math.Abs(want) {
				t.Fatalf("%s(%v) = %v, want %v (off by %g)", tc.op, v, got, want, d)
			}
		}
	}
	// Signs of zero and NaN where ONNX fixes them.
	z := mustT(t, []int{4}, float32(math.Copysign(0, -1)), 0, nan, -3)
	for op, want := range map[string][]uint32{
		"Abs":  {0, 0, math.Float32bits(nan), math.Float32bits(3)},
		"Sign": {0, 0, math.Float32bits(nan), math.Float32bits(-1)},
		"Neg":  {0, 1 << 31, math.Float32bits(nan) ^ 1<<31, math.Float32bits(3)},
	} {
		y, err := runOp(t, node(op, nil), []*Tensor{z}, 1)
		if err != nil {
			t.Fatal(err)
		}
		for i, w := range want {
			if got := math.Float32bits(y.F[i]); got != w && !(math.IsNaN(float64(y.F[i])) && i == 2) {
				t.Fatalf("%s element %d: %08x, want %08x", op, i, got, w)
			}
		}
	}
	if _, err := runOp(t, node("LeakyRelu", map[string]Attr{"alpha": ints(1)}), []*Tensor{x}, 1); err == nil {
		t.Fatal("an ints alpha accepted")
	}
	if _, err := runOp(t, node("Exp", nil), []*Tensor{int64T([]int{1}, 3)}, 1); err == nil {
		t.Fatal("Exp of int64 accepted")
	}
}
