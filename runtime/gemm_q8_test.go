package runtime

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randQ8 is a K×N Q8_0 matrix with quants over the whole int8 range
// (−128 included) and binary16 scales of both signs, from subnormal to
// the largest (65504).
func randQ8(r *rand.Rand, k, n int) *Q8Matrix {
	q := make([]int8, k*n)
	for i := range q {
		q[i] = int8(r.IntN(256) - 128)
	}
	d := make([]float32, k/32*n)
	for i := range d {
		switch r.IntN(8) {
		case 0:
			d[i] = f16ToF32(uint16(r.IntN(0x400)) | uint16(r.IntN(2))<<15) // subnormal
		case 1:
			d[i] = float32(math.Copysign(65504, float64(r.IntN(2)*2-1)))
		default:
			d[i] = f16ToF32(uint16(r.IntN(0x7c00)) | uint16(r.IntN(2))<<15)
		}
	}
	m, err := NewQ8Matrix(k, n, q, d)
	if err != nil {
		panic(err)
	}
	return m
}

// sameCanonical compares float32 bits with every NaN equal (the trace
// hashes NaN canonically).
func sameCanonical(a, b float32) bool {
	return math.Float32bits(a) == math.Float32bits(b) || (a != a && b != b)
}

// TestMatVecQ8BitForBit: at every kernel level, on one and three
// workers, the Q8_0 product equals the float kernels' product over the
// dequantized matrix (At) bit for bit, for ragged column counts around
// every tile width, inputs with ±0, infinities, NaN, subnormals and
// overflowing products, and a y that already holds values.
func TestMatVecQ8BitForBit(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 26))
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)),
		float32(math.NaN()), 1e-40, 3e38, -3e38}
	for _, k := range []int{32, 64, 128, 352} {
		for _, n := range []int{1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 33, 127, 128, 129, 200, 257, 300} {
			m := randQ8(r, k, n)
			w := make([]float32, k*n)
			for tt := range k {
				for j := range n {
					w[tt*n+j] = m.At(tt, j)
				}
			}
			x := make([]float32, k)
			for i := range x {
				x[i] = float32(r.NormFloat64())
				if r.IntN(16) == 0 {
					x[i] = special[r.IntN(len(special))]
				}
			}
			y0 := make([]float32, n)
			for j := range y0 {
				y0[j] = float32(r.NormFloat64())
			}
			want := append([]float32(nil), y0...)
			withKernels(KernelsGo, func() { gemmAcc(1, n, want, n, x, 0, seqOffsets(k, 1), w, seqOffsets(k, n)) })
			for _, l := range levels() {
				for _, workers := range []int{1, 3} {
					got := append([]float32(nil), y0...)
					withKernels(l, func() { MatVecQ8(workers, got, x, m) })
					for j := range got {
						if !sameCanonical(got[j], want[j]) {
							t.Fatalf("%s workers=%d k=%d n=%d: column %d is %v (%08x), the float product %v (%08x)",
								l, workers, k, n, j, got[j], math.Float32bits(got[j]), want[j], math.Float32bits(want[j]))
						}
					}
				}
			}
		}
	}
}

// TestQ8MatrixRefusesBadLayouts: a term count that is not a multiple of
// 32, slices of the wrong size and a non-finite scale are refused, and a
// product with the wrong vector sizes panics rather than reading past
// the matrix.
func TestQ8MatrixRefusesBadLayouts(t *testing.T) {
	for _, c := range []struct {
		k, n, nq, nd int
		bad          float32
	}{{48, 2, 96, 2, 1}, {0, 2, 0, 0, 1}, {32, 2, 63, 2, 1}, {32, 2, 64, 1, 1}, {32, 2, 64, 2, float32(math.Inf(1))}, {32, 2, 64, 2, float32(math.NaN())}} {
		d := make([]float32, c.nd)
		for i := range d {
			d[i] = c.bad
		}
		if _, err := NewQ8Matrix(c.k, c.n, make([]int8, c.nq), d); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
	m, err := NewQ8Matrix(32, 2, make([]int8, 64), []float32{1, 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range [][2]int{{31, 2}, {32, 1}, {33, 3}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("x of %d and y of %d did not panic", c[0], c[1])
				}
			}()
			MatVecQ8(1, make([]float32, c[1]), make([]float32, c[0]), m)
		}()
	}
}

// TestMatVecQ8ChecksItsMatrix: Q8Matrix's fields are exported, so a
// matrix not built by NewQ8Matrix — K not a multiple of 32, too few
// quants or scales — must panic at every level rather than let the
// tiles read past the slices (found by review), and a size whose k·n
// overflows is refused.
func TestMatVecQ8ChecksItsMatrix(t *testing.T) {
	for _, l := range levels() {
		for _, m := range []*Q8Matrix{
			{K: 48, N: 16, Q: make([]int8, 48*16), D: make([]float32, 16)},
			{K: 32, N: 16, Q: make([]int8, 16), D: make([]float32, 16)},
			{K: 64, N: 16, Q: make([]int8, 64*16), D: make([]float32, 16)},
		} {
			x := make([]float32, m.K)
			panicked := func() (p bool) {
				defer func() { p = recover() != nil }()
				withKernels(l, func() { MatVecQ8(1, make([]float32, m.N), x, m) })
				return false
			}()
			if !panicked {
				t.Errorf("%s: K=%d N=%d with %d quants and %d scales ran", l, m.K, m.N, len(m.Q), len(m.D))
			}
		}
	}
	if _, err := NewQ8Matrix(1<<37, 1<<32, nil, nil); err == nil {
		t.Error("a 2^37 × 2^32 matrix with no quants and no scales was accepted")
	}
}
