package lmsr

import "math/big"

// pool is the log-sum-exp of one state, with the largest quantity subtracted
// so every exponent is ≤ 0 and the sum is ≥ 1:
//
//	C(q) = max + b·ln Σ_j exp((q_j − max)/b) = max + b·lnSum.
type pool struct {
	q     []*big.Int
	b     *big.Int
	max   *big.Int
	terms []*big.Int // exp((q_j − max)/b), fixed point; exactly 1 at a max
	sum   *big.Int   // Σ terms, ≥ 2^fracBits
	lnSum *big.Int   // ln(sum), ≥ 0
}

// newPool evaluates the n exponentials of a validated state.
func newPool(q []*big.Int, b *big.Int) *pool {
	p := &pool{q: q, b: b, max: q[0], terms: make([]*big.Int, len(q)), sum: new(big.Int)}
	for _, v := range q[1:] {
		if v.Cmp(p.max) > 0 {
			p.max = v
		}
	}
	var w expWork
	d := new(big.Int)
	for j, v := range q {
		d.Sub(p.max, v)
		d.Lsh(d, fracBits)
		p.terms[j] = w.expNeg(d.Quo(d, b)) // ratio, in d's buffer
		p.sum.Add(p.sum, p.terms[j])
	}
	p.lnSum = ln(p.sum)
	return p
}

// costFixed returns C(q)·2^fracBits (exact up to b times the ln error).
func (p *pool) costFixed() *big.Int {
	c := new(big.Int).Mul(p.b, p.lnSum)
	return c.Add(c, new(big.Int).Lsh(p.max, fracBits))
}

// buyDelta returns (C(q + s·e_i) − C(q))·2^fracBits for s > 0 with one more
// exponential: the other terms are reused, rescaled by exp((max − max')/b)
// when outcome i becomes the new largest quantity, so the new sum still holds
// the exact term 1 and stays ≥ 1.
func (p *pool) buyDelta(i int, s *big.Int) *big.Int {
	qi := new(big.Int).Add(p.q[i], s)
	sum := new(big.Int).Sub(p.sum, p.terms[i])
	var shift *big.Int // max' − max
	if qi.Cmp(p.max) <= 0 {
		shift = new(big.Int)
		sum.Add(sum, expNeg(ratio(new(big.Int).Sub(p.max, qi), p.b)))
	} else {
		shift = new(big.Int).Sub(qi, p.max)
		sum.Mul(sum, expNeg(ratio(shift, p.b)))
		sum.Rsh(sum, fracBits)
		sum.Add(sum, fixedOne)
	}
	return p.delta(shift, sum)
}

// sellDelta returns (C(q) − C(q − s·e_i))·2^fracBits for 0 < s ≤ q_i. When
// another outcome keeps the largest quantity, one exponential replaces term i;
// otherwise the new state is evaluated afresh around its own maximum.
func (p *pool) sellDelta(i int, s *big.Int) *big.Int {
	qi := new(big.Int).Sub(p.q[i], s)
	keeps := false
	for j, v := range p.q {
		if j != i && v.Cmp(p.max) == 0 {
			keeps = true
			break
		}
	}
	if keeps {
		sum := new(big.Int).Sub(p.sum, p.terms[i])
		sum.Add(sum, expNeg(ratio(new(big.Int).Sub(p.max, qi), p.b)))
		d := p.delta(new(big.Int), sum)
		return d.Neg(d)
	}
	q2 := make([]*big.Int, len(p.q))
	copy(q2, p.q)
	q2[i] = qi
	p2 := newPool(q2, p.b)
	d := new(big.Int).Sub(p.costFixed(), p2.costFixed())
	return d
}

// delta returns (shift + b·(ln sum' − lnSum))·2^fracBits, the cost
// difference between this state and one with maximum max+shift and sum sum'.
func (p *pool) delta(shift, sum *big.Int) *big.Int {
	d := ln(sum)
	d.Sub(d, p.lnSum)
	d.Mul(d, p.b)
	return d.Add(d, new(big.Int).Lsh(shift, fracBits))
}
