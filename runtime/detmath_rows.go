package runtime

import "math"

// Exp and Sigmoid over whole rows, four elements at a time. Exp's float64
// polynomial is a chain of thirteen dependent multiply-adds; called one
// element at a time, each element waits for the last step of the one
// before. Here four independent chains run side by side, each the same
// operations in the same order as exp64, so every element gets exactly
// Exp's (or Sigmoid's) bits; a group of four with any element outside
// [−expMax, expMax] (or NaN) takes the scalar function.

// ExpRow sets dst[j] = Exp(src[j] − sub), the subtraction in float32, for
// j < len(dst): Softmax's exponentials.
func ExpRow(dst, src []float32, sub float32) {
	src = src[:len(dst)]
	j := 0
	for ; j+4 <= len(dst); j += 4 {
		x0, x1, x2, x3 := src[j]-sub, src[j+1]-sub, src[j+2]-sub, src[j+3]-sub
		if !inExpRange(x0) || !inExpRange(x1) || !inExpRange(x2) || !inExpRange(x3) {
			dst[j], dst[j+1], dst[j+2], dst[j+3] = Exp(x0), Exp(x1), Exp(x2), Exp(x3)
			continue
		}
		e0, e1, e2, e3 := exp64x4(float64(x0), float64(x1), float64(x2), float64(x3))
		dst[j], dst[j+1], dst[j+2], dst[j+3] = float32(e0), float32(e1), float32(e2), float32(e3)
	}
	for ; j < len(dst); j++ {
		dst[j] = Exp(src[j] - sub)
	}
}

// SigmoidRow sets dst[j] = Sigmoid(src[j]) for j < len(dst).
func SigmoidRow(dst, src []float32) {
	src = src[:len(dst)]
	j := 0
	for ; j+4 <= len(dst); j += 4 {
		x0, x1, x2, x3 := src[j], src[j+1], src[j+2], src[j+3]
		if !inExpRange(x0) || !inExpRange(x1) || !inExpRange(x2) || !inExpRange(x3) {
			dst[j], dst[j+1], dst[j+2], dst[j+3] = Sigmoid(x0), Sigmoid(x1), Sigmoid(x2), Sigmoid(x3)
			continue
		}
		e0, e1, e2, e3 := exp64x4(-float64(x0), -float64(x1), -float64(x2), -float64(x3))
		dst[j], dst[j+1], dst[j+2], dst[j+3] = float32(1/(1+e0)), float32(1/(1+e1)), float32(1/(1+e2)), float32(1/(1+e3))
	}
	for ; j < len(dst); j++ {
		dst[j] = Sigmoid(src[j])
	}
}

// inExpRange is false for NaN and for |x| > expMax: the arguments Exp and
// Sigmoid answer without exp64.
func inExpRange(x float32) bool { return x >= -expMax && x <= expMax }

// exp64x4 is exp64 of four arguments, interleaved: the same operations in
// the same order for each.
func exp64x4(a, b, c, d float64) (float64, float64, float64, float64) {
	ka, kb, kc, kd := roundHalfAway(float64(a*log2e)), roundHalfAway(float64(b*log2e)), roundHalfAway(float64(c*log2e)), roundHalfAway(float64(d*log2e))
	fa, fb, fc, fd := float64(ka), float64(kb), float64(kc), float64(kd)
	ra := float64(a-float64(fa*ln2Hi)) - float64(fa*ln2Lo)
	rb := float64(b-float64(fb*ln2Hi)) - float64(fb*ln2Lo)
	rc := float64(c-float64(fc*ln2Hi)) - float64(fc*ln2Lo)
	rd := float64(d-float64(fd*ln2Hi)) - float64(fd*ln2Lo)
	pa, pb, pc, pd := 1.0/6227020800, 1.0/6227020800, 1.0/6227020800, 1.0/6227020800
	for _, coef := range &expCoefs {
		pa = float64(pa*ra) + coef
		pb = float64(pb*rb) + coef
		pc = float64(pc*rc) + coef
		pd = float64(pd*rd) + coef
	}
	return scale2(pa, ka), scale2(pb, kb), scale2(pc, kc), scale2(pd, kd)
}

// expCoefs are exp64's Horner coefficients after 1/13!, in its order.
var expCoefs = [...]float64{
	1.0 / 479001600, 1.0 / 39916800, 1.0 / 3628800, 1.0 / 362880, 1.0 / 40320,
	1.0 / 5040, 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 0.5, 1, 1,
}

// scale2 is exp64's last step: p·2^k as two factors, so each stays normal.
func scale2(p float64, k int64) float64 {
	k1 := k / 2
	k2 := k - k1
	p = float64(p * math.Float64frombits(uint64(k1+1023)<<52))
	return float64(p * math.Float64frombits(uint64(k2+1023)<<52))
}
