package zoo

import (
	"math"
	"testing"

	"github.com/delphi-network/delphi/runtime"
)

func TestZooMNISTGolden(t *testing.T) {
	b, err := MNIST()
	if err != nil {
		t.Fatal(err)
	}
	m, err := runtime.LoadModel(b, runtime.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < 3; k++ {
		inB, outB, err := Golden(k)
		if err != nil {
			t.Fatal(err)
		}
		x, err := runtime.ParseTensor(inB, runtime.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		want, err := runtime.ParseTensor(outB, runtime.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		got, err := m.Predict(x, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.F) != len(want.F) {
			t.Fatalf("set %d: %d outputs, want %d", k, len(got.F), len(want.F))
		}
		for i := range want.F {
			if d := math.Abs(float64(got.F[i] - want.F[i])); d > 1e-4*math.Max(1, math.Abs(float64(want.F[i]))) {
				t.Fatalf("set %d output %d = %v, golden %v", k, i, got.F[i], want.F[i])
			}
		}
	}
}
