package lmsr

// Test helpers: a buy or sell checked against a limit, with the
// quantities after it. The keeper prices trades with BuyCost, SellProceeds
// and SharesForAmount itself (fees included in its limits), so these live
// with the tests that walk trade sequences.

import (
	"fmt"
	"math/big"

	sdkmath "cosmossdk.io/math"
)

// BuyExact prices a buy of shares of outcome and checks it against the
// trader's limit: it returns the cost (BuyCost) and the quantities after the
// trade, or ErrSlippage when the cost exceeds maxCost. q is not modified.
func BuyExact(q []sdkmath.Int, b sdkmath.Int, outcome int, shares, maxCost sdkmath.Int) (sdkmath.Int, []sdkmath.Int, error) {
	if maxCost.IsNil() {
		return sdkmath.Int{}, nil, fmt.Errorf("%w: missing maximum cost", ErrSlippage)
	}
	cost, err := BuyCost(q, b, outcome, shares)
	if err != nil {
		return sdkmath.Int{}, nil, err
	}
	if cost.GT(maxCost) {
		return sdkmath.Int{}, nil, fmt.Errorf("%w: cost %s exceeds maximum %s", ErrSlippage, cost, maxCost)
	}
	return cost, withTrade(q, outcome, shares.BigIntMut(), false), nil
}

// SellExact prices a sell of shares of outcome and checks it against the
// trader's limit: it returns the proceeds (SellProceeds) and the quantities
// after the trade, ErrSlippage when the proceeds fall below minProceeds, or
// ErrDustTrade when they are zero (the seller would give shares away). q is
// not modified.
func SellExact(q []sdkmath.Int, b sdkmath.Int, outcome int, shares, minProceeds sdkmath.Int) (sdkmath.Int, []sdkmath.Int, error) {
	if minProceeds.IsNil() {
		return sdkmath.Int{}, nil, fmt.Errorf("%w: missing minimum proceeds", ErrSlippage)
	}
	proceeds, err := SellProceeds(q, b, outcome, shares)
	if err != nil {
		return sdkmath.Int{}, nil, err
	}
	if proceeds.IsZero() {
		return sdkmath.Int{}, nil, fmt.Errorf("%w: selling %s of outcome %d pays nothing", ErrDustTrade, shares, outcome)
	}
	if proceeds.LT(minProceeds) {
		return sdkmath.Int{}, nil, fmt.Errorf("%w: proceeds %s below minimum %s", ErrSlippage, proceeds, minProceeds)
	}
	return proceeds, withTrade(q, outcome, shares.BigIntMut(), true), nil
}

// withTrade returns a copy of q with shares added to (or, for a sell, taken
// from) outcome.
func withTrade(q []sdkmath.Int, outcome int, shares *big.Int, sell bool) []sdkmath.Int {
	out := make([]sdkmath.Int, len(q))
	copy(out, q)
	v := new(big.Int)
	if sell {
		v.Sub(q[outcome].BigIntMut(), shares)
	} else {
		v.Add(q[outcome].BigIntMut(), shares)
	}
	out[outcome] = sdkmath.NewIntFromBigIntMut(v)
	return out
}
