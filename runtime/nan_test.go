package runtime

import (
	"crypto/sha256"
	"math"
	"testing"
)

// TestNaNHashesTheSameOnEveryCPU: a NaN's bits depend on the CPU that made
// it (Sqrt(−1) is 0xffc00000 on amd64, 0x7fc00000 on arm64); the trace and
// the weight tree see one canonical NaN, so honest validators on different
// CPUs agree on a model that produces NaN.
func TestNaNHashesTheSameOnEveryCPU(t *testing.T) {
	mk := func(bits uint32) *Tensor {
		x, err := FromFloats([]int{3}, []float32{1, math.Float32frombits(bits), -2})
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	want := OutputHash(mk(CanonicalNaN))
	for _, bits := range []uint32{0xffc00000, 0x7fc00001, 0xff800001, 0x7fffffff} {
		x := mk(bits)
		if OutputHash(x) != want {
			t.Fatalf("NaN %08x hashes differently", bits)
		}
		if b := x.Bytes(); b[4] != 0x00 || b[5] != 0x00 || b[6] != 0xc0 || b[7] != 0x7f {
			t.Fatalf("NaN %08x encodes as % x", bits, b[4:8])
		}
	}
	// The in-place path (no NaN) and the NaN path both hash Bytes.
	for _, x := range []*Tensor{mk(math.Float32bits(5)), mk(0xffc00000)} {
		if OutputHash(x) != sha256.Sum256(x.Bytes()) {
			t.Fatalf("OutputHash is not SHA-256 of Bytes for %v", x.F)
		}
	}
	// An invalid operation's NaN, whatever this CPU makes, hashes canonically.
	z, err := runOp(t, node("Sqrt", nil), []*Tensor{mustT(t, []int{3}, 1, -1, -2)}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if OutputHash(z) != OutputHash(mustT(t, []int{3}, 1, math.Float32frombits(CanonicalNaN), math.Float32frombits(CanonicalNaN))) {
		t.Fatal("Sqrt(-1) does not hash as the canonical NaN")
	}
}
