package lmsr

import (
	"errors"
	"math/big"
	"math/rand"
	"testing"

	sdkmath "cosmossdk.io/math"
)

var sentinels = []error{ErrOutcomeCount, ErrUnknownOutcome, ErrInvalidLiquidity, ErrInvalidQuantity,
	ErrDustTrade, ErrOverSell, ErrOverflow, ErrPriceRange, ErrSlippage}

func isSentinel(err error) bool {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// book follows a market from q = 0: the escrowed subsidy and the collateral
// collected from trades.
type book struct {
	q         []sdkmath.Int
	b         sdkmath.Int
	subsidy   sdkmath.Int
	collected sdkmath.Int
	// ok counts the trades that went through, refused the ones refused (a
	// test whose every trade were refused would prove nothing).
	ok, refused int
}

func newBook(t testing.TB, n int, b sdkmath.Int) *book {
	q := make([]sdkmath.Int, n)
	for j := range q {
		q[j] = sdkmath.ZeroInt()
	}
	m, err := MaxLoss(n, b)
	if err != nil {
		t.Fatal(err)
	}
	return &book{q: q, b: b, subsidy: m, collected: sdkmath.ZeroInt()}
}

// step applies one buy (kind 0), sell (1) or spend (2) and checks solvency:
// subsidy + collected ≥ max_i q_i, the payout if outcome i wins.
func (k *book) step(t testing.TB, kind, i int, size sdkmath.Int) {
	before := k.collected
	q := k.q
	defer func() {
		if k.collected.Equal(before) && sameQ(q, k.q) {
			k.refused++
		} else {
			k.ok++
		}
	}()
	switch kind {
	case 0:
		cost, next, err := BuyExact(k.q, k.b, i, size, MaxAmount)
		if err != nil {
			k.expectTyped(t, err)
			return
		}
		k.q, k.collected = next, k.collected.Add(cost)
	case 1:
		proceeds, next, err := SellExact(k.q, k.b, i, size, sdkmath.ZeroInt())
		if err != nil {
			k.expectTyped(t, err)
			return
		}
		k.q, k.collected = next, k.collected.Sub(proceeds)
	default:
		s, err := SharesForAmount(k.q, k.b, i, size)
		if err != nil {
			k.expectTyped(t, err)
			return
		}
		cost, next, err := BuyExact(k.q, k.b, i, s, size)
		if err != nil {
			t.Fatalf("buying the %s shares %s pays for: %v", s, size, err)
		}
		k.q, k.collected = next, k.collected.Add(cost)
	}
	escrow := k.subsidy.Add(k.collected)
	for j, v := range k.q {
		if escrow.LT(v) {
			t.Fatalf("insolvent: escrow %s < payout %s if outcome %d wins (q %v)", escrow, v, j, k.q)
		}
	}
}

func sameQ(a, b []sdkmath.Int) bool {
	for j := range a {
		if !a[j].Equal(b[j]) {
			return false
		}
	}
	return true
}

func (k *book) expectTyped(t testing.TB, err error) {
	if !isSentinel(err) {
		t.Fatalf("untyped error: %v", err)
	}
}

// The market maker's loss never exceeds b·ln N: over random trade sequences,
// collected ≥ C(q) − C(0) exactly (each buy rounds up, each sell down), so the
// loss when outcome i wins, q_i − collected, is at most q_i − C(q) + b·ln N ≤
// b·ln N.
func TestBoundedLossOverSequences(t *testing.T) {
	rng := rand.New(rand.NewSource(21))
	ok, refused := 0, 0
	defer func() {
		// Most random trades must go through, or the bound was checked on
		// nothing.
		t.Logf("%d trades went through, %d were refused", ok, refused)
		if ok < 600 || ok < 2*refused {
			t.Errorf("%d trades went through, %d were refused", ok, refused)
		}
	}()
	for seq := 0; seq < 40; seq++ {
		n := 2 + rng.Intn(7)
		if seq%8 == 0 {
			n = 2 + rng.Intn(63)
		}
		k := newBook(t, n, liquidities[rng.Intn(len(liquidities))])
		for op := 0; op < 30; op++ {
			k.step(t, rng.Intn(3), rng.Intn(n), randSize(rng, k.b))
		}
		ok, refused = ok+k.ok, refused+k.refused
		c0 := refLn(refFloat().SetInt64(int64(n)))
		c0.Mul(c0, refInt(k.b.BigIntMut()))
		exact := new(big.Float).Sub(refCost(k.q, k.b), c0)
		if refInt(k.collected.BigIntMut()).Cmp(exact) < 0 {
			t.Fatalf("collected %s below C(q) − C(0) = %s", k.collected, exact.Text('f', 4))
		}
	}
}

// Path independence: the same buys in two orders reach the same state, and
// each order collects the exact C(q) − C(q0) plus at most its rounding, under
// two base units per trade.
func TestPathIndependence(t *testing.T) {
	rng := rand.New(rand.NewSource(22))
	compared := 0
	defer func() {
		t.Logf("%d of 30 trade sets compared", compared)
		if compared < 20 {
			t.Errorf("only %d of 30 trade sets went through in both orders", compared)
		}
	}()
	for it := 0; it < 30; it++ {
		q0, b := randState(rng)
		type buy struct {
			i int
			s sdkmath.Int
		}
		buys := make([]buy, 2+rng.Intn(6))
		for k := range buys {
			buys[k] = buy{rng.Intn(len(q0)), randSize(rng, b)}
		}
		run := func(order []int) ([]sdkmath.Int, sdkmath.Int, bool) {
			q, total := q0, sdkmath.ZeroInt()
			for _, k := range order {
				c, next, err := BuyExact(q, b, buys[k].i, buys[k].s, MaxAmount)
				if err != nil {
					return nil, total, false
				}
				q, total = next, total.Add(c)
			}
			return q, total, true
		}
		forward := make([]int, len(buys))
		for k := range forward {
			forward[k] = k
		}
		qa, ta, okA := run(forward)
		qb, tb, okB := run(rng.Perm(len(buys)))
		if !okA || !okB {
			continue
		}
		compared++
		for j := range qa {
			if !qa[j].Equal(qb[j]) {
				t.Fatalf("orders reach different states %v %v", qa, qb)
			}
		}
		exact := new(big.Float).Sub(refCost(qa, b), refCost(q0, b))
		slack := refFloat().SetInt64(int64(2 * len(buys)))
		for _, total := range []sdkmath.Int{ta, tb} {
			tf := refInt(total.BigIntMut())
			if tf.Cmp(exact) < 0 || new(big.Float).Sub(tf, exact).Cmp(slack) >= 0 {
				t.Fatalf("collected %s, exact path cost %s", total, exact.Text('f', 4))
			}
		}
	}
}
