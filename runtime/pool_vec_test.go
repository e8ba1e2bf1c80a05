package runtime

import (
	"math"
	"math/rand"
	"testing"
)

// TestMaxPool2VecIsTheDocumentedOrder: the vector 2×2, stride-2 MaxPool
// gives the portable code's bits at every kernel level this CPU runs, on
// planes of random bits full of the cases its order decides (NaNs of both
// signs and different payloads, where the last NaN taken wins; +0 and −0,
// where the first of equal maxima stays; ±Inf), for every row width up to
// a few vectors (ragged tails) and dilated window rows.
func TestMaxPool2VecIsTheDocumentedOrder(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	specials := []uint32{0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fc00123, 0xff800001, 0x3f800000, 0xbf800000}
	levels := []KernelLevel{cpuKernels()}
	if cpuKernels() == KernelsAVX512 {
		levels = append(levels, KernelsAVX2)
	}
	for W := 2; W <= 80; W++ {
		for _, dil := range []int{1, 2} {
			H := 2 + dil
			src := make([]float32, H*W)
			for i := range src {
				b := r.Uint32()
				switch r.Intn(4) {
				case 0:
					b = specials[r.Intn(len(specials))]
				case 1:
					b = uint32(r.Intn(3)) << 30 // a few repeated values: ties
				}
				src[i] = math.Float32frombits(b)
			}
			wh := window{in: H, out: 1, k: 2, stride: 2, dil: dil}
			ww := window{in: W, out: W / 2, k: 2, stride: 2, dil: 1}
			old := setKernels(KernelsGo)
			want := make([]float32, ww.out)
			poolInsideRow(src, W, wh, ww, 0, 0, want, true)
			setKernels(old)
			for _, l := range levels {
				old := setKernels(l)
				got := make([]float32, ww.out)
				poolInsideRow(src, W, wh, ww, 0, 0, got, true)
				setKernels(old)
				for j := range got {
					if math.Float32bits(got[j]) != math.Float32bits(want[j]) {
						t.Fatalf("level %s, W=%d, dilation %d: output %d = %08x, want %08x", l, W, dil, j,
							math.Float32bits(got[j]), math.Float32bits(want[j]))
					}
				}
			}
		}
	}
}
