package runtime

import "math"

// Deterministic elementary functions.
//
// math.Exp and math.Log are assembly on amd64 and pure Go elsewhere, and the
// two do not always agree in the last bit; a consensus runtime cannot use
// them. These functions take a float32, compute in float64 using only
// + - * / (each product wrapped in float64(...) so the compiler cannot fuse it
// into an FMA), exact bit manipulation of the exponent, and finally round once
// to float32. IEEE 754 makes every one of those steps exactly specified, so
// the result is the same bits on every platform and in the CUDA backend,
// which must use the same polynomials in double precision with __dmul_rn and
// __dadd_rn. Accuracy is well within one float32 ulp (tested against math).

const (
	ln2Hi  = 6.93147180369123816490e-01 // high part of ln 2: trailing zero bits make k*ln2Hi exact
	ln2Lo  = 1.90821492927058770002e-10 // ln 2 - ln2Hi
	ln2    = 0.693147180559945309417232121458176568
	log2e  = 1.44269504088896340735992468100189214
	sqrt2  = 1.41421356237309504880168872420969808
	expMax = 200.0 // beyond this exp overflows float32 whatever the rounding
)

// exp64 returns e^x for x in [-expMax, expMax] (callers clamp).
// Range reduction x = k ln2 + r with |r| <= ln2/2, then the Taylor series of
// e^r to degree 13 (truncation error below 1e-17), then scaling by 2^k built
// from the exponent bits.
func exp64(x float64) float64 {
	k := roundHalfAway(float64(x * log2e))
	kf := float64(k)
	r := float64(x-float64(kf*ln2Hi)) - float64(kf*ln2Lo)
	p := 1.0 / 6227020800 // 1/13!
	p = float64(p*r) + 1.0/479001600
	p = float64(p*r) + 1.0/39916800
	p = float64(p*r) + 1.0/3628800
	p = float64(p*r) + 1.0/362880
	p = float64(p*r) + 1.0/40320
	p = float64(p*r) + 1.0/5040
	p = float64(p*r) + 1.0/720
	p = float64(p*r) + 1.0/120
	p = float64(p*r) + 1.0/24
	p = float64(p*r) + 1.0/6
	p = float64(p*r) + 0.5
	p = float64(p*r) + 1
	p = float64(p*r) + 1
	// |k| <= 289 here, so two factors of 2^(k/2) stay in the normal range.
	k1 := k / 2
	k2 := k - k1
	p = float64(p * math.Float64frombits(uint64(k1+1023)<<52))
	return float64(p * math.Float64frombits(uint64(k2+1023)<<52))
}

// roundHalfAway is t rounded to the nearest integer, halves away from
// zero: the range reductions' k.
// t + Copysign(0.5, t) is t + 0.5 or t − 0.5 exactly (x − y is defined as
// x + (−y)), without a branch that the sign of t would mispredict.
func roundHalfAway(t float64) int64 {
	return int64(t + math.Copysign(0.5, t))
}

// Exp returns e^x rounded to float32, identically on every platform.
func Exp(x float32) float32 {
	switch {
	case x != x:
		return x
	case x > expMax:
		return float32(math.Inf(1))
	case x < -expMax:
		return 0
	}
	return float32(exp64(float64(x)))
}

// log64 returns ln x for finite x > 0. x = m 2^e with m in [sqrt(1/2), sqrt 2);
// ln m = 2 atanh(s), s = (m-1)/(m+1), |s| <= 0.1716, summed to s^23
// (truncation error below 1e-17).
func log64(x float64) float64 {
	bits := math.Float64bits(x)
	e := int64(bits>>52&0x7ff) - 1023
	if e == -1023 { // subnormal float64: never reached from float32 inputs, kept for completeness
		x = float64(x * (1 << 54))
		bits = math.Float64bits(x)
		e = int64(bits>>52&0x7ff) - 1023 - 54
	}
	m := math.Float64frombits(bits&^(0x7ff<<52) | 1023<<52)
	if m > sqrt2 {
		m = float64(m * 0.5)
		e++
	}
	s := (m - 1) / (m + 1)
	s2 := float64(s * s)
	p := 1.0 / 23
	for d := 21.0; d >= 1; d -= 2 {
		p = float64(p*s2) + 1/d
	}
	lm := float64(float64(2*s) * p)
	return float64(float64(e)*ln2) + lm
}

// Log returns ln x rounded to float32: NaN for x < 0 or NaN, -Inf at 0.
func Log(x float32) float32 {
	switch {
	case x != x || x < 0:
		return float32(math.NaN())
	case x == 0:
		return float32(math.Inf(-1))
	case x > math.MaxFloat32:
		return x
	}
	return float32(log64(float64(x)))
}

// Tanh returns tanh x rounded to float32. For |x| < 2^-12 tanh x rounds to x;
// beyond 10 it rounds to ±1; between, tanh|x| = (e-1)/(e+1) with e = e^(2|x|)
// in float64, whose cancellation costs at most 13 of float64's 53 bits.
func Tanh(x float32) float32 {
	a := float64(x)
	neg := a < 0
	if neg {
		a = -a
	}
	var r float64
	switch {
	case x != x:
		return x
	case a < 1.0/4096:
		return x
	case a > 10:
		r = 1
	default:
		e := exp64(float64(2 * a)) // exact either way; wrapped like every product
		r = (e - 1) / (e + 1)
	}
	if neg {
		r = -r
	}
	return float32(r)
}

// Sigmoid returns 1/(1+e^-x) rounded to float32.
func Sigmoid(x float32) float32 {
	switch {
	case x != x:
		return x
	case x > expMax:
		return 1
	case x < -expMax:
		return 0
	}
	return float32(1 / (1 + exp64(-float64(x))))
}

// Sqrt returns the correctly rounded float32 square root. math.Sqrt is
// correctly rounded in IEEE 754 on every platform, and rounding a float64
// square root of a float32 to float32 equals the direct float32 square root.
func Sqrt(x float32) float32 { return float32(math.Sqrt(float64(x))) }
