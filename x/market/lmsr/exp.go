package lmsr

import "math/big"

var (
	// expCutoff: for y above (fracBits+2)·ln 2, exp(−y) < 2^-(fracBits+2) and
	// expNeg returns 0, within one ulp.
	expCutoff = new(big.Int).Rsh(new(big.Int).Mul(big.NewInt(fracBits+2), ln2Guard), guardBits)
	// ln2Fixed is ln 2 at scale 2^-fracBits, rounded down.
	ln2Fixed = new(big.Int).Rsh(ln2Guard, guardBits)
	// tailMask keeps the bits of r below the last table level: t < 2^-32.
	tailMask = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), fracBits-expLevels*expLevelBits), big.NewInt(1))
)

// expNeg returns exp(−y) for a fixed-point y ≥ 0 (callers guarantee the sign:
// every argument is a max minus a quantity). The result is at most 2^fracBits,
// exactly 2^fracBits for y = 0, and within 32 ulps of the true value.
//
// Range reduction: y = k·ln 2 + r with 0 ≤ r < ln 2, using ln 2 rounded down
// to fracBits: r is then high by < k ulps, which the final 2^-k scaling
// shrinks to k·2^-k ≤ ½ ulp of the result; then r = Σ_l j_l·2^-8(l+1) + t
// exactly, the j_l being r's first four bytes, so
// exp(−y) = 2^-k · Π_l exp(−j_l·2^-8(l+1)) · exp(−t) with four table entries
// and a six-term Taylor polynomial in t < 2^-32 by Horner's rule. Each
// product is truncated (rounded down, ≤ 1 ulp), each table entry is within
// ½ ulp, each Horner step adds ≤ 1 ulp: under 16 ulps before the 2^-k
// scaling.
func expNeg(y *big.Int) *big.Int {
	var w expWork
	return w.expNeg(y)
}

// expWork holds expNeg's temporaries, so a caller evaluating many
// exponentials (a pool) reuses their buffers instead of allocating each time.
type expWork struct{ k, r, lead, tmp big.Int }

// expNeg is expNeg with w's buffers; the result is a fresh big.Int.
func (w *expWork) expNeg(y *big.Int) *big.Int {
	if y.Cmp(expCutoff) > 0 {
		return new(big.Int)
	}
	k, r := w.k.QuoRem(y, ln2Fixed, &w.r)
	var js [expLevels]uint64
	lead := w.lead.Rsh(r, fracBits-expLevels*expLevelBits).Uint64() // r's first 32 bits
	for l := range js {
		js[l] = (lead >> (expLevelBits * (expLevels - 1 - l))) & (1<<expLevelBits - 1)
	}
	t := r.And(r, tailMask)

	// p and tmp alternate as product and result, so the loop reuses their
	// buffers instead of allocating (big.Int.Mul allocates when z aliases x).
	p := new(big.Int).Set(expCoef[expTerms-1])
	tmp := &w.tmp
	for n := expTerms - 2; n >= 0; n-- {
		tmp.Mul(p, t)
		p.Rsh(tmp, fracBits)
		p.Add(p, expCoef[n])
	}
	for l, j := range js {
		if j != 0 {
			tmp.Mul(p, expTab[l][j])
			p.Rsh(tmp, fracBits)
		}
	}
	return p.Rsh(p, uint(k.Uint64()))
}
