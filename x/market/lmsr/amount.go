package lmsr

import (
	"fmt"
	"math/big"

	sdkmath "cosmossdk.io/math"
)

// SharesForAmount returns the largest number of shares of outcome whose
// BuyCost is at most amount: spending exactly amount, less what the rounding
// up of BuyCost keeps. It errs with ErrDustTrade when amount buys no share.
//
// The closed-form inverse of the cost gives a first guess: buying s shares for
// a means C(q) + a = b·ln(Σ_{j≠i} e^{q_j/b} + e^{(q_i+s)/b}), so
//
//	s = C(q) + a − q_i + b·ln(1 − e^{−a/b}·(1 − p_i)).
//
// Because the result must satisfy BuyCost(s) ≤ amount with BuyCost's own
// rounding, the guess is then confirmed (usually by two BuyCost evaluations,
// s and s+1, each one exponential) and, if the guess is off, corrected by a
// galloping search and bisection over the same monotone test.
func SharesForAmount(q []sdkmath.Int, b sdkmath.Int, outcome int, amount sdkmath.Int) (sdkmath.Int, error) {
	qs, bb, err := checkState(q, b)
	if err != nil {
		return sdkmath.Int{}, err
	}
	if err := checkOutcome(len(qs), outcome); err != nil {
		return sdkmath.Int{}, err
	}
	a, err := checkTrade("amount", amount)
	if err != nil {
		return sdkmath.Int{}, err
	}
	// One share must fit the bounds; the search relies on it to tell a dust
	// amount from a market at its limits.
	limit := new(big.Int).Sub(maxAmountBig, qs[outcome])
	if limit.Sign() <= 0 {
		return sdkmath.Int{}, fmt.Errorf("%w: q[%d] is at the maximum %s", ErrOverflow, outcome, MaxAmount)
	}
	if !spreadOK(qs, bb, outcome, new(big.Int).Add(qs[outcome], big.NewInt(1))) {
		return sdkmath.Int{}, fmt.Errorf("%w: outcome %d is at the top of the price range", ErrPriceRange, outcome)
	}
	p := newPool(qs, bb)
	s := p.largestAffordable(outcome, a, p.inverseGuess(outcome, a), limit)
	if s.Sign() == 0 {
		return sdkmath.Int{}, fmt.Errorf("%w: %s buys no share of outcome %d", ErrDustTrade, amount, outcome)
	}
	return sdkmath.NewIntFromBigInt(s), nil
}

// inverseGuess evaluates the closed-form inverse in fixed point and rounds it
// down to whole shares.
func (p *pool) inverseGuess(i int, a *big.Int) *big.Int {
	ea := expNeg(ratio(a, p.b)) // e^{−a/b}
	pi := new(big.Int).Lsh(p.terms[i], fracBits)
	pi.Quo(pi, p.sum) // p_i
	// u = 1 − e^{−a/b} + e^{−a/b}·p_i ∈ (0, 1]
	u := new(big.Int).Mul(ea, pi)
	u.Rsh(u, fracBits)
	u.Add(u, fixedOne)
	u.Sub(u, ea)
	if u.Sign() <= 0 { // unreachable in bounds (a ≥ 1, b ≤ 2^128 give e^{−a/b} < 1); ln must never see 0
		u.SetInt64(1)
	}
	est := new(big.Int).Sub(p.max, p.q[i])
	est.Add(est, a)
	est.Lsh(est, fracBits)
	est.Add(est, new(big.Int).Mul(p.b, p.lnSum))
	est.Add(est, new(big.Int).Mul(p.b, ln(u)))
	return est.Rsh(est, fracBits)
}

// affordable reports whether s ≥ 1 shares of outcome i can be bought for at
// most a and leave the state within the bounds.
func (p *pool) affordable(i int, a, s *big.Int) bool {
	qi := new(big.Int).Add(p.q[i], s)
	if qi.Cmp(maxAmountBig) > 0 || !spreadOK(p.q, p.b, i, qi) {
		return false
	}
	return ceilUnits(p.buyDelta(i, s), margin(p.b)).Cmp(a) <= 0
}

// largestAffordable returns the largest s in [0, limit] with affordable(s)
// (0 if none), for limit ≥ 1, starting from guess: it gallops away from the
// guess with doubling steps until the answer is bracketed, then bisects. Both
// the cost and the bounds grow with s, so the test is monotone.
func (p *pool) largestAffordable(i int, a, guess, limit *big.Int) *big.Int {
	one := big.NewInt(1)
	g := new(big.Int).Set(guess)
	if g.Sign() < 1 {
		g.SetInt64(1)
	}
	if g.Cmp(limit) > 0 {
		g.Set(limit)
	}
	lo, hi := new(big.Int), new(big.Int) // affordable(lo) or lo = 0; not affordable(hi) or hi = limit+1
	step := big.NewInt(1)
	if p.affordable(i, a, g) {
		lo.Set(g)
		for {
			hi.Add(g, step)
			if hi.Cmp(limit) > 0 {
				hi.Add(limit, one)
				break
			}
			if !p.affordable(i, a, hi) {
				break
			}
			lo.Set(hi)
			step.Lsh(step, 1)
		}
	} else {
		hi.Set(g)
		for {
			lo.Sub(g, step)
			if lo.Sign() <= 0 {
				lo.SetInt64(0)
				break
			}
			if p.affordable(i, a, lo) {
				break
			}
			hi.Set(lo)
			step.Lsh(step, 1)
		}
	}
	mid := new(big.Int)
	for new(big.Int).Sub(hi, lo).Cmp(one) > 0 {
		mid.Add(lo, hi)
		mid.Rsh(mid, 1)
		if p.affordable(i, a, mid) {
			lo.Set(mid)
		} else {
			hi.Set(mid)
		}
	}
	return lo
}
