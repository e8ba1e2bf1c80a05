//go:build amd64

package runtime

import "golang.org/x/sys/cpu"

//go:generate go run ./internal/asmgen .

// cpuKernels is the best level this CPU runs: AVX-512 needs the foundation
// set (512-bit VMULPS/VADDPS, opmask loads and stores); AVX2 needs AVX's
// 256-bit registers and masked moves, saved by the OS.
func cpuKernels() KernelLevel {
	switch {
	case cpu.X86.HasAVX512F:
		return KernelsAVX512
	case cpu.X86.HasAVX2 && cpu.X86.HasAVX:
		return KernelsAVX2
	}
	return KernelsGo
}

// The assembly tiles (gemm_amd64.s, generated): 4 rows or 1, a fixed
// number of columns, or a masked count for the tail. Each takes k ≥ 1
// terms.

//go:noescape
func kern4x16avx2(c0, c1, c2, c3, a0, a1, a2, a3 *float32, aoff, boff *int32, b *float32, k int)

//go:noescape
func kern4x16mavx2(c0, c1, c2, c3, a0, a1, a2, a3 *float32, aoff, boff *int32, b *float32, k int, mask *int32)

//go:noescape
func kern4x8mavx2(c0, c1, c2, c3, a0, a1, a2, a3 *float32, aoff, boff *int32, b *float32, k int, mask *int32)

//go:noescape
func kern1x64avx2(c0, a0 *float32, aoff, boff *int32, b *float32, k int)

//go:noescape
func kern1x8mavx2(c0, a0 *float32, aoff, boff *int32, b *float32, k int, mask *int32)

//go:noescape
func kern4x32avx512(c0, c1, c2, c3, a0, a1, a2, a3 *float32, aoff, boff *int32, b *float32, k int)

//go:noescape
func kern4x32mavx512(c0, c1, c2, c3, a0, a1, a2, a3 *float32, aoff, boff *int32, b *float32, k int, n int)

//go:noescape
func kern4x16mavx512(c0, c1, c2, c3, a0, a1, a2, a3 *float32, aoff, boff *int32, b *float32, k int, n int)

//go:noescape
func kern1x128avx512(c0, a0 *float32, aoff, boff *int32, b *float32, k int)

//go:noescape
func kern1x16mavx512(c0, a0 *float32, aoff, boff *int32, b *float32, k int, n int)

// The Q8_0 matrix-vector tiles (gemm_q8.go): 128 or 16 columns (AVX-512),
// 32 or 8 (AVX2); k a positive multiple of 32, ld the row stride.

//go:noescape
func q8x128avx512(y, x *float32, q *int8, d *float32, k, ld int)

//go:noescape
func q8x16avx512(y, x *float32, q *int8, d *float32, k, ld int)

//go:noescape
func q8x32avx2(y, x *float32, q *int8, d *float32, k, ld int)

//go:noescape
func q8x8avx2(y, x *float32, q *int8, d *float32, k, ld int)

// laneMask: &laneMask[8-n] is the AVX2 mask of the first n lanes.
var laneMask = [16]int32{-1, -1, -1, -1, -1, -1, -1, -1}

func mask8(n int) *int32 { return &laneMask[8-n] }

// tile computes one tile of gemmAcc (rows distinct rows, w ≤ panel
// columns) with the level's kernels.
func tile(rows, w int, c []float32, cr [4]int, a []float32, ar [4]int, aoff []int32, b []float32, boff []int32) {
	k := len(aoff)
	ao, bo := &aoff[0], &boff[0]
	switch {
	case kernels == KernelsAVX512 && rows == 4:
		c0, c1, c2, c3 := &c[cr[0]], &c[cr[1]], &c[cr[2]], &c[cr[3]]
		a0, a1, a2, a3 := &a[ar[0]], &a[ar[1]], &a[ar[2]], &a[ar[3]]
		switch {
		case w == 32:
			kern4x32avx512(c0, c1, c2, c3, a0, a1, a2, a3, ao, bo, &b[0], k)
		case w > 16:
			kern4x32mavx512(c0, c1, c2, c3, a0, a1, a2, a3, ao, bo, &b[0], k, w-16)
		default:
			kern4x16mavx512(c0, c1, c2, c3, a0, a1, a2, a3, ao, bo, &b[0], k, w)
		}
	case kernels == KernelsAVX512:
		for r := range rows {
			j := 0
			for ; j+128 <= w; j += 128 {
				kern1x128avx512(&c[cr[r]+j], &a[ar[r]], ao, bo, &b[j], k)
			}
			for ; j < w; j += 16 {
				kern1x16mavx512(&c[cr[r]+j], &a[ar[r]], ao, bo, &b[j], k, min(16, w-j))
			}
		}
	case kernels == KernelsAVX2 && rows == 4:
		c0, c1, c2, c3 := &c[cr[0]], &c[cr[1]], &c[cr[2]], &c[cr[3]]
		a0, a1, a2, a3 := &a[ar[0]], &a[ar[1]], &a[ar[2]], &a[ar[3]]
		switch {
		case w == 16:
			kern4x16avx2(c0, c1, c2, c3, a0, a1, a2, a3, ao, bo, &b[0], k)
		case w > 8:
			kern4x16mavx2(c0, c1, c2, c3, a0, a1, a2, a3, ao, bo, &b[0], k, mask8(w-8))
		default:
			kern4x8mavx2(c0, c1, c2, c3, a0, a1, a2, a3, ao, bo, &b[0], k, mask8(w))
		}
	case kernels == KernelsAVX2:
		for r := range rows {
			j := 0
			for ; j+64 <= w; j += 64 {
				kern1x64avx2(&c[cr[r]+j], &a[ar[r]], ao, bo, &b[j], k)
			}
			for ; j < w; j += 8 {
				kern1x8mavx2(&c[cr[r]+j], &a[ar[r]], ao, bo, &b[j], k, mask8(min(8, w-j)))
			}
		}
	default:
		tileGo(rows, w, c, cr, a, ar, aoff, b, boff)
	}
}

// q8Vector runs the level's Q8_0 tiles over columns [j0, j1) as far as
// whole tiles reach and returns the first column they left.
func q8Vector(y, x []float32, m *Q8Matrix, j0, j1 int) int {
	j := j0
	switch kernels {
	case KernelsAVX512:
		for ; j+128 <= j1; j += 128 {
			q8x128avx512(&y[j], &x[0], &m.Q[j], &m.D[j], m.K, m.N)
		}
		for ; j+16 <= j1; j += 16 {
			q8x16avx512(&y[j], &x[0], &m.Q[j], &m.D[j], m.K, m.N)
		}
	case KernelsAVX2:
		for ; j+32 <= j1; j += 32 {
			q8x32avx2(&y[j], &x[0], &m.Q[j], &m.D[j], m.K, m.N)
		}
		for ; j+8 <= j1; j += 8 {
			q8x8avx2(&y[j], &x[0], &m.Q[j], &m.D[j], m.K, m.N)
		}
	}
	return j
}
