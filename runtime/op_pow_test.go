package runtime

import (
	"strings"
	"testing"
)

func TestPowIntegerTypes(t *testing.T) {
	i32 := func(v ...int64) *Tensor { return typed(t, Int32, v...) }
	y, err := runGraphOp(t, "Pow", 15, nil, i32(3, -2, 2, -1, 1, 7), i32(4, 3, 31, -3, -5, -1))
	// 3^4, (−2)^3, 2^31 wraps to int32's minimum, (−1)^−3, 1^−5, 7^−1 truncates to 0
	wantTyped(t, "int32^int32", y, err, Int32, 81, -8, -1<<31, -1, 1, 0)
	y, err = runGraphOp(t, "Pow", 15, nil, i32(2, 9), mustT(t, []int{2}, 0.5, 0.5))
	wantTyped(t, "int32^float", y, err, Int32, 1, 3) // √2 truncates
	f, err := runGraphOp(t, "Pow", 15, nil, mustT(t, []int{2}, -2, 2), typed(t, Int64, 1<<24+1, 3))
	if err != nil || f.F[1] != 8 || f.F[0] != float32(negInf()) {
		t.Fatalf("float^int64: %v %v (an odd exponent beyond 2^24 keeps the sign)", f, err)
	}
	if _, err := runGraphOp(t, "Pow", 15, nil, i32(0), i32(-1)); err == nil || !strings.Contains(err.Error(), "negative power") {
		t.Fatalf("0^-1: %v", err)
	}
	if _, err := runGraphOp(t, "Pow", 11, nil, i32(2), i32(2)); err == nil || !strings.Contains(err.Error(), "opset 12") {
		t.Fatalf("integer Pow at opset 11: %v", err)
	}
}

func negInf() float64 { return -1 / zero() }

func zero() float64 { return 0 }
