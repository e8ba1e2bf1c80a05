//go:build !amd64 && !arm64

package runtime

// cpuKernels: this architecture has only the portable kernels.
func cpuKernels() KernelLevel { return KernelsGo }

// tile computes one tile of gemmAcc in portable Go.
func tile(rows, w int, c []float32, cr [4]int, a []float32, ar [4]int, aoff []int32, b []float32, boff []int32) {
	tileGo(rows, w, c, cr, a, ar, aoff, b, boff)
}

// q8Vector: no Q8_0 vector tiles here; q8Go computes every column.
func q8Vector(_, _ []float32, _ *Q8Matrix, j0, _ int) int { return j0 }
