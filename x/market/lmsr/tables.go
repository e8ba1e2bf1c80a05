package lmsr

import "math/big"

// Constants and tables for exp and ln, computed once at package init by slow,
// plain series at fracBits+guardBits bits, with integer arithmetic only, so
// every node derives the same bits; tables_test.go checks them against an
// independent big.Float reference.
const (
	// expLevels and expLevelBits: exp reduces its argument by four table
	// lookups of 8 bits each, down to t < 2^-32.
	expLevels    = 4
	expLevelBits = 8
	// expTerms is the number of Taylor terms of exp(−t) for t < 2^-32:
	// the first left out, t^6/6!, is below 2^-201, well under one ulp.
	expTerms = 6
	// atanhTerms is the number of odd terms of atanh(z) for |z| < 2^-13:
	// the first one left out is below z^15/15 < 2^-198.
	atanhTerms = 7
	// level1Bits and level2Bits are the range-reduction steps of ln: 2^-6,
	// then 2^-12.
	level1Bits = 6
	level2Bits = 12
)

// ln2Guard is ln 2 = 2·atanh(1/3) at scale 2^-(fracBits+guardBits), rounded
// down. A variable initializer, not init(), so that expCutoff can use it.
var ln2Guard = new(big.Int).Lsh(slowAtanh(
	new(big.Int).Quo(new(big.Int).Lsh(big.NewInt(1), fracBits+guardBits), big.NewInt(3)),
	fracBits+guardBits), 1)

var (
	// expTab[l][j] = exp(−j·2^-(8(l+1))) at scale 2^-fracBits, rounded to
	// nearest: 178 entries for l = 0 (j/256 < ln 2), 256 for the others.
	expTab [expLevels][]*big.Int
	// expCoef[k] = (−1)^k/k!, truncated toward zero.
	expCoef []*big.Int
	// invTab1[j] ≈ 1/(1 + j/64) and invTab2[j] ≈ 1/(1 + j/4096), rounded down;
	// lnInv1[j] = −ln(invTab1[j]) and lnInv2[j] = −ln(invTab2[j]) of the
	// rounded values, so the reduction in ln is exact and only the logarithms
	// carry error (≤ 1/2 ulp each).
	invTab1, invTab2, lnInv1, lnInv2 []*big.Int
	// atanhCoef[k] = 1/(2k+1), rounded down.
	atanhCoef []*big.Int
)

func init() {
	const g = fracBits + guardBits
	for l := range expTab {
		// Powers of exp(−2^-8(l+1)) at 2^-g: each product truncates by one
		// unit at 2^-g, so entry j is off by at most j·2^-g < 2^-280.
		base := slowExpNeg(new(big.Int).Lsh(big.NewInt(1), g-uint(expLevelBits*(l+1))), g)
		size := 1 << expLevelBits
		if l == 0 {
			size = 178
		}
		expTab[l] = make([]*big.Int, size)
		pow := new(big.Int).Lsh(big.NewInt(1), g)
		for j := range expTab[l] {
			expTab[l][j] = roundToFixed(pow)
			pow = new(big.Int).Rsh(new(big.Int).Mul(pow, base), g)
		}
	}

	expCoef = make([]*big.Int, expTerms)
	fact := big.NewInt(1)
	for k := range expCoef {
		if k > 0 {
			fact.Mul(fact, big.NewInt(int64(k)))
		}
		c := new(big.Int).Quo(fixedOne, fact)
		if k%2 == 1 {
			c.Neg(c)
		}
		expCoef[k] = c
	}

	invTab1, lnInv1 = invTable(level1Bits, g)
	invTab2, lnInv2 = invTable(level2Bits, g)

	atanhCoef = make([]*big.Int, atanhTerms)
	for k := range atanhCoef {
		atanhCoef[k] = new(big.Int).Quo(fixedOne, big.NewInt(int64(2*k+1)))
	}
}

// invTable returns, for j < 64, inv[j] = ⌊2^fracBits / (1 + j·2^-bits)⌋ and
// lnInv[j] = −ln(inv[j]·2^-fracBits) rounded to nearest.
func invTable(bits uint, g uint) (inv, lnInv []*big.Int) {
	inv = make([]*big.Int, 64)
	lnInv = make([]*big.Int, 64)
	for j := range inv {
		den := new(big.Int).Add(new(big.Int).Lsh(big.NewInt(1), bits), big.NewInt(int64(j)))
		v := new(big.Int).Lsh(fixedOne, bits)
		inv[j] = v.Quo(v, den)
		// ln v = 2·atanh((v−1)/(v+1)) at scale 2^-g; v ∈ (1/2, 1].
		vg := new(big.Int).Lsh(inv[j], g-fracBits)
		oneG := new(big.Int).Lsh(big.NewInt(1), g)
		num := new(big.Int).Sub(vg, oneG)
		num.Lsh(num, g)
		z := num.Quo(num, new(big.Int).Add(vg, oneG))
		l := new(big.Int).Lsh(slowAtanh(z, g), 1)
		lnInv[j] = roundToFixed(l.Neg(l))
	}
	return inv, lnInv
}

// slowAtanh returns atanh(z) = Σ z^(2k+1)/(2k+1) at scale 2^-g for |z| ≤ 1/3,
// summing until the terms vanish at that scale.
func slowAtanh(z *big.Int, g uint) *big.Int {
	z2 := new(big.Int).Mul(z, z)
	z2.Rsh(z2, g)
	sum := new(big.Int).Set(z)
	pow := new(big.Int).Set(z)
	for k := int64(1); ; k++ {
		pow.Mul(pow, z2)
		pow.Quo(pow, new(big.Int).Lsh(big.NewInt(1), g))
		if pow.Sign() == 0 {
			return sum
		}
		sum.Add(sum, new(big.Int).Quo(pow, big.NewInt(2*k+1)))
	}
}

// slowExpNeg returns exp(−x) at scale 2^-g for 0 ≤ x < 1, by the Taylor
// series summed until the terms vanish at that scale.
func slowExpNeg(x *big.Int, g uint) *big.Int {
	sum := new(big.Int).Lsh(big.NewInt(1), g)
	term := new(big.Int).Set(sum)
	for k := int64(1); ; k++ {
		term.Mul(term, x)
		term.Rsh(term, g)
		term.Quo(term, big.NewInt(k))
		if term.Sign() == 0 {
			return sum
		}
		if k%2 == 1 {
			sum.Sub(sum, term)
		} else {
			sum.Add(sum, term)
		}
	}
}

// roundToFixed rounds a value at scale 2^-(fracBits+guardBits) to the nearest
// value at scale 2^-fracBits.
func roundToFixed(v *big.Int) *big.Int {
	t := new(big.Int).Add(v, new(big.Int).Lsh(big.NewInt(1), guardBits-1))
	return t.Rsh(t, guardBits)
}
