package lmsr

import "math/big"

var (
	// expCutoff: for y above (fracBits+2)·ln 2, exp(−y) < 2^-(fracBits+2) and
	// expNeg returns 0, within one ulp.
	expCutoff = new(big.Int).Rsh(new(big.Int).Mul(big.NewInt(fracBits+2), ln2Guard), guardBits)
	mask1     = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), fracBits-level1Bits), big.NewInt(1))
	mask2     = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), fracBits-level2Bits), big.NewInt(1))
)

// expNeg returns exp(−y) for a fixed-point y ≥ 0 (callers guarantee the sign:
// every argument is a max minus a quantity). The result is at most 2^fracBits,
// exactly 2^fracBits for y = 0, and within 32 ulps of the true value.
//
// Range reduction: y = k·ln 2 + r with 0 ≤ r < ln 2 (r rounded down, so the
// result errs high by < 1 ulp·2^-k), then r = j1/64 + j2/4096 + t exactly
// (bit fields of r), so exp(−y) = 2^-k · exp(−j1/64) · exp(−j2/4096) · exp(−t)
// with two table entries and a 14-term Taylor polynomial in t < 2^-12 by
// Horner's rule. Each product is truncated (rounded down, ≤ 1 ulp); the
// Horner steps add ≤ 1 ulp each, so the total before the 2^-k scaling is
// below 20 ulps.
func expNeg(y *big.Int) *big.Int {
	if y.Cmp(expCutoff) > 0 {
		return new(big.Int)
	}
	yg := new(big.Int).Lsh(y, guardBits)
	k, r := new(big.Int).QuoRem(yg, ln2Guard, new(big.Int))
	r.Rsh(r, guardBits)
	j1 := new(big.Int).Rsh(r, fracBits-level1Bits).Uint64()
	r.And(r, mask1)
	j2 := new(big.Int).Rsh(r, fracBits-level2Bits).Uint64()
	t := r.And(r, mask2)

	p := new(big.Int).Set(expCoef[expTerms-1])
	for n := expTerms - 2; n >= 0; n-- {
		p.Mul(p, t)
		p.Rsh(p, fracBits)
		p.Add(p, expCoef[n])
	}
	if j1 != 0 {
		p.Mul(p, expTab1[j1])
		p.Rsh(p, fracBits)
	}
	if j2 != 0 {
		p.Mul(p, expTab2[j2])
		p.Rsh(p, fracBits)
	}
	return p.Rsh(p, uint(k.Uint64()))
}
