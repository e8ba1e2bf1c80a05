package lmsr

import (
	"math/big"
	"math/rand"
	"testing"
)

// toRef converts a fixed-point value to the reference type.
func toRef(v *big.Int) *big.Float {
	f := refInt(v)
	return f.SetMantExp(f, -fracBits)
}

// ulpsOff returns |got − want·2^fracBits| in ulps.
func ulpsOff(got *big.Int, want *big.Float) *big.Float {
	w := refFloat().SetMantExp(want, fracBits)
	d := refFloat().Sub(refInt(got), w)
	return d.Abs(d)
}

func TestExpNegWithin32Ulps(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	limit := refFloat().SetInt64(32)
	cases := []*big.Int{new(big.Int), big.NewInt(1), new(big.Int).Set(fixedOne),
		new(big.Int).Rsh(ln2Guard, guardBits), new(big.Int).Mul(big.NewInt(100), fixedOne)}
	for n := 0; n < 400; n++ {
		// y = u·2^e with u a random 192-bit value and e in [-200, 8]: from
		// tiny arguments to e^-256, past the cutoff.
		u := new(big.Int).Rand(rng, fixedOne)
		e := rng.Intn(209) - 200
		if e >= 0 {
			u.Lsh(u, uint(e))
		} else {
			u.Rsh(u, uint(-e))
		}
		cases = append(cases, u)
	}
	worst := refFloat()
	for _, y := range cases {
		got := expNeg(y)
		want := refExp(toRef(y).Neg(toRef(y)))
		off := ulpsOff(got, want)
		if off.Cmp(worst) > 0 {
			worst = off
		}
		if off.Cmp(limit) > 0 {
			t.Fatalf("exp(-%s): %s ulps off", toRef(y).Text('g', 30), off.Text('g', 5))
		}
		if got.Cmp(fixedOne) > 0 {
			t.Fatalf("exp(-%s) > 1", toRef(y).Text('g', 30))
		}
	}
	t.Logf("worst exp error: %s ulps", worst.Text('g', 4))
	if expNeg(new(big.Int)).Cmp(fixedOne) != 0 {
		t.Fatal("exp(0) is not exactly 1")
	}
}

func TestLnWithin32Ulps(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	limit := refFloat().SetInt64(32)
	cases := []*big.Int{new(big.Int).Set(fixedOne), big.NewInt(1), new(big.Int).Lsh(fixedOne, 1),
		new(big.Int).Add(fixedOne, big.NewInt(1)), new(big.Int).Sub(fixedOne, big.NewInt(1))}
	for n := 0; n < 400; n++ {
		u := new(big.Int).Rand(rng, fixedOne)
		u.Add(u, big.NewInt(1))
		e := rng.Intn(340) - 180
		if e >= 0 {
			u.Lsh(u, uint(e))
		} else {
			u.Rsh(u, uint(-e))
		}
		if u.Sign() == 0 {
			continue
		}
		cases = append(cases, u)
	}
	worst := refFloat()
	for _, x := range cases {
		got := ln(x)
		want := refLn(toRef(x))
		off := ulpsOff(got, want)
		if off.Cmp(worst) > 0 {
			worst = off
		}
		if off.Cmp(limit) > 0 {
			t.Fatalf("ln(%s): %s ulps off", toRef(x).Text('g', 30), off.Text('g', 5))
		}
	}
	t.Logf("worst ln error: %s ulps", worst.Text('g', 4))
	if ln(fixedOne).Sign() != 0 {
		t.Fatal("ln(1) is not exactly 0")
	}
}

func TestTablesAgainstReference(t *testing.T) {
	ln2 := refInt(ln2Guard)
	ln2.SetMantExp(ln2, -(fracBits + guardBits))
	d := refFloat().Sub(ln2, refLn2)
	if d.Abs(d).Cmp(refFloat().SetMantExp(refFloat().SetInt64(1), -(fracBits+guardBits-16))) > 0 {
		t.Fatalf("ln 2 off by %s", d.Text('g', 5))
	}
	// Rounded to nearest from values good to 2^-270: half an ulp and a hair.
	half := refFloat().SetFloat64(0.501)
	for l := range expTab {
		for j, v := range expTab[l] {
			x := refFloat().SetInt64(int64(-j))
			x.SetMantExp(x, -expLevelBits*(l+1))
			if off := ulpsOff(v, refExp(x)); off.Cmp(half) > 0 {
				t.Fatalf("expTab[%d][%d] %s ulps off", l, j, off.Text('g', 5))
			}
		}
	}
	for j, v := range lnInv2 {
		want := refLn(toRef(invTab2[j]))
		if off := ulpsOff(v, want.Neg(want)); off.Cmp(half) > 0 {
			t.Fatalf("lnInv2[%d] %s ulps off", j, off.Text('g', 5))
		}
	}
}
