package runtime

import (
	"math"
	"strings"
	"testing"
)

func f64T(t *testing.T, shape []int, v ...float64) *Tensor {
	t.Helper()
	x, err := FromFloat64s(shape, v)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// TestFloat64Tensors: float64 travels through data movement as bits,
// computes exactly in Cast, Max, Min, Mod, CumSum and ReduceLogSumExp,
// encodes canonically, and is refused by operators that would compute
// with it in float32.
func TestFloat64Tensors(t *testing.T) {
	nan := math.NaN()
	x := f64T(t, []int{2, 2}, 1.0000000001, -2.5, nan, 1e300)
	y, err := runGraphOp(t, "Transpose", 13, nil, x)
	if err != nil || y.DType != Float64 || f64(y, 1) != f64(x, 2) && f64(y, 1) == f64(y, 1) || f64(y, 2) != -2.5 {
		t.Fatalf("Transpose of float64: %v %v", y, err)
	}
	f, err := runGraphOp(t, "Cast", 13, map[string]Attr{"to": intA(int64(Float32))}, x)
	if err != nil || f.F[0] != 1 || f.F[1] != -2.5 || f.F[2] == f.F[2] || !math.IsInf(float64(f.F[3]), 1) {
		t.Fatalf("float64 -> float32: %v %v", f, err)
	}
	m, err := runGraphOp(t, "Max", 13, nil, x, f64T(t, []int{2}, 0, 7))
	if err != nil || f64(m, 0) != 1.0000000001 || f64(m, 1) != 7 || f64(m, 2) == f64(m, 2) || f64(m, 3) != 1e300 {
		t.Fatalf("Max of float64: %v %v", m.Float64s(), err)
	}
	c, err := runGraphOp(t, "CumSum", 14, map[string]Attr{"exclusive": intA(1), "reverse": intA(1)}, f64T(t, []int{3}, 1, 2, 4), int64T([]int{1}, 0))
	if err == nil {
		t.Fatal("CumSum with its axis as a runtime input compiled")
	}
	n := node("CumSum", map[string]Attr{"exclusive": intA(1), "reverse": intA(1)})
	n.Opset = 14
	c, err = runOp(t, n, []*Tensor{f64T(t, []int{3}, 1, 2, 4), int64T(nil, 0)}, 1)
	if err != nil || c.Float64s()[0] != 6 || c.Float64s()[1] != 4 || c.Float64s()[2] != 0 {
		t.Fatalf("CumSum exclusive reverse: %v %v", c, err)
	}
	ci, err := runOp(t, node("CumSum", nil), []*Tensor{typedOf(t, Int8, 100, 100, 100), int64T(nil, 0)}, 1)
	wantTyped(t, "int8 cumsum wraps", ci, err, Int8, 100, -56, 44)
	l, err := runGraphOp(t, "ReduceLogSumExp", 13, map[string]Attr{"keepdims": intA(0)}, f64T(t, []int{2}, 1000, 1000))
	if err != nil || math.Abs(l.Float64s()[0]-(1000+math.Ln2)) > 1e-12 {
		t.Fatalf("LogSumExp of float64: %v %v", l, err)
	}
	if b := x.Bytes(); len(b) != 32 || b[16] != 0 || b[22] != 0xf8 || b[23] != 0x7f {
		t.Fatalf("float64 NaN not canonical: % x", b[16:24])
	}
	if _, err := runGraphOp(t, "Add", 14, nil, x, x); err == nil || !strings.Contains(err.Error(), "float64") {
		t.Fatalf("Add of float64: %v, want a refusal naming the type", err)
	}
	// float64 -> float16 rounds once (through float32 rounded to odd):
	// 1 + 2^-11 + 2^-40 is just above the tie between 1 and 1 + 2^-10.
	h, err := runGraphOp(t, "Cast", 13, map[string]Attr{"to": intA(int64(Float16))}, f64T(t, []int{1}, 1+math.Ldexp(1, -11)+math.Ldexp(1, -40)))
	if err != nil || h.F[0] != 1+1.0/1024 {
		t.Fatalf("float64 -> float16: %v %v, want 1 + 2^-10", h, err)
	}
	// Correct rounding of float64 to float16 on values near 1: nearer than
	// either neighbour, the even one on a tie.
	s := uint64(3)
	for i := 0; i < 50000; i++ {
		s = s*6364136223846793005 + 1442695040888963407
		v := math.Float64frombits(s>>12 | 0x3ff0000000000000) // [1, 2)
		hb := f32ToF16(f64ToF32Odd(v))
		got := float64(f16ToF32(hb))
		for _, nb := range []uint16{hb - 1, hb + 1} {
			o := float64(f16ToF32(nb))
			if dg, do := math.Abs(got-v), math.Abs(o-v); do < dg || (do == dg && hb&1 == 1) {
				t.Fatalf("%v -> %v, but %v is nearer or the even tie", v, got, o)
			}
		}
	}
}

func typedOf(t *testing.T, dt DType, v ...int64) *Tensor { return typed(t, dt, v...) }
