package lmsr

import (
	"math/big"

	sdkmath "cosmossdk.io/math"
)

// A high-precision reference built on big.Float with algorithms unlike the
// package's (argument halving and squaring for exp, Halley iteration on that
// exp for ln), so a shared mistake is unlikely to pass unnoticed.
const refPrec = 512

func refFloat() *big.Float { return new(big.Float).SetPrec(refPrec) }

func refInt(v *big.Int) *big.Float { return refFloat().SetInt(v) }

// refLn2 = Σ_{k≥1} 1/(k·2^k).
var refLn2 = func() *big.Float {
	s := refFloat()
	for k := 1; k <= refPrec+16; k++ {
		d := refFloat().SetMantExp(refFloat().SetInt64(1), -k)
		s.Add(s, d.Quo(d, refFloat().SetInt64(int64(k))))
	}
	return s
}()

// refExp returns e^x: halve x until |x| < 2^-24, sum the Taylor series, square back.
func refExp(x *big.Float) *big.Float {
	k := 0
	h := refFloat().Set(x)
	lim := refFloat().SetMantExp(refFloat().SetInt64(1), -24)
	for refFloat().Abs(h).Cmp(lim) > 0 {
		h.SetMantExp(h, -1)
		k++
	}
	sum := refFloat().SetInt64(1)
	term := refFloat().SetInt64(1)
	for n := 1; n < 60; n++ {
		term.Mul(term, h)
		term.Quo(term, refFloat().SetInt64(int64(n)))
		sum.Add(sum, term)
	}
	for ; k > 0; k-- {
		sum.Mul(sum, sum)
	}
	return sum
}

// refLn returns ln x for x > 0 by Halley's iteration y += 2(x−e^y)/(x+e^y).
func refLn(x *big.Float) *big.Float {
	m := refFloat()
	e := x.MantExp(m)
	y := refFloat().Mul(refFloat().SetInt64(int64(e)), refLn2)
	for it := 0; it < 12; it++ {
		ey := refExp(y)
		num := refFloat().Sub(x, ey)
		den := refFloat().Add(x, ey)
		num.Quo(num, den)
		y.Add(y, num.Mul(num, refFloat().SetInt64(2)))
	}
	return y
}

// refCost returns C(q) = max + b·ln Σ exp((q_j − max)/b).
func refCost(q []sdkmath.Int, b sdkmath.Int) *big.Float {
	m := q[0].BigInt()
	for _, v := range q {
		if v.BigIntMut().Cmp(m) > 0 {
			m = v.BigInt()
		}
	}
	bf := refInt(b.BigIntMut())
	sum := refFloat()
	for _, v := range q {
		d := refInt(new(big.Int).Sub(v.BigIntMut(), m))
		sum.Add(sum, refExp(d.Quo(d, bf)))
	}
	c := refLn(sum)
	c.Mul(c, bf)
	return c.Add(c, refInt(m))
}

// refPrices returns the exact prices.
func refPrices(q []sdkmath.Int, b sdkmath.Int) []*big.Float {
	bf := refInt(b.BigIntMut())
	terms := make([]*big.Float, len(q))
	sum := refFloat()
	for j, v := range q {
		d := refInt(new(big.Int).Sub(v.BigIntMut(), q[0].BigIntMut()))
		terms[j] = refExp(d.Quo(d, bf))
		sum.Add(sum, terms[j])
	}
	for j := range terms {
		terms[j].Quo(terms[j], sum)
	}
	return terms
}

// refFloor and refCeil round a reference value to integers.
func refFloor(x *big.Float) *big.Int {
	i, acc := x.Int(nil) // truncates toward zero
	if x.Sign() < 0 && acc != big.Exact {
		i.Sub(i, big.NewInt(1))
	}
	return i
}

func refCeil(x *big.Float) *big.Int {
	i := refFloor(x)
	if refInt(i).Cmp(x) != 0 {
		i.Add(i, big.NewInt(1))
	}
	return i
}
