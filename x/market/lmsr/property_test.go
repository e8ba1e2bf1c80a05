package lmsr

import (
	"math/big"
	"math/rand"
	"testing"

	sdkmath "cosmossdk.io/math"
)

// liquidities spans the whole allowed range of b, from 1 to 2^128.
var liquidities = []sdkmath.Int{
	sdkmath.OneInt(), sdkmath.NewInt(7), sdkmath.NewInt(1_000), sdkmath.NewInt(14_426_950),
	sdkmath.NewInt(1_000_000_000_000), sdkmath.NewInt(1_000_000_000_000_000_000),
	pow2(100).AddRaw(12345), pow2(128),
}

// randState draws a valid state: n outcomes, a liquidity from the list, and
// quantities spread over up to MaxSpread·b (fewer when 2^128 caps them).
func randState(rng *rand.Rand) ([]sdkmath.Int, sdkmath.Int) {
	n := MinOutcomes + rng.Intn(MaxOutcomes-MinOutcomes+1)
	if rng.Intn(2) == 0 {
		n = 2 + rng.Intn(4)
	}
	b := liquidities[rng.Intn(len(liquidities))]
	spread := []int64{0, 1, 5, 30, 100}[rng.Intn(5)]
	width := new(big.Int).Mul(b.BigInt(), big.NewInt(spread))
	width.Add(width, big.NewInt(1))
	if width.Cmp(maxAmountBig) > 0 {
		width.Set(maxAmountBig)
	}
	base := new(big.Int).Rand(rng, new(big.Int).Add(new(big.Int).Sub(maxAmountBig, width), big.NewInt(1)))
	if rng.Intn(2) == 0 {
		base.SetInt64(0)
	}
	q := make([]sdkmath.Int, n)
	for j := range q {
		q[j] = sdkmath.NewIntFromBigInt(new(big.Int).Add(base, new(big.Int).Rand(rng, width)))
	}
	return q, b
}

// randSize draws a trade size from 1 up to about 3·b, log-uniformly.
func randSize(rng *rand.Rand, b sdkmath.Int) sdkmath.Int {
	bits := b.BigIntMut().BitLen() + 2
	v := new(big.Int).Rand(rng, new(big.Int).Lsh(big.NewInt(1), uint(1+rng.Intn(bits))))
	return sdkmath.NewIntFromBigInt(v.Add(v, big.NewInt(1)))
}

func add(q []sdkmath.Int, i int, s sdkmath.Int) []sdkmath.Int {
	out := append([]sdkmath.Int(nil), q...)
	out[i] = out[i].Add(s)
	return out
}

// assertUp checks got ∈ {⌈x⌉, ⌈x⌉+1}; assertDown checks got ∈ {⌊x⌋−1, ⌊x⌋}
// (or 0 when ⌊x⌋ = 0).
func assertUp(t *testing.T, what string, got sdkmath.Int, x *big.Float) {
	t.Helper()
	c := refCeil(x)
	if d := new(big.Int).Sub(got.BigIntMut(), c); d.Sign() < 0 || d.Cmp(big.NewInt(1)) > 0 {
		t.Fatalf("%s = %s, exact %s", what, got, x.Text('f', 6))
	}
}

func assertDown(t *testing.T, what string, got sdkmath.Int, x *big.Float) {
	t.Helper()
	f := refFloor(x)
	d := new(big.Int).Sub(f, got.BigIntMut())
	if d.Sign() < 0 || d.Cmp(big.NewInt(1)) > 0 || got.IsNegative() {
		t.Fatalf("%s = %s, exact %s", what, got, x.Text('f', 6))
	}
}

func TestCostQuotesAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	for it := 0; it < 150; it++ {
		q, b := randState(rng)
		i := rng.Intn(len(q))
		c0 := refCost(q, b)
		got, err := Cost(q, b)
		if err != nil {
			t.Fatal(err)
		}
		assertUp(t, "Cost", got, c0)

		s := randSize(rng, b)
		if bc, err := BuyCost(q, b, i, s); err == nil {
			assertUp(t, "BuyCost", bc, new(big.Float).Sub(refCost(add(q, i, s), b), c0))
		} else if !isSentinel(err) {
			t.Fatal(err)
		}
		if s.GT(q[i]) {
			s = q[i]
		}
		if s.IsZero() {
			continue
		}
		if sp, err := SellProceeds(q, b, i, s); err == nil {
			assertDown(t, "SellProceeds", sp, new(big.Float).Sub(c0, refCost(add(q, i, s.Neg()), b)))
		} else if !isSentinel(err) {
			t.Fatal(err)
		}
	}
}

func TestPricesAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewSource(12))
	tol := refFloat().SetFloat64(1e-18)
	tol.Add(tol, refFloat().SetFloat64(1e-40))
	for it := 0; it < 150; it++ {
		q, b := randState(rng)
		p, err := Prices(q, b)
		if err != nil {
			t.Fatal(err)
		}
		want := refPrices(q, b)
		sum := sdkmath.LegacyZeroDec()
		for j := range p {
			sum = sum.Add(p[j])
			got := refInt(p[j].BigInt())
			got.Quo(got, refInt(decOne))
			if d := got.Sub(got, want[j]); d.Abs(d).Cmp(tol) > 0 {
				t.Fatalf("p[%d] = %s, exact %s", j, p[j], want[j].Text('g', 25))
			}
		}
		if !sum.Equal(sdkmath.LegacyOneDec()) {
			t.Fatalf("prices sum to %s", sum)
		}
	}
}

func TestMaxLossAgainstReference(t *testing.T) {
	for n := MinOutcomes; n <= MaxOutcomes; n++ {
		for _, b := range liquidities {
			got, err := MaxLoss(n, b)
			if err != nil {
				t.Fatal(err)
			}
			x := refLn(refFloat().SetInt64(int64(n)))
			assertUp(t, "MaxLoss", got, x.Mul(x, refInt(b.BigIntMut())))
		}
	}
}

// SharesForAmount returns the largest s with BuyCost(s) ≤ amount, within two
// shares of the exact real inverse s*, and never above it.
func TestSharesForAmountAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewSource(13))
	checked := 0
	for it := 0; it < 150; it++ {
		q, b := randState(rng)
		i := rng.Intn(len(q))
		a := randSize(rng, b)
		s, err := SharesForAmount(q, b, i, a)
		if err != nil {
			if !isSentinel(err) {
				t.Fatal(err)
			}
			continue
		}
		if c, err := BuyCost(q, b, i, s); err != nil || c.GT(a) {
			t.Fatalf("BuyCost(%s) = %s, %v > amount %s", s, c, err, a)
		}
		if c, err := BuyCost(q, b, i, s.AddRaw(1)); err == nil && c.LTE(a) {
			t.Fatalf("s+1 = %s also affordable at %s ≤ %s", s.AddRaw(1), c, a)
		}
		// s* = C(q) + a − q_i + b·ln(1 − e^{−a/b}·(1 − p_i))
		bf := refInt(b.BigIntMut())
		ea := refExp(refFloat().Quo(refInt(a.Neg().BigIntMut()), bf))
		pi := refPrices(q, b)[i]
		u := refFloat().Sub(refFloat().SetInt64(1), pi)
		u.Mul(u, ea)
		u.Sub(refFloat().SetInt64(1), u)
		star := refLn(u)
		star.Mul(star, bf)
		star.Add(star, refCost(q, b))
		star.Add(star, refInt(a.Sub(q[i]).BigIntMut()))
		if refInt(s.BigIntMut()).Cmp(star) > 0 {
			t.Fatalf("s = %s above the exact inverse %s", s, star.Text('f', 4))
		}
		capped := new(big.Float).Add(star, refInt(q[i].BigIntMut())).Cmp(refInt(maxAmountBig)) > 0 ||
			!spreadOK(bigs(q), b.BigIntMut(), i, refFloor(new(big.Float).Add(star, refInt(q[i].BigIntMut()))))
		if !capped {
			checked++
			if d := new(big.Int).Sub(refFloor(star), s.BigIntMut()); d.Cmp(big.NewInt(2)) > 0 {
				t.Fatalf("s = %s, exact inverse %s: more than two shares short", s, star.Text('f', 4))
			}
		}
	}
	if checked < 50 {
		t.Fatalf("only %d uncapped cases", checked)
	}
}

func bigs(q []sdkmath.Int) []*big.Int {
	out := make([]*big.Int, len(q))
	for j, v := range q {
		out[j] = v.BigInt()
	}
	return out
}

// A buy then the sell of the same shares never profits the trader; a buy split
// in two costs at least the whole.
func TestRoundTripAndSplit(t *testing.T) {
	rng := rand.New(rand.NewSource(14))
	for it := 0; it < 400; it++ {
		q, b := randState(rng)
		i := rng.Intn(len(q))
		s1, s2 := randSize(rng, b), randSize(rng, b)
		whole, err := BuyCost(q, b, i, s1.Add(s2))
		if err != nil {
			continue
		}
		c1, err1 := BuyCost(q, b, i, s1)
		c2, err2 := BuyCost(add(q, i, s1), b, i, s2)
		if err1 != nil || err2 != nil {
			t.Fatalf("parts failed where the whole did not: %v %v", err1, err2)
		}
		if c1.Add(c2).LT(whole) {
			t.Fatalf("split %s + %s < whole %s", c1, c2, whole)
		}
		back, err := SellProceeds(add(q, i, s1), b, i, s1)
		if err != nil {
			t.Fatal(err)
		}
		if back.GT(c1) {
			t.Fatalf("round trip profits: bought for %s, sold for %s", c1, back)
		}
	}
}

// The search behind SharesForAmount finds the same answer from any guess, so
// a poor closed-form guess costs time, never correctness.
func TestLargestAffordableFromAnyGuess(t *testing.T) {
	rng := rand.New(rand.NewSource(15))
	for it := 0; it < 40; it++ {
		q, b := randState(rng)
		i := rng.Intn(len(q))
		a := randSize(rng, b)
		qs, bb, err := checkState(q, b)
		if err != nil {
			t.Fatal(err)
		}
		p := newPool(qs, bb)
		limit := new(big.Int).Sub(maxAmountBig, qs[i])
		want := p.largestAffordable(i, a.BigIntMut(), p.inverseGuess(i, a.BigIntMut()), limit)
		for _, off := range []int64{-1 << 40, -1000, -3, -1, 1, 2, 77, 1 << 50} {
			g := new(big.Int).Add(want, big.NewInt(off))
			if got := p.largestAffordable(i, a.BigIntMut(), g, limit); got.Cmp(want) != 0 {
				t.Fatalf("guess %s: %s, from the closed form %s", g, got, want)
			}
		}
		if far := p.largestAffordable(i, a.BigIntMut(), new(big.Int).Set(limit), limit); far.Cmp(want) != 0 {
			t.Fatalf("guess at the limit: %s, want %s", far, want)
		}
	}
}
