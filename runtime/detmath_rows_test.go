package runtime

import (
	"math"
	"testing"
)

// TestRowFunctionsMatchScalarBits: ExpRow and SigmoidRow give Exp's and
// Sigmoid's bits for every 1009th float32 bit pattern (both signs, NaNs,
// infinities, subnormals, the expMax boundary), in groups that mix
// in-range and special values and with ragged tails.
func TestRowFunctionsMatchScalarBits(t *testing.T) {
	var xs []float32
	for b := uint64(0); b < 1<<32; b += 1009 {
		xs = append(xs, math.Float32frombits(uint32(b)))
	}
	edge := []float32{expMax, -expMax, math.Nextafter32(expMax, 300), math.Nextafter32(-expMax, -300),
		math.Nextafter32(expMax, 0), math.Nextafter32(-expMax, 0), 0, float32(math.Copysign(0, -1)),
		float32(math.Inf(1)), float32(math.Inf(-1)), math.Float32frombits(0x7fc0_0001), 88.72, -103.9, 1e-45}
	xs = append(edge, xs...)
	for _, sub := range []float32{0, 3.5, -80, float32(math.Inf(-1))} {
		for _, n := range []int{len(xs), 7, 3} {
			dst := make([]float32, n)
			ExpRow(dst, xs, sub)
			for j, v := range dst {
				if want := Exp(xs[j] - sub); math.Float32bits(v) != math.Float32bits(want) {
					t.Fatalf("ExpRow(%v − %v) = %08x, Exp gives %08x", xs[j], sub, math.Float32bits(v), math.Float32bits(want))
				}
			}
		}
	}
	dst := make([]float32, len(xs))
	SigmoidRow(dst, xs)
	for j, v := range dst {
		if want := Sigmoid(xs[j]); math.Float32bits(v) != math.Float32bits(want) {
			t.Fatalf("SigmoidRow(%v) = %08x, Sigmoid gives %08x", xs[j], math.Float32bits(v), math.Float32bits(want))
		}
	}
}
