package lmsr

import "math/big"

var level1One = new(big.Int).Lsh(big.NewInt(1), fracBits-level1Bits)

// ln returns ln(x) for a fixed-point x > 0 (callers guarantee it: every
// argument is a sum containing the exact term 1, or a positive constant),
// within 32 ulps.
//
// Reduction: x = 2^e · m with m ∈ [1, 2) (exact for x's bits below 1, one
// truncation otherwise); m1 = m·inv1[j1] with j1 the first six fraction bits,
// so m1 ∈ [1, 1+2^-6) up to the truncation of the product; m2 = m1·inv2[j2]
// with j2 the next six, so m2 − 1 ∈ (−2^-190, 2^-12). Then
// ln m2 = 2·atanh(z), z = (m2−1)/(m2+1), |z| < 2^-13, by seven odd terms
// (Horner in z²). ln x = e·ln 2 + lnInv1[j1] + lnInv2[j2] + 2·atanh(z): two
// table roundings (½ ulp each), two truncated products (≤ 1 ulp each, seen
// through 1/m), one truncated division and the series (≤ 8 ulps).
func ln(x *big.Int) *big.Int {
	e := x.BitLen() - 1 - fracBits
	m := new(big.Int)
	if e >= 0 {
		m.Rsh(x, uint(e))
	} else {
		m.Lsh(x, uint(-e))
	}

	frac := new(big.Int).Sub(m, fixedOne)
	j1 := frac.Rsh(frac, fracBits-level1Bits).Uint64()
	m.Mul(m, invTab1[j1])
	m.Rsh(m, fracBits)

	var j2 uint64
	if d := new(big.Int).Sub(m, fixedOne); d.Sign() > 0 {
		j2 = d.Rsh(d, fracBits-level2Bits).Uint64()
		if j2 >= uint64(len(invTab2)) { // unreachable: m1 < 1 + 1/(64+j1); an index must never overflow
			j2 = uint64(len(invTab2) - 1)
		}
	}
	m.Mul(m, invTab2[j2])
	m.Rsh(m, fracBits)

	num := new(big.Int).Sub(m, fixedOne)
	num.Lsh(num, fracBits)
	z := num.Quo(num, m.Add(m, fixedOne))
	w := new(big.Int).Mul(z, z)
	w.Rsh(w, fracBits)
	s := new(big.Int).Set(atanhCoef[atanhTerms-1])
	tmp := new(big.Int) // alternates with s, as in expNeg
	for k := atanhTerms - 2; k >= 0; k-- {
		tmp.Mul(s, w)
		s.Rsh(tmp, fracBits)
		s.Add(s, atanhCoef[k])
	}
	tmp.Mul(s, z)
	s.Rsh(tmp, fracBits-1) // 2·z·S

	el := new(big.Int).Mul(big.NewInt(int64(e)), ln2Guard)
	el.Rsh(el, guardBits)
	s.Add(s, el)
	s.Add(s, lnInv1[j1])
	return s.Add(s, lnInv2[j2])
}
