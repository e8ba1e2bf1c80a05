package lmsr

import (
	"math/big"
	"sort"

	sdkmath "cosmossdk.io/math"
)

var decOne = new(big.Int).Exp(big.NewInt(10), big.NewInt(sdkmath.LegacyPrecision), nil)

// Prices returns p_i = exp(q_i/b) / Σ exp(q_j/b) as 18-decimal LegacyDecs that
// sum to exactly 1. Each is the exact price rounded down or up to 1e-18 (the
// largest-remainder method hands the few ulps that flooring loses to the
// outcomes with the largest remainders, ties to the lower index), so each is
// within 1e-18 of exact plus the 2^-180 error of the fixed point.
func Prices(q []sdkmath.Int, b sdkmath.Int) ([]sdkmath.LegacyDec, error) {
	qs, bb, err := checkState(q, b)
	if err != nil {
		return nil, err
	}
	p := newPool(qs, bb)
	n := len(qs)
	units := make([]*big.Int, n)
	rems := make([]*big.Int, n)
	left := new(big.Int).Set(decOne)
	for j, t := range p.terms {
		num := new(big.Int).Mul(t, decOne)
		units[j], rems[j] = num.QuoRem(num, p.sum, new(big.Int))
		left.Sub(left, units[j])
	}
	order := make([]int, n)
	for j := range order {
		order[j] = j
	}
	sort.SliceStable(order, func(x, y int) bool { return rems[order[x]].Cmp(rems[order[y]]) > 0 })
	// left < n: each floor loses less than one ulp.
	for k := 0; k < int(left.Int64()) && k < n; k++ {
		units[order[k]].Add(units[order[k]], big.NewInt(1))
	}
	out := make([]sdkmath.LegacyDec, n)
	for j, u := range units {
		out[j] = sdkmath.LegacyNewDecFromBigIntWithPrec(u, sdkmath.LegacyPrecision)
	}
	return out, nil
}
