package lmsr

import (
	"fmt"
	"math/big"

	sdkmath "cosmossdk.io/math"
)

// Cost returns C(q) = b·ln Σ exp(q_i/b) rounded up to base units (⌈x⌉ or
// one more). C(q) − C(0) is what traders paid, net, to move the market from
// its opening state to q; C(0) = b·ln n.
func Cost(q []sdkmath.Int, b sdkmath.Int) (sdkmath.Int, error) {
	qs, bb, err := checkState(q, b)
	if err != nil {
		return sdkmath.Int{}, err
	}
	p := newPool(qs, bb)
	// Round up: a cost is what traders pay.
	return sdkmath.NewIntFromBigInt(ceilUnits(p.costFixed(), margin(bb))), nil
}

// BuyCost returns the collateral a trader pays for shares of outcome:
// ⌈C(q + shares·e_outcome) − C(q)⌉, or one more (never less), so the market
// maker never undercharges.
func BuyCost(q []sdkmath.Int, b sdkmath.Int, outcome int, shares sdkmath.Int) (sdkmath.Int, error) {
	p, s, err := prepareBuy(q, b, outcome, shares)
	if err != nil {
		return sdkmath.Int{}, err
	}
	// Round up: the market maker never undercharges.
	return sdkmath.NewIntFromBigInt(ceilUnits(p.buyDelta(outcome, s), margin(p.b))), nil
}

// SellProceeds returns the collateral a trader receives for shares of
// outcome: ⌊C(q) − C(q − shares·e_outcome)⌋, or one less (never more), and
// never below zero. Whether the seller holds the shares is the caller's
// concern; this checks only that q_outcome stays ≥ 0.
func SellProceeds(q []sdkmath.Int, b sdkmath.Int, outcome int, shares sdkmath.Int) (sdkmath.Int, error) {
	p, s, err := prepareSell(q, b, outcome, shares)
	if err != nil {
		return sdkmath.Int{}, err
	}
	// Round down: the market maker never overpays.
	v := floorUnits(p.sellDelta(outcome, s), margin(p.b))
	if v.Sign() < 0 {
		v.SetInt64(0)
	}
	return sdkmath.NewIntFromBigInt(v), nil
}

// MaxLoss returns ⌈b·ln n⌉, or one more: the subsidy the creator escrows.
// The market maker's worst loss is max_i q_i − (C(q) − C(0)) ≤ b·ln n, since
// C(q) ≥ max_i q_i and C(0) = b·ln n.
func MaxLoss(n int, b sdkmath.Int) (sdkmath.Int, error) {
	if err := checkOutcomes(n); err != nil {
		return sdkmath.Int{}, err
	}
	bb, err := checkLiquidity(b)
	if err != nil {
		return sdkmath.Int{}, err
	}
	l := ln(new(big.Int).Lsh(big.NewInt(int64(n)), fracBits))
	// Round up: the escrow must cover the worst case.
	return sdkmath.NewIntFromBigInt(ceilUnits(l.Mul(l, bb), margin(bb))), nil
}

// prepareBuy validates a buy and evaluates the current state.
func prepareBuy(q []sdkmath.Int, b sdkmath.Int, outcome int, shares sdkmath.Int) (*pool, *big.Int, error) {
	return prepareTrade(q, b, outcome, shares, +1)
}

// prepareSell validates a sell and evaluates the current state.
func prepareSell(q []sdkmath.Int, b sdkmath.Int, outcome int, shares sdkmath.Int) (*pool, *big.Int, error) {
	return prepareTrade(q, b, outcome, shares, -1)
}

// prepareTrade checks the state, the outcome and the trade size, and that
// moving q[outcome] by sign·shares stays in range (no overflow on a buy, no
// negative quantity on a sell, prices within MaxSpread·b of each other).
func prepareTrade(q []sdkmath.Int, b sdkmath.Int, outcome int, shares sdkmath.Int, sign int) (*pool, *big.Int, error) {
	qs, bb, err := checkState(q, b)
	if err != nil {
		return nil, nil, err
	}
	if err := checkOutcome(len(qs), outcome); err != nil {
		return nil, nil, err
	}
	s, err := checkTrade("shares", shares)
	if err != nil {
		return nil, nil, err
	}
	verb := "buying"
	qi := new(big.Int).Add(qs[outcome], s)
	if sign < 0 {
		verb = "selling"
		qi.Sub(qs[outcome], s)
	}
	if qi.Cmp(maxAmountBig) > 0 {
		return nil, nil, fmt.Errorf("%w: q[%d] would be %s", ErrOverflow, outcome, qi)
	}
	if qi.Sign() < 0 {
		return nil, nil, fmt.Errorf("%w: selling %s of outcome %d with %s outstanding", ErrOverSell, shares, outcome, q[outcome])
	}
	if !spreadOK(qs, bb, outcome, qi) {
		return nil, nil, fmt.Errorf("%w: %s %s of outcome %d spreads quantities over %d·b", ErrPriceRange, verb, shares, outcome, MaxSpread)
	}
	return newPool(qs, bb), s, nil
}
