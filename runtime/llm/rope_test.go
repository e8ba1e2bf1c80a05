package llm

import (
	"math"
	"testing"
)

func TestSinCos(t *testing.T) {
	worst := 0.0
	for i := 0; i < 200000; i++ {
		x := float64(i) * 0.0013 // up to 260 rad: past any context the models use
		s, c := sinCos(x)
		worst = math.Max(worst, math.Max(math.Abs(s-math.Sin(x)), math.Abs(c-math.Cos(x))))
	}
	if worst > 1e-13 {
		t.Fatalf("sinCos is %g from math at worst", worst)
	}
	// Positions reach the largest context (65536) times the fastest rate (1 rad per position).
	for x := 1000.0; x < 70000; x += 0.37 * 997 {
		s, c := sinCos(x)
		if math.Abs(s-math.Sin(x)) > 1e-11 || math.Abs(c-math.Cos(x)) > 1e-11 {
			t.Fatalf("sinCos(%v) = %v, %v", x, s, c)
		}
	}
}

func TestRopeTables(t *testing.T) {
	cosT, sinT := ropeTables(64, 16, 10000, nil)
	for p := 0; p < 64; p++ {
		for i := 0; i < 8; i++ {
			a := float64(p) * math.Pow(10000, -float64(2*i)/16)
			if math.Abs(float64(cosT.F[p*8+i])-math.Cos(a)) > 1e-7 || math.Abs(float64(sinT.F[p*8+i])-math.Sin(a)) > 1e-7 {
				t.Fatalf("p=%d i=%d", p, i)
			}
		}
	}
}
