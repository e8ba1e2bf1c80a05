package llm

import "github.com/delphi-network/delphi/runtime"

// Rotary tables, computed the runtime's way: float64 with + - * / only
// (products wrapped so no FMA can form), the runtime's own exp and log, and
// one rounding to float32. math.Sin and math.Cos are pure Go, but the
// compiler may fuse their multiply-adds on some architectures, so they are
// not used.

const (
	pio2Hi = 1.57079632673412561417e+00 // first 33 bits of π/2: k·pio2Hi is exact for the k used here
	pio2Lo = 6.07710050650619224932e-11 // π/2 − pio2Hi
)

// sinCos returns sin x and cos x for 0 <= x < 2^20: x = k·π/2 + r with
// |r| <= π/4, then Taylor series of sin r and cos r to degree 21 and 20
// (truncation below 1e-19), then the quadrant.
func sinCos(x float64) (float64, float64) {
	k := int64(float64(x*(1/pio2Hi)) + 0.5)
	kf := float64(k)
	r := float64(x-float64(kf*pio2Hi)) - float64(kf*pio2Lo)
	r2 := float64(r * r)
	// sin r = r·(1 − r²/3! + r⁴/5! − …), cos r = 1 − r²/2! + r⁴/4! − …, Horner from the top.
	s, c := 0.0, 0.0
	for n := 10; n >= 1; n-- {
		s = 1 - float64(float64(s*r2)/float64((2*n)*(2*n+1)))
		c = 1 - float64(float64(c*r2)/float64((2*n-1)*(2*n)))
	}
	s = float64(s * r)
	switch k & 3 {
	case 0:
		return s, c
	case 1:
		return c, -s
	case 2:
		return -s, -c
	}
	return -c, s
}

// ropeTables returns cos and sin [positions, headDim/2]: for position p and
// pair i, angle p·θ^(−2i/headDim) / freqs[i] (freqs: Llama 3's divisors,
// none when empty).
func ropeTables(positions, headDim int, theta float32, freqs []float32) (cosT, sinT *runtime.Tensor) {
	half := headDim / 2
	cosT, sinT = runtime.NewTensor(positions, half), runtime.NewTensor(positions, half)
	lt := runtime.Log64(float64(theta))
	for i := 0; i < half; i++ {
		inv := runtime.Exp64(-float64(float64(float64(2*i)/float64(headDim)) * lt))
		if len(freqs) != 0 {
			inv = inv / float64(freqs[i])
		}
		for p := 0; p < positions; p++ {
			s, c := sinCos(float64(float64(p) * inv))
			cosT.F[p*half+i], sinT.F[p*half+i] = float32(c), float32(s)
		}
	}
	return cosT, sinT
}
