package runtime

import (
	"math"
	"testing"
)

// largeArgs are float32 values from 1 to the largest finite float32 and
// their negatives, for the reductions beyond the Cody–Waite range.
func largeArgs() []float32 {
	var xs []float32
	for v := 1.0; v < math.MaxFloat32; v *= 1.37 {
		xs = append(xs, float32(v), -float32(v), math.Nextafter32(float32(v), 0))
	}
	return append(xs, math.MaxFloat32, -math.MaxFloat32, 1<<18, -(1 << 18), math.Nextafter32(1<<18, 0))
}

// TestTrigAccuracy: within one float32 ulp of math's float64 functions
// (which reduce large arguments exactly too) everywhere float32 reaches.
func TestTrigAccuracy(t *testing.T) {
	check := func(name string, f func(float32) float32, ref func(float64) float64, xs []float32) {
		t.Helper()
		for _, x := range xs {
			want := float32(ref(float64(x)))
			got := f(x)
			if want != want && got != got {
				continue
			}
			if math.IsInf(float64(want), 0) && got == want {
				continue
			}
			if ulpDiff(got, want) > 1 || (got < 0) != (want < 0) && want != 0 {
				t.Fatalf("%s(%g) = %g, want %g", name, x, got, want)
			}
		}
	}
	wide := append(append(sweep(-10, 10, 20000), sweep(-1e6, 1e6, 20000)...), largeArgs()...)
	check("Sin", Sin, math.Sin, wide)
	check("Cos", Cos, math.Cos, wide)
	check("Tan", Tan, math.Tan, wide)
	unit := append(sweep(-1, 1, 20000), -1, 1, 1e-30, -1e-30, 0.9999999, -0.9999999)
	check("Asin", Asin, math.Asin, unit)
	check("Acos", Acos, math.Acos, unit)
	check("Atanh", Atanh, math.Atanh, unit)
	check("Atan", Atan, math.Atan, append(append(wide, sweep(-1e-3, 1e-3, 5000)...), 1e-40, -1e-40))
	hyp := append(append(sweep(-89, 89, 20000), sweep(-1e-3, 1e-3, 5000)...), 1e-40, -1e-40, 0.5, -0.5, math.Nextafter32(0.5, 0))
	check("Sinh", Sinh, math.Sinh, hyp)
	check("Cosh", Cosh, math.Cosh, hyp)
	check("Asinh", Asinh, math.Asinh, append(append(hyp, wide...), 1e-40))
	check("Acosh", Acosh, math.Acosh, append(append(sweep(1, 3, 20000), sweep(1, 1e30, 20000)...), math.Nextafter32(1, 2), math.MaxFloat32))
}

func TestTrigSpecialValues(t *testing.T) {
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	isNaN := func(v float32) bool { return v != v }
	for name, v := range map[string]float32{
		"Sin(Inf)": Sin(inf), "Cos(-Inf)": Cos(-inf), "Tan(NaN)": Tan(nan), "Asin(1.5)": Asin(1.5),
		"Acos(-2)": Acos(-2), "Acosh(0.5)": Acosh(0.5), "Atanh(2)": Atanh(2), "Atan(NaN)": Atan(nan),
		"Sinh(NaN)": Sinh(nan), "Asinh(NaN)": Asinh(nan),
	} {
		if !isNaN(v) {
			t.Errorf("%s = %g, want NaN", name, v)
		}
	}
	for _, c := range []struct {
		name      string
		got, want float32
	}{
		{"Atan(Inf)", Atan(inf), float32(math.Pi / 2)}, {"Atan(-Inf)", Atan(-inf), -float32(math.Pi / 2)},
		{"Sinh(-Inf)", Sinh(-inf), -inf}, {"Cosh(-Inf)", Cosh(-inf), inf}, {"Asinh(-Inf)", Asinh(-inf), -inf},
		{"Acosh(Inf)", Acosh(inf), inf}, {"Atanh(1)", Atanh(1), inf}, {"Atanh(-1)", Atanh(-1), -inf},
		{"Acos(-1)", Acos(-1), float32(math.Pi)}, {"Acos(1)", Acos(1), 0}, {"Asin(-1)", Asin(-1), -float32(math.Pi / 2)},
		{"Sin(0)", Sin(0), 0}, {"Cos(0)", Cos(0), 1}, {"Acosh(1)", Acosh(1), 0},
	} {
		if c.got != c.want {
			t.Errorf("%s = %g, want %g", c.name, c.got, c.want)
		}
	}
	negZero := float32(math.Copysign(0, -1))
	for name, f := range map[string]func(float32) float32{"Sin": Sin, "Tan": Tan, "Atan": Atan, "Asin": Asin, "Sinh": Sinh, "Asinh": Asinh, "Atanh": Atanh} {
		if v := f(negZero); math.Float32bits(v) != 1<<31 {
			t.Errorf("%s(-0) = %g, want -0", name, v)
		}
	}
}

// TestTrigGolden pins exact bits, so a change to a polynomial or a
// reduction (which would fork consensus) is caught even within accuracy.
func TestTrigGolden(t *testing.T) {
	var h uint64 = 14695981039346656037
	xs := append(sweep(-20, 20, 4000), largeArgs()...)
	for _, x := range xs {
		u := float32(math.Mod(float64(x), 1))
		for _, v := range []float32{Sin(x), Cos(x), Tan(x), Atan(x), Asinh(x), Sinh(u * 20), Cosh(u * 20),
			Asin(u), Acos(u), Atanh(u), Acosh(1 + float32(math.Abs(float64(x))))} {
			h = (h ^ uint64(math.Float32bits(v))) * 1099511628211
		}
	}
	const want = 0x62b1a06ec7ec1c80
	if h != want {
		t.Fatalf("trigonometric digest = %#x, want %#x", h, uint64(want))
	}
}
