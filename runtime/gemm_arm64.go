//go:build arm64

package runtime

// cpuKernels: Advanced SIMD (NEON) is part of every ARMv8-A CPU.
func cpuKernels() KernelLevel { return KernelsNEON }

// The assembly tiles (gemm_arm64.s, generated): 4 rows or 1, 16 or 4
// columns. Each takes k ≥ 1 terms; columns past the last multiple of 4 run
// in tileGo.

//go:noescape
func kern4x16neon(c0, c1, c2, c3, a0, a1, a2, a3 *float32, aoff, boff *int32, b *float32, k int)

//go:noescape
func kern4x4neon(c0, c1, c2, c3, a0, a1, a2, a3 *float32, aoff, boff *int32, b *float32, k int)

//go:noescape
func kern1x16neon(c0, a0 *float32, aoff, boff *int32, b *float32, k int)

//go:noescape
func kern1x4neon(c0, a0 *float32, aoff, boff *int32, b *float32, k int)

// tile computes one tile of gemmAcc (rows distinct rows, w columns).
func tile(rows, w int, c []float32, cr [4]int, a []float32, ar [4]int, aoff []int32, b []float32, boff []int32) {
	if kernels != KernelsNEON {
		tileGo(rows, w, c, cr, a, ar, aoff, b, boff)
		return
	}
	k := len(aoff)
	ao, bo := &aoff[0], &boff[0]
	j := 0
	if rows == 4 {
		a0, a1, a2, a3 := &a[ar[0]], &a[ar[1]], &a[ar[2]], &a[ar[3]]
		for ; j+16 <= w; j += 16 {
			kern4x16neon(&c[cr[0]+j], &c[cr[1]+j], &c[cr[2]+j], &c[cr[3]+j], a0, a1, a2, a3, ao, bo, &b[j], k)
		}
		for ; j+4 <= w; j += 4 {
			kern4x4neon(&c[cr[0]+j], &c[cr[1]+j], &c[cr[2]+j], &c[cr[3]+j], a0, a1, a2, a3, ao, bo, &b[j], k)
		}
	} else {
		for r := range rows {
			jr := 0
			for ; jr+16 <= w; jr += 16 {
				kern1x16neon(&c[cr[r]+jr], &a[ar[r]], ao, bo, &b[jr], k)
			}
			for ; jr+4 <= w; jr += 4 {
				kern1x4neon(&c[cr[r]+jr], &a[ar[r]], ao, bo, &b[jr], k)
			}
			j = jr
		}
	}
	if j < w {
		var tail [4]int
		for r := range rows {
			tail[r] = cr[r] + j
		}
		tileGo(rows, w-j, c, tail, a, ar, aoff, b[j:], boff)
	}
}

// q8Vector: no Q8_0 vector tiles here; q8Go computes every column.
func q8Vector(_, _ []float32, _ *Q8Matrix, j0, _ int) int { return j0 }
