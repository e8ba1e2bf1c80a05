package runtime

import (
	"math"
	"testing"
)

// TestHasNaNFindsEveryNaN: the word-at-a-time scan agrees with v != v for
// a NaN of every kind (quiet, signalling, negative, all ones) at every
// position of slices of every length up to 40, at both alignments, and
// is not fooled by infinities, the largest finite values or −0.
func TestHasNaNFindsEveryNaN(t *testing.T) {
	clean := []uint32{0x7f800000, 0xff800000, 0x7f7fffff, 0xff7fffff, 0x80000000, 0, 0x00000001, 0x3f800000}
	nans := []uint32{0x7f800001, 0x7fc00000, 0xffc00000, 0xffffffff, 0x7fffffff, 0xff800001}
	backing := make([]float32, 48)
	for off := range 2 {
		for n := 0; n <= 40; n++ {
			f := backing[off : off+n]
			for i := range f {
				f[i] = math.Float32frombits(clean[i%len(clean)])
			}
			if hasNaN(f) {
				t.Fatalf("offset %d length %d: no NaN, hasNaN says one", off, n)
			}
			for pos := range f {
				for _, bits := range nans {
					keep := f[pos]
					f[pos] = math.Float32frombits(bits)
					if !hasNaN(f) {
						t.Fatalf("offset %d length %d: NaN %08x at %d missed", off, n, bits, pos)
					}
					f[pos] = keep
				}
			}
		}
	}
}
