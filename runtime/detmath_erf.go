package runtime

import "math"

// erf and GELU under the same contract as detmath.go: float64 with + - * /
// only, every product wrapped, one rounding to float32 at the end.

const (
	twoOverSqrtPi = 1.12837916709551257389615890312154517 // 2/√π
	invSqrt2      = 0.707106781186547524400844362104849039
	sqrt2OverPi   = 0.797884560802865355879892119868763737 // √(2/π)
	// erfTerms is the fixed length of erf's Maclaurin series: at |x| = 4 the
	// 75th term is below 1e-18, and the largest term (about 1e5 at n = 16)
	// costs at most 1e-11 of the float64 sum to cancellation.
	erfTerms = 75
	// Beyond erfCut, 1 - erf(x) < 1.6e-8 is under half a float32 ulp of 1.
	erfCut = 4.0
)

// erf64 returns erf(x) for |x| < erfCut: (2/√π) Σ (-1)^n x^(2n+1) / (n! (2n+1)),
// summed in ascending n with t_n = t_(n-1) · (−x²) / n.
func erf64(x float64) float64 {
	mx2 := -float64(x * x)
	t := x
	s := x
	for n := 1; n <= erfTerms; n++ {
		t = float64(t*mx2) / float64(n)
		s = s + t/float64(2*n+1)
	}
	return float64(s * twoOverSqrtPi)
}

// erfClamped is erf64 with the tails: ±1 beyond erfCut, NaN for NaN.
func erfClamped(x float64) float64 {
	switch {
	case x != x:
		return x
	case x >= erfCut:
		return 1
	case x <= -erfCut:
		return -1
	}
	return erf64(x)
}

// Erf returns erf x rounded to float32, identically on every platform.
func Erf(x float32) float32 { return float32(erfClamped(float64(x))) }

// Gelu returns x·Φ(x) = 0.5·x·(1 + erf(x/√2)) rounded to float32 (ONNX
// Gelu, approximate = "none").
func Gelu(x float32) float32 {
	a := float64(x)
	if math.IsInf(a, 0) {
		if a > 0 {
			return x
		}
		return 0
	}
	e := erfClamped(float64(a * invSqrt2))
	return float32(float64(float64(0.5*a) * (1 + e)))
}

// GeluTanh returns 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) rounded to
// float32 (ONNX Gelu, approximate = "tanh"); tanh as in Tanh, in float64.
func GeluTanh(x float32) float32 {
	a := float64(x)
	if x != x {
		return x
	}
	if math.IsInf(a, 0) || a > 20 || a < -20 {
		// tanh saturates to ±1 long before; 0.5·x·(1±1) is x or 0 (−0 kept as 0).
		if a > 0 {
			return x
		}
		return 0
	}
	cube := float64(float64(a*a) * a)
	u := float64(sqrt2OverPi * (a + float64(0.044715*cube)))
	neg := u < 0
	if neg {
		u = -u
	}
	var th float64
	switch {
	case u < 1.0/(1<<26):
		th = u
	case u > 20:
		th = 1
	default:
		e := exp64(float64(2 * u))
		th = (e - 1) / (e + 1)
	}
	if neg {
		th = -th
	}
	return float32(float64(float64(0.5*a) * (1 + th)))
}
