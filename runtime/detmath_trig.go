package runtime

import (
	"math"
	"math/big"
)

// Deterministic trigonometric and hyperbolic functions, in the style of
// detmath.go: float64 with every product wrapped in float64(...) (no FMA),
// exactly specified IEEE steps, one rounding to float32 at the end.
//
// Sin, Cos, Tan reduce x to r in [−π/4, π/4] and a quadrant k mod 4:
// for |x| < 2^18 by Cody–Waite with π/2 split into four parts (the first
// three of 33 bits, so k·part is exact); beyond, in math/big at 400 bits
// (exact integer arithmetic: the same on every CPU), which float32's range
// (|x| < 2^128) needs. On r, Taylor series to r^17 (sin) and r^18 (cos),
// truncation below 1e-19. Tan is their quotient.
//
// Atan: |x| > 1 by π/2 − atan(1/x); three halvings atan(x) = 2·atan(x /
// (1 + √(1 + x²))) bring |x| below 0.1, then the series to x^31. Asin(x) =
// atan(x / √(1 − x²)), Acos(x) = 2·atan(√((1 − x) / (1 + x))).
//
// Sinh: the series to x^15 below 0.5 (no cancellation), (e^x − e^−x)/2
// beyond; Cosh (e^x + e^−x)/2; Asinh sign·log1p(|x| + x²/(1 + √(1 + x²)));
// Acosh log1p((x − 1) + √((x − 1)(x + 1))); Atanh ½·log1p(2x / (1 − x)).
// log1p(y) is 2·atanh(y/(2 + y)) by its series below |y| = 1/4, detmath's
// log64(1 + y) beyond.

// π/2 in four parts (fdlibm's split): pio2a..c have 33 significant bits.
const (
	pio2a = 1.57079632673412561417e+00
	pio2b = 6.07710050630396597660e-11
	pio2c = 2.02226624871116645580e-21
	pio2d = 8.47842766036889956997e-32
	pio2  = 1.57079632679489661923132169163975144
	twoPi = 0.636619772367581343075535053490057448 // 2/π
	// cwMax bounds the Cody–Waite path: k < 2^18, so k·pio2a (51 bits) is exact.
	cwMax = 1 << 18
)

// piDigits is π to 100 decimals (about 332 bits), for the big reduction.
const piDigits = "3.1415926535897932384626433832795028841971693993751058209749445923078164062862089986280348253421170679"

var halfPiBig, twoOverPiBig = func() (*big.Float, *big.Float) {
	pi, _, err := big.ParseFloat(piDigits, 10, 400, big.ToNearestEven)
	if err != nil {
		panic(err)
	}
	half := new(big.Float).SetPrec(400).Quo(pi, big.NewFloat(2))
	two := new(big.Float).SetPrec(400).Quo(big.NewFloat(2), pi)
	return half, two
}()

// reducePio2 returns r in about [−π/4, π/4] and k mod 4 with x = k·π/2 + r,
// for finite x.
func reducePio2(x float64) (float64, int) {
	if math.Abs(x) < cwMax {
		k := roundHalfAway(float64(x * twoPi))
		kf := float64(k)
		r := x - float64(kf*pio2a)
		r -= float64(kf * pio2b)
		r -= float64(kf * pio2c)
		r -= float64(kf * pio2d)
		return r, int(k & 3)
	}
	bx := new(big.Float).SetPrec(400).SetFloat64(x)
	q := new(big.Float).SetPrec(400).Mul(bx, twoOverPiBig)
	q.Add(q, big.NewFloat(0.5))
	k, acc := q.Int(nil) // toward zero: above q for a negative non-integer
	if acc == big.Above {
		k.Sub(k, big.NewInt(1))
	}
	kb := new(big.Float).SetPrec(400).SetInt(k)
	r := new(big.Float).SetPrec(400).Mul(kb, halfPiBig)
	r.Sub(bx, r)
	rf, _ := r.Float64()
	return rf, int(new(big.Int).And(k, big.NewInt(3)).Int64())
}

// sinKernel is sin r for |r| ≤ π/4 + ε.
func sinKernel(r float64) float64 {
	if r == 0 {
		return r // keeps −0
	}
	r2 := float64(r * r)
	p := -1.0 / 355687428096000 // −1/17!
	p = float64(p*r2) + 1.0/1307674368000
	p = float64(p*r2) - 1.0/6227020800
	p = float64(p*r2) + 1.0/39916800
	p = float64(p*r2) - 1.0/362880
	p = float64(p*r2) + 1.0/5040
	p = float64(p*r2) - 1.0/120
	p = float64(p*r2) + 1.0/6
	return r - float64(float64(r*r2)*p)
}

// cosKernel is cos r for |r| ≤ π/4 + ε.
func cosKernel(r float64) float64 {
	r2 := float64(r * r)
	p := 1.0 / 6402373705728000 // 1/18!
	p = float64(p*r2) - 1.0/20922789888000
	p = float64(p*r2) + 1.0/87178291200
	p = float64(p*r2) - 1.0/479001600
	p = float64(p*r2) + 1.0/3628800
	p = float64(p*r2) - 1.0/40320
	p = float64(p*r2) + 1.0/720
	p = float64(p*r2) - 1.0/24
	p = float64(p*r2) + 0.5
	return 1 - float64(r2*p)
}

// sincos64 is (sin x, cos x) for finite x.
func sincos64(x float64) (float64, float64) {
	r, k := reducePio2(x)
	s, c := sinKernel(r), cosKernel(r)
	switch k {
	case 1:
		return c, -s
	case 2:
		return -s, -c
	case 3:
		return -c, s
	}
	return s, c
}

// Sin returns sin x rounded to float32: NaN for ±Inf and NaN.
func Sin(x float32) float32 {
	if x != x || math.IsInf(float64(x), 0) {
		return float32(math.NaN())
	}
	s, _ := sincos64(float64(x))
	return float32(s)
}

// Cos returns cos x rounded to float32: NaN for ±Inf and NaN.
func Cos(x float32) float32 {
	if x != x || math.IsInf(float64(x), 0) {
		return float32(math.NaN())
	}
	_, c := sincos64(float64(x))
	return float32(c)
}

// Tan returns tan x rounded to float32: NaN for ±Inf and NaN.
func Tan(x float32) float32 {
	if x != x || math.IsInf(float64(x), 0) {
		return float32(math.NaN())
	}
	s, c := sincos64(float64(x))
	return float32(s / c)
}

// atan64 is arctan x in float64 for any x (±π/2 at ±Inf, NaN for NaN).
func atan64(x float64) float64 {
	switch {
	case x != x:
		return x
	case math.IsInf(x, 1):
		return pio2
	case math.IsInf(x, -1):
		return -pio2
	}
	neg := x < 0
	if neg {
		x = -x
	}
	inv := x > 1
	if inv {
		x = 1 / x
	}
	for i := 0; i < 3; i++ {
		x = x / (1 + math.Sqrt(1+float64(x*x)))
	}
	// x·Σ (−1)^n x^(2n)/(2n + 1) for n ≤ 15, then ×8 for the halvings.
	x2 := float64(x * x)
	p := -1.0 / 31
	for n := 14; n >= 0; n-- {
		c := 1 / float64(2*n+1)
		if n%2 == 1 {
			c = -c
		}
		p = float64(p*x2) + c
	}
	a := float64(8 * float64(x*p))
	if inv {
		a = pio2 - a
	}
	if neg {
		a = -a
	}
	return a
}

// Atan returns arctan x rounded to float32.
func Atan(x float32) float32 { return float32(atan64(float64(x))) }

// Asin returns arcsin x rounded to float32: NaN outside [−1, 1].
func Asin(x float32) float32 {
	a := float64(x)
	if x != x || a > 1 || a < -1 {
		return float32(math.NaN())
	}
	// 1 − x² is exact for a float32 x in float64: x² has 48 bits.
	return float32(atan64(a / math.Sqrt(1-float64(a*a))))
}

// Acos returns arccos x rounded to float32: NaN outside [−1, 1].
func Acos(x float32) float32 {
	a := float64(x)
	if x != x || a > 1 || a < -1 {
		return float32(math.NaN())
	}
	return float32(2 * atan64(math.Sqrt((1-a)/(1+a))))
}

// log1p64 is ln(1 + y) for y > −1.
func log1p64(y float64) float64 {
	if math.Abs(y) >= 0.25 {
		return log64(1 + y)
	}
	u := y / (2 + y) // |u| < 1/7: the series to u^29 is below 1e-25
	u2 := float64(u * u)
	p := 1.0 / 29
	for d := 27.0; d >= 1; d -= 2 {
		p = float64(p*u2) + 1/d
	}
	return float64(2 * float64(u*p))
}

// Sinh returns sinh x rounded to float32.
func Sinh(x float32) float32 {
	a := float64(x)
	switch {
	case x != x:
		return x
	case a > expMax:
		return float32(math.Inf(1))
	case a < -expMax:
		return float32(math.Inf(-1))
	case math.Abs(a) < 0.5:
		a2 := float64(a * a)
		p := 1.0 / 1307674368000 // 1/15!
		p = float64(p*a2) + 1.0/6227020800
		p = float64(p*a2) + 1.0/39916800
		p = float64(p*a2) + 1.0/362880
		p = float64(p*a2) + 1.0/5040
		p = float64(p*a2) + 1.0/120
		p = float64(p*a2) + 1.0/6
		return float32(a + float64(float64(a*a2)*p))
	}
	return float32((exp64(a) - exp64(-a)) / 2)
}

// Cosh returns cosh x rounded to float32.
func Cosh(x float32) float32 {
	a := float64(x)
	switch {
	case x != x:
		return x
	case math.Abs(a) > expMax:
		return float32(math.Inf(1))
	}
	return float32((exp64(a) + exp64(-a)) / 2)
}

// Asinh returns arsinh x rounded to float32.
func Asinh(x float32) float32 {
	a := math.Abs(float64(x))
	switch {
	case x != x || math.IsInf(a, 0):
		return x
	}
	a2 := float64(a * a) // exact: 48 bits
	r := float32(log1p64(a + a2/(1+math.Sqrt(1+a2))))
	if math.Signbit(float64(x)) {
		return -r
	}
	return r
}

// Acosh returns arcosh x rounded to float32: NaN below 1.
func Acosh(x float32) float32 {
	a := float64(x)
	switch {
	case x != x || a < 1:
		return float32(math.NaN())
	case math.IsInf(a, 1):
		return x
	}
	t := a - 1 // exact
	return float32(log1p64(t + math.Sqrt(float64(t*(a+1)))))
}

// Atanh returns artanh x rounded to float32: ±Inf at ±1, NaN beyond.
func Atanh(x float32) float32 {
	a := float64(x)
	switch {
	case x != x || a > 1 || a < -1:
		return float32(math.NaN())
	case a == 1:
		return float32(math.Inf(1))
	case a == -1:
		return float32(math.Inf(-1))
	}
	return float32(0.5 * log1p64(2*a/(1-a)))
}
