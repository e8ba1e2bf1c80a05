//go:build amd64

package runtime

//go:noescape
func reluAVX2(dst, src *float32, n int)

// reluVec is reluSlice with the AVX2 kernel (relu_amd64.s) on the whole
// eights when the level allows it, the same rule on the bits, so the same
// result at every level.
func reluVec(dst, src []float32) {
	src = src[:len(dst)]
	n := len(dst) &^ 7
	if n > 0 && (kernels == KernelsAVX2 || kernels == KernelsAVX512) {
		reluAVX2(&dst[0], &src[0], n)
		reluSlice(dst[n:], src[n:])
		return
	}
	reluSlice(dst, src)
}
