//go:build amd64

package runtime

//go:noescape
func maxPool2AVX2(dst, r0, r1 *float32, n int)

// maxPool2Row is MaxPool over the window rows r0 and r1 for the outputs
// dst, each 2 columns wide at stride 2 (dst[j] from r0[2j:2j+2] and
// r1[2j:2j+2]), in poolInside's tap order. It returns how many leading
// outputs it wrote: all of them where the level runs the AVX2 kernel
// (pool_amd64.s), else none. The last few (a 14-wide row's 6) go through
// the kernel from a copy of their taps; the other lanes' results are
// dropped.
func maxPool2Row(dst, r0, r1 []float32) int {
	m := len(dst)
	if m == 0 || (kernels != KernelsAVX2 && kernels != KernelsAVX512) || len(r0) < 2*m || len(r1) < 2*m {
		return 0
	}
	n := m &^ 7
	if n > 0 {
		maxPool2AVX2(&dst[0], &r0[0], &r1[0], n)
	}
	if n < m {
		var t0, t1 [16]float32
		var out [8]float32
		copy(t0[:], r0[2*n:2*m])
		copy(t1[:], r1[2*n:2*m])
		maxPool2AVX2(&out[0], &t0[0], &t1[0], 8)
		copy(dst[n:], out[:m-n])
	}
	return m
}
