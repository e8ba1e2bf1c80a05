package lmsr

import "math/big"

// Internal fixed point: a real number v is held as the big.Int v·2^fracBits.
// 192 fraction bits leave 2^-192 ulps; with b ≤ 2^128 the worst accumulated
// error (b·errBudget ulps, see margin) is about 2^-48 base units, so a single
// final rounding can be made to favour the market maker with room to spare.
const fracBits = 192

// guardBits extra bits carry constants (ln 2) and the init-time table
// computations, so that their own rounding never shows at fracBits.
const guardBits = 96

// errBudget bounds, in ulps of 2^-fracBits, the error of one ln-sum-exp
// difference: each exp is within 32 ulps, each ln within 32 ulps, at most 65
// terms enter a sum (README.md, "Error bounds"). 2^16 is over eight times the
// proven 2·(65·32+32+2) ≈ 2^12.1, and still tiny against one base unit.
const errBudget = 1 << 16

var (
	fixedOne   = new(big.Int).Lsh(big.NewInt(1), fracBits)
	errBudgetB = big.NewInt(errBudget)
)

// margin returns the bound b·errBudget + errBudget on the error, in ulps, of
// a value b·L with L a difference of two logarithms. Adding it before a
// ceiling (or subtracting it before a floor) makes the rounding safe for the
// market maker whatever the sign of the actual error.
func margin(b *big.Int) *big.Int {
	m := new(big.Int).Mul(b, errBudgetB)
	return m.Add(m, errBudgetB)
}

// ceilUnits returns ⌈(v + margin)/2^fracBits⌉: a fixed-point collateral value
// rounded up to base units, safe against an approximation error up to margin.
func ceilUnits(v, margin *big.Int) *big.Int {
	t := new(big.Int).Add(v, margin)
	t.Add(t, new(big.Int).Sub(fixedOne, big.NewInt(1)))
	return t.Rsh(t, fracBits) // arithmetic shift: floor, also for negative t
}

// floorUnits returns ⌊(v − margin)/2^fracBits⌋: a fixed-point collateral value
// rounded down to base units, safe against an approximation error up to
// margin.
func floorUnits(v, margin *big.Int) *big.Int {
	t := new(big.Int).Sub(v, margin)
	return t.Rsh(t, fracBits)
}

// ratio returns ⌊n·2^fracBits / b⌋ for n ≥ 0, b > 0: the fixed-point value of
// n/b, rounded down (an exp argument −n/b is then rounded up, by < 1 ulp).
func ratio(n, b *big.Int) *big.Int {
	t := new(big.Int).Lsh(n, fracBits)
	return t.Quo(t, b) // in place: big.Int reuses t's buffer for the quotient
}
