package runtime

import (
	"fmt"
	"math"
)

// Pow of mixed and integer types (opset 12 on; two float32 operands are
// naryFixed(2, powOf) in op_nary.go). The output has the base's type:
//
//	float32 base: float32(pow64(x, y)) with the exponent's exact value
//	integer base, integer exponent: exact, by squaring, wrapping to the
//	  base's width at every product; a negative exponent gives 0 (1 for a
//	  base of 1, ±1 for −1) and fails the item's run for a base of 0
//	integer base, float32 exponent: pow64 in float64 (a result within
//	  2^-30 relative of an integer taken as that integer, so exact powers
//	  stay exact), truncated toward zero, saturated at int64 (uint64: its
//	  range), wrapped to the width

func buildPow(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 2, 2); err != nil {
		return nil, err
	}
	xt, yt := in[0].DType, in[1].DType
	if xt == Float32 && yt == Float32 {
		return naryFixed(2, powOf)(n, in)
	}
	if (xt != Float32 && !xt.integer()) || (yt != Float32 && !yt.integer()) {
		return nil, n.errorf("inputs are %s and %s: want numeric types", xt, yt)
	}
	if n.Opset < 12 {
		return nil, n.errorf("Pow of %s and %s needs opset 12 (opset %d)", xt, yt, n.Opset)
	}
	exp := func(t *Tensor, j int) float64 {
		switch {
		case t.DType == Float32:
			return float64(t.F[j])
		case t.DType == UInt64:
			return float64(uint64(t.I[j]))
		}
		return float64(t.I[j])
	}
	shapes := [][]int{in[0].Shape, in[1].Shape}
	if xt == Float32 {
		return broadcastStep(n, shapes, Float32, 1, func(t *Tensor, x []*Tensor, i int, off []int) {
			t.F[i] = float32(pow64(float64(x[0].F[off[0]]), exp(x[1], off[1])))
		})
	}
	// Up to 64 squarings and products per element (integer exponents), or
	// pow64 (float ones).
	return broadcastStep(n, shapes, xt, 32, func(t *Tensor, x []*Tensor, i int, off []int) {
		b := x[0].I[off[0]]
		if yt == Float32 {
			bf := float64(b)
			if xt == UInt64 {
				bf = float64(uint64(b))
			}
			r := pow64(bf, float64(x[1].F[off[1]]))
			// pow64 is within a few float64 ulps of the exact power: an
			// exact integer power (9^0.5) must not truncate to one less.
			if near := math.Round(r); math.Abs(r-near) <= math.Abs(near)*0x1p-30 {
				r = near
			}
			t.I[i] = float64ToInteger(xt, r)
			return
		}
		e := x[1].I[off[1]]
		t.I[i] = intPow(xt, b, e, yt.unsigned())
	})
}

// intPow is b^e in type dt (two's-complement products, wrapped).
func intPow(dt DType, b, e int64, unsignedExp bool) int64 {
	if e < 0 && !unsignedExp {
		switch {
		case b == 1:
			return 1
		case b == -1 && !dt.unsigned():
			if e%2 == 0 {
				return 1
			}
			return dt.wrap(-1)
		case b == 0:
			panic(fmt.Sprintf("0 to the negative power %d", e))
		}
		return 0
	}
	r := int64(1)
	for u := uint64(e); u > 0; u >>= 1 {
		if u&1 == 1 {
			r = dt.wrap(r * b)
		}
		b = dt.wrap(b * b)
	}
	return r
}

// float64ToInteger truncates v toward zero into an integer type: NaN is 0,
// beyond int64 saturates (uint64: beyond its own range), then the width's
// low bits.
func float64ToInteger(dt DType, v float64) int64 {
	switch {
	case v != v:
		return 0
	case dt == UInt64 && v >= 1<<63:
		if v >= 1<<64 {
			return -1
		}
		return int64(uint64(v))
	case v >= math.MaxInt64:
		return dt.wrap(math.MaxInt64)
	case v <= math.MinInt64:
		return dt.wrap(math.MinInt64)
	}
	return dt.wrap(int64(v))
}
