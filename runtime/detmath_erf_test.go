package runtime

import (
	"math"
	"testing"
)

// Against math.Erf (float64, the reference for accuracy only): within one
// float32 ulp over a dense sweep, exact at the saturation points.
func TestErfAccuracy(t *testing.T) {
	worst := 0.0
	for i := -50000; i <= 50000; i++ {
		x := float32(i) / 10000 // [-5, 5]
		got := float64(Erf(x))
		want := math.Erf(float64(x))
		ulp := float64(math.Nextafter32(float32(math.Abs(want)), float32(math.Inf(1)))) - math.Abs(float64(float32(want)))
		if ulp == 0 {
			ulp = 1e-45
		}
		if d := math.Abs(got-want) / ulp; d > worst {
			worst = d
		}
	}
	if worst > 1 {
		t.Fatalf("Erf is %.2f float32 ulps from math.Erf at worst", worst)
	}
	if Erf(0) != 0 || Erf(10) != 1 || Erf(-10) != -1 || Erf(float32(math.NaN())) == Erf(float32(math.NaN())) {
		t.Fatal("Erf special values")
	}
}

func TestGeluAccuracy(t *testing.T) {
	for i := -8000; i <= 8000; i++ {
		x := float32(i) / 1000
		xf := float64(x)
		want := 0.5 * xf * (1 + math.Erf(xf/math.Sqrt2))
		if d := math.Abs(float64(Gelu(x)) - want); d > 2e-7*math.Max(1, math.Abs(want)) && d > 1e-12 {
			t.Fatalf("Gelu(%v) = %v, want %v", x, Gelu(x), want)
		}
		wantT := 0.5 * xf * (1 + math.Tanh(math.Sqrt(2/math.Pi)*(xf+0.044715*xf*xf*xf)))
		if d := math.Abs(float64(GeluTanh(x)) - wantT); d > 2e-7*math.Max(1, math.Abs(wantT)) && d > 1e-12 {
			t.Fatalf("GeluTanh(%v) = %v, want %v", x, GeluTanh(x), wantT)
		}
	}
	inf := float32(math.Inf(1))
	if Gelu(inf) != inf || Gelu(-inf) != 0 || GeluTanh(inf) != inf || GeluTanh(-inf) != 0 {
		t.Fatal("Gelu at ±Inf")
	}
}

// TestErfGolden pins the exact bits of Erf, Gelu and GeluTanh (see TestExpGolden).
func TestErfGolden(t *testing.T) {
	var h uint64 = 14695981039346656037
	for _, x := range sweep(-6, 6, 6000) {
		for _, v := range []float32{Erf(x), Gelu(x), GeluTanh(x)} {
			h = (h ^ uint64(math.Float32bits(v))) * 1099511628211
		}
	}
	const want = 0xb90595dbbb5c8fd8
	if h != want {
		t.Fatalf("erf/gelu digest = %#x, want %#x", h, uint64(want))
	}
}
