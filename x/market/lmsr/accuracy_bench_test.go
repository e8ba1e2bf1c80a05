package lmsr

import (
	"math/big"
	"math/rand"
	"testing"

	sdkmath "cosmossdk.io/math"
)

// accuracy is the worst disagreement with the 512-bit big.Float reference
// over a fixed random set: units is the largest error in base units (the
// rounding contract allows 1), rel the largest relative error.
type accuracy struct{ units, rel float64 }

func (a *accuracy) add(got *big.Int, exact *big.Float) {
	g := refInt(got)
	d := g.Sub(g, exact)
	d.Abs(d)
	u, _ := d.Float64()
	a.units = max(a.units, u)
	if exact.Sign() != 0 {
		r, _ := d.Quo(d, refFloat().Abs(exact)).Float64()
		a.rel = max(a.rel, r)
	}
}

// BenchmarkAccuracy reports, for BuyCost, SellProceeds, SharesForAmount and
// Prices, the worst error against the reference over 200 states (2, 8, 20
// and 64 outcomes, liquidity 10^6 to 10^18, quantities up to 3·b) and one
// trade each of up to b shares: in units (a base unit of collateral or
// share; 10^-18 for a price) and relative, in parts per billion. Amounts
// are whole units rounded toward the market maker (the contract allows an
// error of 1), so only trades of at least 10^6 units count toward the
// relative error; every price counts.
func BenchmarkAccuracy(b *testing.B) {
	var buy, sell, shares, prices accuracy
	rng := rand.New(rand.NewSource(2026))
	sizes := []int{2, 8, 20, 64}
	for it := 0; it < 200; it++ {
		n := sizes[it%len(sizes)]
		liq := sdkmath.NewInt(1_000_000).Mul(sdkmath.NewIntFromBigInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(rng.Intn(13))), nil)))
		q := make([]sdkmath.Int, n)
		for j := range q {
			q[j] = sdkmath.NewIntFromBigInt(new(big.Int).Rand(rng, new(big.Int).Mul(liq.BigInt(), big.NewInt(3))))
		}
		i := rng.Intn(n)
		s := sdkmath.NewIntFromBigInt(new(big.Int).Add(new(big.Int).Rand(rng, liq.BigInt()), big.NewInt(1)))
		c0 := refCost(q, liq)
		large := func(x *big.Float) bool { return x.Cmp(refFloat().SetInt64(1_000_000)) >= 0 }

		if got, err := BuyCost(q, liq, i, s); err == nil {
			exact := refFloat().Sub(refCost(add(q, i, s), liq), c0)
			if large(exact) {
				buy.add(got.BigInt(), exact)
			}
		}
		if s.LTE(q[i]) {
			if got, err := SellProceeds(q, liq, i, s); err == nil {
				exact := refFloat().Sub(c0, refCost(add(q, i, s.Neg()), liq))
				if large(exact) {
					sell.add(got.BigInt(), exact)
				}
			}
		}
		// SharesForAmount: the largest s whose cost fits the amount; its
		// exact counterpart solves C(q + s·e_i) − C(q) = amount.
		amount := sdkmath.NewIntFromBigInt(new(big.Int).Add(new(big.Int).Rand(rng, liq.BigInt()), big.NewInt(1_000_000)))
		if got, err := SharesForAmount(q, liq, i, amount); err == nil && got.IsPositive() {
			exact := refSharesFor(q, liq, i, refInt(amount.BigInt()), c0, got.BigInt())
			if large(exact) {
				shares.add(got.BigInt(), exact)
			}
		}
		if p, err := Prices(q, liq); err == nil {
			want := refPrices(q, liq)
			for j := range p {
				got := refInt(p[j].BigInt())
				got.Quo(got, refInt(decOne))
				d := refFloat().Sub(got, want[j])
				d.Abs(d)
				u, _ := refFloat().Mul(d, refInt(decOne)).Float64()
				prices.units = max(prices.units, u)
				if want[j].Sign() != 0 {
					r, _ := d.Quo(d, want[j]).Float64()
					prices.rel = max(prices.rel, r)
				}
			}
		}
	}
	for _, m := range []struct {
		name string
		a    accuracy
	}{{"BuyCost", buy}, {"SellProceeds", sell}, {"SharesForAmount", shares}, {"Prices", prices}} {
		b.Run(m.name, func(b *testing.B) {
			for b.Loop() {
			}
			b.ReportMetric(m.a.rel*1e9, "max-rel-err-ppb")
			b.ReportMetric(m.a.units, "max-err-units")
		})
	}
}

// refSharesFor solves C(q + s·e_i) − C(q) = amount for s by bisection on
// the reference cost, to 2^-8 of a share, from a bracket around guess that
// widens until it holds the root.
func refSharesFor(q []sdkmath.Int, b sdkmath.Int, i int, amount, c0 *big.Float, guess *big.Int) *big.Float {
	eps := refFloat().SetMantExp(refFloat().SetInt64(1), -8)
	cost := func(s *big.Float) *big.Float {
		exact := refFloat().Add(refInt(q[i].BigInt()), s)
		qs := append([]sdkmath.Int(nil), q...)
		// The cost of fractional shares: evaluate at ⌊s⌋ and ⌈s⌉ and interpolate.
		f, _ := exact.Int(nil)
		qs[i] = sdkmath.NewIntFromBigInt(f)
		cf := refCost(qs, b)
		qs[i] = sdkmath.NewIntFromBigInt(new(big.Int).Add(f, big.NewInt(1)))
		cc := refCost(qs, b)
		frac := refFloat().Sub(exact, refInt(f))
		cf.Add(cf, frac.Mul(frac, refFloat().Sub(cc, cf)))
		return cf.Sub(cf, c0)
	}
	width := big.NewInt(4)
	lo, hi := refFloat(), refFloat()
	for {
		l := new(big.Int).Sub(guess, width)
		if l.Sign() < 0 {
			l.SetInt64(0)
		}
		lo, hi = refInt(l), refInt(new(big.Int).Add(guess, width))
		if cost(lo).Cmp(amount) <= 0 && cost(hi).Cmp(amount) > 0 {
			break
		}
		width.Lsh(width, 4)
	}
	for refFloat().Sub(hi, lo).Cmp(eps) > 0 {
		mid := refFloat().Add(lo, hi)
		mid.SetMantExp(mid, -1)
		if cost(mid).Cmp(amount) <= 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}
