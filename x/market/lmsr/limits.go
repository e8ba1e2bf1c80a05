package lmsr

import (
	"fmt"
	"math/big"

	sdkmath "cosmossdk.io/math"
)

// Bounds checked up front by every exported function. They keep every
// intermediate value within the widths for which README.md proves the error
// bounds, and every result within sdkmath.Int's 256 bits.
const (
	// MinOutcomes is the smallest market: a yes/no question.
	MinOutcomes = 2
	// MaxOutcomes is the largest market this package accepts; x/market may
	// set a lower maximum in its params.
	MaxOutcomes = 64
	// MaxSpread bounds (max_j q_j − min_j q_j)/b, so every price stays above
	// e^-MaxSpread / n. Beyond it a price carries too few significant bits for
	// the inverse (SharesForAmount) to stay within two shares; a trade that
	// would leave that range is refused with ErrPriceRange, which also means
	// the range holds for every state reached from q = 0.
	MaxSpread = 100
)

var (
	// MaxAmount (2^128) bounds every quantity q_i, every trade size and every
	// collateral amount.
	MaxAmount = sdkmath.NewIntFromBigInt(new(big.Int).Lsh(big.NewInt(1), 128))
	// MinLiquidity is the smallest liquidity parameter b.
	MinLiquidity = sdkmath.OneInt()
	// MaxLiquidity (2^128) is the largest b; the cost error bound b·2^-176
	// stays far below one base unit up to it.
	MaxLiquidity = MaxAmount
)

var (
	// Private copies: the exported values are documentation and defaults,
	// the checks never depend on a caller leaving them untouched.
	maxAmountBig    = MaxAmount.BigInt()
	minLiquidityBig = MinLiquidity.BigInt()
	maxSpreadBig    = big.NewInt(MaxSpread)
)

// checkOutcomes validates n.
func checkOutcomes(n int) error {
	if n < MinOutcomes || n > MaxOutcomes {
		return fmt.Errorf("%w: %d outcomes, want %d..%d", ErrOutcomeCount, n, MinOutcomes, MaxOutcomes)
	}
	return nil
}

// checkLiquidity validates b and returns it as a big.Int the caller must not
// modify.
func checkLiquidity(b sdkmath.Int) (*big.Int, error) {
	if b.IsNil() {
		return nil, fmt.Errorf("%w: missing", ErrInvalidLiquidity)
	}
	bb := b.BigIntMut()
	if bb.Cmp(minLiquidityBig) < 0 || bb.Cmp(maxAmountBig) > 0 {
		return nil, fmt.Errorf("%w: b = %s, want %s..%s", ErrInvalidLiquidity, b, MinLiquidity, MaxLiquidity)
	}
	return bb, nil
}

// checkState validates n, b and every q_i, including the spread bound, and
// returns the quantities as big.Ints the caller must not modify.
func checkState(q []sdkmath.Int, b sdkmath.Int) ([]*big.Int, *big.Int, error) {
	if err := checkOutcomes(len(q)); err != nil {
		return nil, nil, err
	}
	bb, err := checkLiquidity(b)
	if err != nil {
		return nil, nil, err
	}
	qs := make([]*big.Int, len(q))
	for j, v := range q {
		if v.IsNil() || v.IsNegative() {
			return nil, nil, fmt.Errorf("%w: q[%d] = %s", ErrInvalidQuantity, j, v)
		}
		qs[j] = v.BigIntMut()
		if qs[j].Cmp(maxAmountBig) > 0 {
			return nil, nil, fmt.Errorf("%w: q[%d] = %s exceeds %s", ErrOverflow, j, v, MaxAmount)
		}
	}
	if !spreadOK(qs, bb, -1, nil) {
		return nil, nil, fmt.Errorf("%w: quantities spread over more than %d·b", ErrPriceRange, MaxSpread)
	}
	return qs, bb, nil
}

// checkOutcome validates an outcome index against n outcomes.
func checkOutcome(n, outcome int) error {
	if outcome < 0 || outcome >= n {
		return fmt.Errorf("%w: %d of %d", ErrUnknownOutcome, outcome, n)
	}
	return nil
}

// checkTrade validates a trade size or collateral amount: positive and at most
// MaxAmount.
func checkTrade(what string, v sdkmath.Int) (*big.Int, error) {
	if v.IsNil() || !v.IsPositive() {
		return nil, fmt.Errorf("%w: %s = %s", ErrDustTrade, what, v)
	}
	vb := v.BigIntMut()
	if vb.Cmp(maxAmountBig) > 0 {
		return nil, fmt.Errorf("%w: %s = %s exceeds %s", ErrOverflow, what, v, MaxAmount)
	}
	return vb, nil
}

// spreadOK reports whether max_j q_j − min_j q_j ≤ MaxSpread·b, with q[i]
// replaced by qi when i ≥ 0.
func spreadOK(q []*big.Int, b *big.Int, i int, qi *big.Int) bool {
	var lo, hi *big.Int
	for j, v := range q {
		if j == i {
			v = qi
		}
		if lo == nil || v.Cmp(lo) < 0 {
			lo = v
		}
		if hi == nil || v.Cmp(hi) > 0 {
			hi = v
		}
	}
	d := new(big.Int).Sub(hi, lo)
	return d.Cmp(new(big.Int).Mul(maxSpreadBig, b)) <= 0
}
