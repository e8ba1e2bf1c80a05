package runtime

import (
	"math"
	"math/rand"
	"testing"
)

// TestReluVecIsReluSlice: the vector ReLU gives reluSlice's bits at every
// kernel level this CPU runs, on random bit patterns with the specials
// (±0, ±Inf, NaNs of either sign and any payload, subnormals) and every
// length up to a few vectors, ragged tails included.
func TestReluVecIsReluSlice(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	specials := []uint32{0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001,
		0x00000001, 0x80000001, 0x007fffff, 0x807fffff, 0x3f800000, 0xbf800000}
	levels := []KernelLevel{KernelsGo, cpuKernels()}
	if cpuKernels() == KernelsAVX512 {
		levels = append(levels, KernelsAVX2)
	}
	for n := 0; n <= 70; n++ {
		src := make([]float32, n)
		for i := range src {
			b := r.Uint32()
			if r.Intn(3) == 0 {
				b = specials[r.Intn(len(specials))]
			}
			src[i] = math.Float32frombits(b)
		}
		want := make([]float32, n)
		reluSlice(want, src)
		for _, l := range levels {
			old := setKernels(l)
			got := make([]float32, n)
			reluVec(got, src)
			setKernels(old)
			for i := range got {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("level %s, n=%d: relu(%08x) = %08x, want %08x", l, n, math.Float32bits(src[i]),
						math.Float32bits(got[i]), math.Float32bits(want[i]))
				}
			}
		}
	}
	// The reference rule itself, on the specials.
	for _, c := range []struct{ in, out uint32 }{{0x80000000, 0}, {0xff800000, 0}, {0xffc00000, 0xffc00000}, {0xbf800000, 0}, {0x3f800000, 0x3f800000}} {
		var d [1]float32
		reluVec(d[:], []float32{math.Float32frombits(c.in)})
		if math.Float32bits(d[0]) != c.out {
			t.Fatalf("relu(%08x) = %08x, want %08x", c.in, math.Float32bits(d[0]), c.out)
		}
	}
}
