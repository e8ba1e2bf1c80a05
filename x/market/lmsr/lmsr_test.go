package lmsr

import (
	"errors"
	"math/big"
	"testing"

	sdkmath "cosmossdk.io/math"
)

func ints(vs ...int64) []sdkmath.Int {
	out := make([]sdkmath.Int, len(vs))
	for j, v := range vs {
		out[j] = sdkmath.NewInt(v)
	}
	return out
}

func pow2(e uint) sdkmath.Int {
	return sdkmath.NewIntFromBigInt(new(big.Int).Lsh(big.NewInt(1), e))
}

// Golden vectors from the issue, in base units of a 6-decimal collateral.
func TestGoldenVectors(t *testing.T) {
	// Funding 10 over two outcomes: b = 10/ln 2 (14.426950 tokens), spending 10
	// buys 10·ln 3/ln 2 = 15.849625 shares.
	b := sdkmath.NewInt(14_426_950)
	s, err := SharesForAmount(ints(0, 0), b, 0, sdkmath.NewInt(10_000_000))
	if err != nil || !s.Equal(sdkmath.NewInt(15_849_624)) {
		t.Fatalf("shares for 10: %s, %v; want 15849624", s, err)
	}
	if c, _ := BuyCost(ints(0, 0), b, 0, s); c.GT(sdkmath.NewInt(10_000_000)) {
		t.Fatalf("cost of %s shares %s exceeds the amount", s, c)
	}
	if m, err := MaxLoss(2, b); err != nil || !m.Equal(sdkmath.NewInt(10_000_000)) {
		t.Fatalf("max loss %s, %v; want 10000000 (b·ln 2 = 9999999.72)", m, err)
	}

	// q = (5, 3) → (6, 3) with b = 10 costs 0.562 and moves the price to 0.574.
	b = sdkmath.NewInt(10_000_000)
	c, err := BuyCost(ints(5_000_000, 3_000_000), b, 0, sdkmath.NewInt(1_000_000))
	if err != nil || !c.Equal(sdkmath.NewInt(562_164)) {
		t.Fatalf("cost %s, %v; want 562164 (exact 562163.8)", c, err)
	}
	p, err := Prices(ints(6_000_000, 3_000_000), b)
	if err != nil || p[0].String() != "0.574442516811658987" || p[1].String() != "0.425557483188341013" {
		t.Fatalf("prices %v, %v", p, err)
	}
	sp, err := SellProceeds(ints(6_000_000, 3_000_000), b, 0, sdkmath.NewInt(1_000_000))
	if err != nil || !sp.Equal(sdkmath.NewInt(562_163)) {
		t.Fatalf("proceeds %s, %v; want 562163", sp, err)
	}
}

func TestInitialState(t *testing.T) {
	cases := map[string]struct {
		n      int
		prices []string
	}{
		"two outcomes at one half": {2, []string{"0.500000000000000000", "0.500000000000000000"}},
		"three outcomes, the spare ulp to the first": {3, []string{
			"0.333333333333333334", "0.333333333333333333", "0.333333333333333333"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p, err := Prices(make([]sdkmath.Int, tc.n), sdkmath.NewInt(1000))
			if err == nil {
				t.Fatal("a nil quantity was accepted")
			}
			q := make([]sdkmath.Int, tc.n)
			for j := range q {
				q[j] = sdkmath.ZeroInt()
			}
			p, err = Prices(q, sdkmath.NewInt(1000))
			if err != nil {
				t.Fatal(err)
			}
			for j, want := range tc.prices {
				if p[j].String() != want {
					t.Fatalf("p[%d] = %s, want %s", j, p[j], want)
				}
			}
			c, err := Cost(q, sdkmath.NewInt(1000))
			m, _ := MaxLoss(tc.n, sdkmath.NewInt(1000))
			if err != nil || !c.Equal(m) {
				t.Fatalf("C(0) = %s, %v; want b·ln n rounded up = %s", c, err, m)
			}
		})
	}
}

func TestTradeLimits(t *testing.T) {
	q := ints(2_000, 1_000)
	b := sdkmath.NewInt(1_000)
	cost, next, err := BuyExact(q, b, 1, sdkmath.NewInt(500), sdkmath.NewInt(1_000))
	if err != nil || !next[1].Equal(sdkmath.NewInt(1_500)) || !q[1].Equal(sdkmath.NewInt(1_000)) {
		t.Fatalf("buy: %s %v %v (q %v)", cost, next, err, q)
	}
	if _, _, err := BuyExact(q, b, 1, sdkmath.NewInt(500), cost.SubRaw(1)); !errors.Is(err, ErrSlippage) {
		t.Fatalf("max cost one below the cost: %v", err)
	}
	proceeds, back, err := SellExact(next, b, 1, sdkmath.NewInt(500), sdkmath.ZeroInt())
	if err != nil || !back[1].Equal(q[1]) || proceeds.GT(cost) {
		t.Fatalf("sell back: %s %v %v; bought for %s", proceeds, back, err, cost)
	}
	if _, _, err := SellExact(next, b, 1, sdkmath.NewInt(500), proceeds.AddRaw(1)); !errors.Is(err, ErrSlippage) {
		t.Fatalf("min proceeds one above: %v", err)
	}
	// One share at a price near e^-99 pays nothing.
	if _, _, err := SellExact(ints(100_000, 1_000), b, 1, sdkmath.NewInt(1), sdkmath.ZeroInt()); !errors.Is(err, ErrDustTrade) {
		t.Fatalf("dust sell: %v", err)
	}
}

func TestBadInput(t *testing.T) {
	b := sdkmath.NewInt(1_000)
	one := sdkmath.OneInt()
	q := ints(10, 20, 30)
	cases := map[string]struct {
		call func() error
		want error
	}{
		"one outcome":          {func() error { _, err := Cost(ints(0), b); return err }, ErrOutcomeCount},
		"65 outcomes":          {func() error { _, err := Prices(make([]sdkmath.Int, 65), b); return err }, ErrOutcomeCount},
		"max loss of 65":       {func() error { _, err := MaxLoss(65, b); return err }, ErrOutcomeCount},
		"zero liquidity":       {func() error { _, err := MaxLoss(2, sdkmath.ZeroInt()); return err }, ErrInvalidLiquidity},
		"negative liquidity":   {func() error { _, err := Cost(q, sdkmath.NewInt(-5)); return err }, ErrInvalidLiquidity},
		"missing liquidity":    {func() error { _, err := Cost(q, sdkmath.Int{}); return err }, ErrInvalidLiquidity},
		"liquidity over 2^128": {func() error { _, err := MaxLoss(2, pow2(128).AddRaw(1)); return err }, ErrInvalidLiquidity},
		"negative quantity":    {func() error { _, err := Cost(ints(1, -1), b); return err }, ErrInvalidQuantity},
		"quantity over 2^128": {func() error {
			_, err := Cost([]sdkmath.Int{pow2(128).AddRaw(1), pow2(128)}, pow2(128))
			return err
		}, ErrOverflow},
		"spread over 100·b":             {func() error { _, err := Prices(ints(0, 100_001), b); return err }, ErrPriceRange},
		"unknown outcome":               {func() error { _, err := BuyCost(q, b, 3, one); return err }, ErrUnknownOutcome},
		"negative outcome":              {func() error { _, err := SellProceeds(q, b, -1, one); return err }, ErrUnknownOutcome},
		"zero shares":                   {func() error { _, err := BuyCost(q, b, 0, sdkmath.ZeroInt()); return err }, ErrDustTrade},
		"negative shares":               {func() error { _, err := SellProceeds(q, b, 0, sdkmath.NewInt(-1)); return err }, ErrDustTrade},
		"missing shares":                {func() error { _, err := BuyCost(q, b, 0, sdkmath.Int{}); return err }, ErrDustTrade},
		"amount for an unknown outcome": {func() error { _, err := SharesForAmount(q, b, 7, one); return err }, ErrUnknownOutcome},
		"amount with a bad state":       {func() error { _, err := SharesForAmount(ints(1, -1), b, 0, one); return err }, ErrInvalidQuantity},
		"zero amount":                   {func() error { _, err := SharesForAmount(q, b, 0, sdkmath.ZeroInt()); return err }, ErrDustTrade},
		// A price of 1 − e^-100 with b ≈ 2^121: one share costs 1 − 2^-144,
		// which the safety margin (2^-55) rounds up to 2.
		"amount buying nothing": {func() error {
			bb := sdkmath.NewIntFromBigInt(new(big.Int).Quo(pow2(128).BigInt(), big.NewInt(100))).AddRaw(1)
			_, err := SharesForAmount([]sdkmath.Int{pow2(128).Sub(pow2(20)), sdkmath.ZeroInt()}, bb, 0, one)
			return err
		}, ErrDustTrade},
		"amount at the 2^128 ceiling": {func() error {
			_, err := SharesForAmount([]sdkmath.Int{pow2(128), pow2(128)}, pow2(120), 0, one)
			return err
		}, ErrOverflow},
		"amount past the spread": {func() error { _, err := SharesForAmount(ints(100_000, 0), b, 0, one); return err }, ErrPriceRange},
		"shares over 2^128":      {func() error { _, err := BuyCost(q, b, 0, pow2(128).AddRaw(1)); return err }, ErrOverflow},
		"amount over 2^128":      {func() error { _, err := SharesForAmount(q, b, 0, pow2(129)); return err }, ErrOverflow},
		"q over 2^128 after the buy": {func() error {
			_, err := BuyCost([]sdkmath.Int{pow2(128), pow2(128)}, pow2(120), 0, one)
			return err
		}, ErrOverflow},
		"buy past the spread": {func() error { _, err := BuyCost(ints(0, 0), b, 0, sdkmath.NewInt(100_001)); return err }, ErrPriceRange},
		"sell past the spread": {func() error {
			_, err := SellProceeds(ints(100_001, 100_001), b, 0, sdkmath.NewInt(100_001))
			return err
		}, ErrPriceRange},
		"sell below zero":      {func() error { _, err := SellProceeds(q, b, 0, sdkmath.NewInt(11)); return err }, ErrOverSell},
		"missing max cost":     {func() error { _, _, err := BuyExact(q, b, 0, one, sdkmath.Int{}); return err }, ErrSlippage},
		"missing min proceeds": {func() error { _, _, err := SellExact(q, b, 0, one, sdkmath.Int{}); return err }, ErrSlippage},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if err := tc.call(); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// The largest state the bounds allow still prices and trades.
func TestExtremeBounds(t *testing.T) {
	big128 := pow2(128)
	q := []sdkmath.Int{big128, big128.Sub(pow2(120)), sdkmath.ZeroInt()}
	b := pow2(122) // spread 2^128 / 2^122 = 64 ≤ 100
	if _, err := Prices(q, b); err != nil {
		t.Fatal(err)
	}
	c, err := BuyCost(q, b, 2, pow2(127))
	if err != nil || c.IsZero() {
		t.Fatalf("buy: %s %v", c, err)
	}
	sp, err := SellProceeds(q, b, 0, pow2(127))
	if err != nil || sp.GT(pow2(127)) {
		t.Fatalf("sell: %s %v", sp, err)
	}
	s, err := SharesForAmount(q, b, 2, pow2(100))
	if err != nil || s.IsZero() {
		t.Fatalf("shares for 2^100: %s %v", s, err)
	}
	// b = 1: the smallest liquidity; prices as steep as the spread allows.
	if c, err := BuyCost(ints(100, 0), sdkmath.OneInt(), 1, sdkmath.NewInt(50)); err != nil || !c.Equal(sdkmath.OneInt()) {
		t.Fatalf("b = 1: %s %v; want 1 (exact ≈ e^-50)", c, err)
	}
}

// Near the edge of the price range an outcome's price is 1 − e^-99: a share
// costs just under one unit, so a buy of s pays exactly s (rounded up from
// s − 10^-39) and a sell of s pays s − 1 (rounded down).
func TestNearCertainOutcome(t *testing.T) {
	b := sdkmath.NewInt(1_000_000)
	q := ints(99_000_000, 0)
	s := sdkmath.NewInt(12_345)
	if c, err := BuyCost(q, b, 0, s); err != nil || !c.Equal(s) {
		t.Fatalf("buy %s: %s, %v", s, c, err)
	}
	if p, err := SellProceeds(q, b, 0, s); err != nil || !p.Equal(s.SubRaw(1)) {
		t.Fatalf("sell %s: %s, %v", s, p, err)
	}
	// The other side is nearly free: e^-99 per share rounds up to one unit.
	if c, err := BuyCost(q, b, 1, s); err != nil || !c.Equal(sdkmath.OneInt()) {
		t.Fatalf("buy the long shot: %s, %v", c, err)
	}
}
