package lmsr

import (
	"encoding/binary"
	"math/big"
	"testing"

	sdkmath "cosmossdk.io/math"
)

// fuzzState decodes a state from fuzz input. n runs past the allowed range on
// purpose; quantities are multiples of b/4 plus a small offset, so most
// inputs are valid states and some cross every bound.
func fuzzState(n uint8, bRaw uint64, bShift uint8, qRaw []byte) ([]sdkmath.Int, sdkmath.Int) {
	b := new(big.Int).Lsh(new(big.Int).SetUint64(bRaw), uint(bShift%72))
	q := make([]sdkmath.Int, int(n)%(MaxOutcomes+6))
	for j := range q {
		var c [3]byte
		for k := range c {
			if len(qRaw) > 0 {
				c[k] = qRaw[(3*j+k)%len(qRaw)]
			}
		}
		v := new(big.Int).Mul(b, big.NewInt(int64(c[0])%110))
		v.Rsh(v, 2)
		v.Add(v, big.NewInt(int64(binary.LittleEndian.Uint16(c[1:]))))
		q[j] = sdkmath.NewIntFromBigInt(v)
	}
	return q, sdkmath.NewIntFromBigInt(b)
}

func fuzzSize(raw uint64, shift uint8) sdkmath.Int {
	return sdkmath.NewIntFromBigInt(new(big.Int).Lsh(new(big.Int).SetUint64(raw), uint(shift%80)))
}

func seedCorpus(f *testing.F) {
	f.Add(uint8(2), uint64(1000), uint8(0), []byte{0, 0, 0, 4, 0, 0}, uint8(0), uint64(500), uint8(0))
	f.Add(uint8(8), uint64(14_426_950), uint8(10), []byte{1, 2, 3, 90, 5, 6, 7}, uint8(3), uint64(99), uint8(20))
	f.Add(uint8(64), uint64(1), uint8(0), []byte{100, 0, 0, 3}, uint8(63), uint64(7), uint8(0))
	f.Add(uint8(3), ^uint64(0), uint8(64), []byte{109, 255, 255}, uint8(1), ^uint64(0), uint8(64))
	f.Add(uint8(0), uint64(0), uint8(0), []byte{}, uint8(0), uint64(0), uint8(0))
}

func FuzzCost(f *testing.F) {
	seedCorpus(f)
	f.Fuzz(func(t *testing.T, n uint8, bRaw uint64, bShift uint8, qRaw []byte, _ uint8, _ uint64, _ uint8) {
		q, b := fuzzState(n, bRaw, bShift, qRaw)
		c, err := Cost(q, b)
		if err != nil {
			if !isSentinel(err) {
				t.Fatal(err)
			}
			return
		}
		assertUp(t, "Cost", c, refCost(q, b))
	})
}

func FuzzBuyCost(f *testing.F) {
	seedCorpus(f)
	f.Fuzz(func(t *testing.T, n uint8, bRaw uint64, bShift uint8, qRaw []byte, i uint8, sRaw uint64, sShift uint8) {
		q, b := fuzzState(n, bRaw, bShift, qRaw)
		s := fuzzSize(sRaw, sShift)
		c, err := BuyCost(q, b, int(i), s)
		if err != nil {
			if !isSentinel(err) {
				t.Fatal(err)
			}
			return
		}
		assertUp(t, "BuyCost", c, new(big.Float).Sub(refCost(add(q, int(i), s), b), refCost(q, b)))
	})
}

func FuzzSellProceeds(f *testing.F) {
	seedCorpus(f)
	f.Fuzz(func(t *testing.T, n uint8, bRaw uint64, bShift uint8, qRaw []byte, i uint8, sRaw uint64, sShift uint8) {
		q, b := fuzzState(n, bRaw, bShift, qRaw)
		s := fuzzSize(sRaw, sShift)
		p, err := SellProceeds(q, b, int(i), s)
		if err != nil {
			if !isSentinel(err) {
				t.Fatal(err)
			}
			return
		}
		assertDown(t, "SellProceeds", p, new(big.Float).Sub(refCost(q, b), refCost(add(q, int(i), s.Neg()), b)))
		if p.GT(s) {
			t.Fatalf("%s shares sold for %s: more than they can pay out", s, p)
		}
	})
}

func FuzzSharesForAmount(f *testing.F) {
	seedCorpus(f)
	f.Fuzz(func(t *testing.T, n uint8, bRaw uint64, bShift uint8, qRaw []byte, i uint8, aRaw uint64, aShift uint8) {
		q, b := fuzzState(n, bRaw, bShift, qRaw)
		a := fuzzSize(aRaw, aShift)
		s, err := SharesForAmount(q, b, int(i), a)
		if err != nil {
			if !isSentinel(err) {
				t.Fatal(err)
			}
			return
		}
		if c, err := BuyCost(q, b, int(i), s); err != nil || c.GT(a) {
			t.Fatalf("BuyCost(%s) = %s, %v > %s", s, c, err, a)
		}
		if c, err := BuyCost(q, b, int(i), s.AddRaw(1)); err == nil && c.LTE(a) {
			t.Fatalf("s+1 also affordable: %s ≤ %s", c, a)
		}
	})
}

func FuzzPrices(f *testing.F) {
	seedCorpus(f)
	f.Fuzz(func(t *testing.T, n uint8, bRaw uint64, bShift uint8, qRaw []byte, _ uint8, _ uint64, _ uint8) {
		q, b := fuzzState(n, bRaw, bShift, qRaw)
		p, err := Prices(q, b)
		if err != nil {
			if !isSentinel(err) {
				t.Fatal(err)
			}
			return
		}
		sum := sdkmath.LegacyZeroDec()
		for j := range p {
			sum = sum.Add(p[j])
			for k := range p {
				// A larger quantity never has a price lower by more than
				// the one ulp the rounding may move each.
				if q[j].GT(q[k]) && p[j].Add(sdkmath.LegacyNewDecWithPrec(1, 18)).LT(p[k]) {
					t.Fatalf("q[%d] > q[%d] but p %s < %s", j, k, p[j], p[k])
				}
			}
		}
		if !sum.Equal(sdkmath.LegacyOneDec()) {
			t.Fatalf("prices sum to %s", sum)
		}
	})
}

func FuzzMaxLoss(f *testing.F) {
	f.Add(uint8(2), uint64(14_426_950), uint8(0))
	f.Add(uint8(64), ^uint64(0), uint8(64))
	f.Add(uint8(1), uint64(0), uint8(0))
	f.Fuzz(func(t *testing.T, n uint8, bRaw uint64, bShift uint8) {
		b := fuzzSize(bRaw, bShift)
		m, err := MaxLoss(int(n), b)
		if err != nil {
			if !isSentinel(err) {
				t.Fatal(err)
			}
			return
		}
		x := refLn(refFloat().SetInt64(int64(n)))
		assertUp(t, "MaxLoss", m, x.Mul(x, refInt(b.BigIntMut())))
	})
}

// FuzzTradeSequence runs a market from q = 0 through the trades the input
// encodes (three bytes each: kind and outcome, size, size scale) and checks
// solvency after each one, and the round trip on the final state.
// tradeSeeds are FuzzTradeSequence's seed inputs; each trades (see
// TestTradeSeedsTrade).
var tradeSeeds = []struct {
	n      uint8
	bRaw   uint64
	bShift uint8
	ops    []byte
}{
	{2, 1000, 0, []byte{0, 200, 2, 1, 100, 1, 2, 50, 3}},
	{20, 1_000_000, 20, []byte{7, 255, 30, 3, 255, 40, 9, 1, 0, 4, 9, 9}},
	{64, 1, 0, []byte{0, 99, 0, 0, 99, 0, 1, 99, 0}},
}

func FuzzTradeSequence(f *testing.F) {
	for _, s := range tradeSeeds {
		f.Add(s.n, s.bRaw, s.bShift, s.ops)
	}
	f.Fuzz(func(t *testing.T, n uint8, bRaw uint64, bShift uint8, ops []byte) {
		tradeSequence(t, n, bRaw, bShift, ops)
	})
}

// tradeSequence plays ops (three bytes each: kind and outcome, size,
// scale) on a fresh market, checking solvency after each trade and that no
// position round-trips at a profit; it returns the book (nil when the
// liquidity is out of range).
func tradeSequence(t *testing.T, n uint8, bRaw uint64, bShift uint8, ops []byte) *book {
	n = MinOutcomes + n%(MaxOutcomes-MinOutcomes+1)
	b := fuzzSize(bRaw, bShift%70)
	if _, err := checkLiquidity(b); err != nil {
		return nil
	}
	k := newBook(t, int(n), b)
	for o := 0; o+2 < len(ops) && o < 3*64; o += 3 {
		size := fuzzSize(uint64(ops[o+1])+1, ops[o+2]%byte(b.BigIntMut().BitLen()+4))
		k.step(t, int(ops[o]%3), int(ops[o]>>2)%int(n), size)
	}
	for j := range k.q {
		if k.q[j].IsZero() {
			continue
		}
		c, err := BuyCost(k.q, k.b, j, k.q[j])
		if err != nil {
			continue
		}
		back, err := SellProceeds(add(k.q, j, k.q[j]), k.b, j, k.q[j])
		if err != nil || back.GT(c) {
			t.Fatalf("round trip on %d: bought %s for %s, sold for %s (%v)", j, k.q[j], c, back, err)
		}
	}
	return k
}

// TestTradeSeedsTrade: every seed of FuzzTradeSequence has a valid
// liquidity and gets trades through, so the fuzz checks start from real
// trading, not from refusals.
func TestTradeSeedsTrade(t *testing.T) {
	for i, s := range tradeSeeds {
		k := tradeSequence(t, s.n, s.bRaw, s.bShift, s.ops)
		if k == nil || k.ok == 0 {
			t.Fatalf("seed %d trades nothing", i)
		}
		t.Logf("seed %d: %d trades through, %d refused", i, k.ok, k.refused)
	}
}
