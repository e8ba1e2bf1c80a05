//go:build amd64

package runtime

//go:noescape
func maxPool2AVX2(dst, r0, r1 *float32, n int)

// maxPool2Row is MaxPool over the window rows r0 and r1 for the outputs
// dst, each 2 columns wide at stride 2 (dst[j] from r0[2j:2j+2] and
// r1[2j:2j+2]), in poolInside's tap order. It returns how many leading
// outputs it wrote: the whole eights, where the level runs the AVX2 kernel
// (pool_amd64.s), else none.
func maxPool2Row(dst, r0, r1 []float32) int {
	n := len(dst) &^ 7
	if n == 0 || (kernels != KernelsAVX2 && kernels != KernelsAVX512) || len(r0) < 2*n || len(r1) < 2*n {
		return 0
	}
	maxPool2AVX2(&dst[0], &r0[0], &r1[0], n)
	return n
}
