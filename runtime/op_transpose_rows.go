package runtime

// transposeFloats is Transpose for float32 data: output rows (the last
// output axis) at a time, each read at the input's stride for that axis,
// rows split among the workers. It moves values only, so the bits are the
// generic path's.
func transposeFloats(src, out, perm []int) *step {
	r := len(out)
	st := strides(src)
	// from[d]: the input stride of output axis d
	from := make([]int, r)
	for d := range perm {
		from[d] = st[perm[d]]
	}
	width, inner := out[r-1], from[r-1]
	rows := numel(out) / width
	return &step{outs: floatOut(out), fresh: true, run: func(x []*Tensor, workers int) []*Tensor {
		t := newUnclearedTensor(out) // every row is written whole
		X := x[0].F
		parallelFor(workers, rows, width, func(lo, hi int) {
			// the input offset of row lo's first element
			idx := make([]int, r-1)
			off := 0
			for d, rest := r-2, lo; d >= 0; d-- {
				idx[d] = rest % out[d]
				rest /= out[d]
				off += idx[d] * from[d]
			}
			for row := lo; row < hi; row++ {
				dst := t.F[row*width : (row+1)*width]
				if inner == 1 {
					copy(dst, X[off:off+width])
				} else {
					for j, o := 0, off; j < width; j, o = j+1, o+inner {
						dst[j] = X[o]
					}
				}
				for d := r - 2; d >= 0; d-- {
					off += from[d]
					if idx[d]++; idx[d] < out[d] {
						break
					}
					off -= idx[d] * from[d]
					idx[d] = 0
				}
			}
		})
		return []*Tensor{t}
	}}
}
