package llm

import (
	"math"
	"testing"

	"github.com/delphi-network/delphi/runtime"
)

// TestValueLeafNaNIsCanonical: a log-likelihood that is NaN (the CPU's own
// NaN, whose sign bit differs between amd64 and arm64) hashes the same
// whatever its bits.
func TestValueLeafNaNIsCanonical(t *testing.T) {
	want := runtime.OutputHash(ValueTensor(math.Float64frombits(CanonicalNaN64)))
	for _, bits := range []uint64{0xfff8000000000000, 0x7ff8000000000001, 0xfff0000000000001} {
		if runtime.OutputHash(ValueTensor(math.Float64frombits(bits))) != want {
			t.Fatalf("NaN %016x hashes differently", bits)
		}
	}
	inf := math.Inf(1)
	if runtime.OutputHash(ValueTensor(inf-inf)) != want {
		t.Fatal("this CPU's Inf − Inf hashes differently")
	}
	if runtime.OutputHash(ValueTensor(-1.5)) == want {
		t.Fatal("a number hashes as NaN")
	}
}
