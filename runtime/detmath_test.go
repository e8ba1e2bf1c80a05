package runtime

import (
	"math"
	"testing"
)

// ulpDiff counts float32 ulps between a and b (same sign assumed finite).
func ulpDiff(a, b float32) int64 {
	ia, ib := int64(math.Float32bits(a)), int64(math.Float32bits(b))
	if d := ia - ib; d < 0 {
		return -d
	} else {
		return d
	}
}

// sweep yields float32 values across [lo, hi] with a fixed step count plus
// a pseudo-random scatter from a simple LCG (no math/rand: reproducible).
func sweep(lo, hi float64, n int) []float32 {
	out := make([]float32, 0, 2*n)
	for i := 0; i <= n; i++ {
		out = append(out, float32(lo+(hi-lo)*float64(i)/float64(n)))
	}
	s := uint64(12345)
	for i := 0; i < n; i++ {
		s = s*6364136223846793005 + 1442695040888963407
		u := float64(s>>11) / (1 << 53)
		out = append(out, float32(lo+(hi-lo)*u))
	}
	return out
}

func TestExpAccuracy(t *testing.T) {
	for _, x := range sweep(-103, 88.7, 20000) {
		want := float32(math.Exp(float64(x)))
		if got := Exp(x); ulpDiff(got, want) > 1 {
			t.Fatalf("Exp(%g) = %g, want %g", x, got, want)
		}
	}
}

func TestLogAccuracy(t *testing.T) {
	xs := append(sweep(1e-30, 10, 20000), sweep(0.5, 2, 20000)...)
	xs = append(xs, 1e-45, 1e-40, 3e38, 1, 2, 0.5)
	for _, x := range xs {
		if x <= 0 {
			continue
		}
		want := float32(math.Log(float64(x)))
		if got := Log(x); ulpDiff(got, want) > 1 {
			t.Fatalf("Log(%g) = %g, want %g", x, got, want)
		}
	}
}

func TestTanhSigmoidAccuracy(t *testing.T) {
	for _, x := range append(sweep(-12, 12, 20000), sweep(-0.01, 0.01, 5000)...) {
		want := float32(math.Tanh(float64(x)))
		if got := Tanh(x); ulpDiff(got, want) > 1 {
			t.Fatalf("Tanh(%g) = %g, want %g", x, got, want)
		}
		ws := float32(1 / (1 + math.Exp(-float64(x))))
		if got := Sigmoid(x); ulpDiff(got, ws) > 1 {
			t.Fatalf("Sigmoid(%g) = %g, want %g", x, got, ws)
		}
	}
}

func TestSpecialValues(t *testing.T) {
	inf := float32(math.Inf(1))
	nan := float32(math.NaN())
	cases := []struct {
		name string
		got  float32
		want float32
	}{
		{"exp(0)", Exp(0), 1},
		{"exp(1)", Exp(1), float32(math.E)},
		{"exp(+inf)", Exp(inf), inf},
		{"exp(-inf)", Exp(-inf), 0},
		{"exp(89)", Exp(89), inf},
		{"log(1)", Log(1), 0},
		{"log(0)", Log(0), -inf},
		{"log(inf)", Log(inf), inf},
		{"tanh(inf)", Tanh(inf), 1},
		{"tanh(-inf)", Tanh(-inf), -1},
		{"tanh(0)", Tanh(0), 0},
		{"sigmoid(0)", Sigmoid(0), 0.5},
		{"sigmoid(-inf)", Sigmoid(-inf), 0},
		{"sqrt(4)", Sqrt(4), 2},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s = %g, want %g", c.name, c.got, c.want)
		}
	}
	for name, v := range map[string]float32{"log(-1)": Log(-1), "exp(nan)": Exp(nan), "tanh(nan)": Tanh(nan), "log(nan)": Log(nan)} {
		if v == v {
			t.Errorf("%s = %g, want NaN", name, v)
		}
	}
}

// TestExpGolden pins exact bits, so a change to the polynomials (which would
// fork consensus) is caught even if it stays within the accuracy bounds.
func TestExpGolden(t *testing.T) {
	var h uint64 = 14695981039346656037
	for _, x := range sweep(-20, 20, 4000) {
		for _, v := range []float32{Exp(x), Log(float32(x*x) + 1), Tanh(x), Sigmoid(x)} {
			h = (h ^ uint64(math.Float32bits(v))) * 1099511628211
		}
	}
	const want = 0x6f2762f879e7dda1
	if h != want {
		t.Fatalf("elementary function digest = %#x, want %#x", h, uint64(want))
	}
}
