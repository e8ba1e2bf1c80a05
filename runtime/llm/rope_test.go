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
}

func TestRopeTables(t *testing.T) {
	cosT, sinT := ropeTables(64, 16, 10000)
	for p := 0; p < 64; p++ {
		for i := 0; i < 8; i++ {
			a := float64(p) * math.Pow(10000, -float64(2*i)/16)
			if math.Abs(float64(cosT.F[p*8+i])-math.Cos(a)) > 1e-7 || math.Abs(float64(sinT.F[p*8+i])-math.Sin(a)) > 1e-7 {
				t.Fatalf("p=%d i=%d", p, i)
			}
		}
	}
}
