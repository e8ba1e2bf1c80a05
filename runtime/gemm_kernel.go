package runtime

import "fmt"

// gemmAcc adds, for rows i in [0, m) and columns j in [0, n),
//
//	c[i*ldc+j] = c[i*ldc+j] + Σ_t float32(a[i*lda+aoff[t]] * b[boff[t]+j])
//
// with the terms t taken in ascending order, each product rounded to
// float32 and then added (the runtime's output-stationary order; see
// simd.go). Offset tables let one kernel serve a plain matrix product
// (aoff[t] = t, boff[t] = t·N), a transposed A (lda 1, aoff[t] = t·M) and a
// convolution (t over the valid (channel, kh, kw) terms of an output row).
// Every index is checked before any assembly reads memory: a bad call
// panics, which Program.Run turns into an error.
func gemmAcc(m, n int, c []float32, ldc int, a []float32, lda int, aoff []int32, b []float32, boff []int32) {
	if m <= 0 || n <= 0 || len(aoff) == 0 {
		return
	}
	checkGemm(m, n, c, ldc, a, lda, aoff, b, boff)
	gemmChecked(m, n, c, ldc, a, lda, aoff, b, boff)
}

// gemmChecked is gemmAcc once checkGemm has passed for these arguments
// (or for a call that contains them: a column range of a checked call).
func gemmChecked(m, n int, c []float32, ldc int, a []float32, lda int, aoff []int32, b []float32, boff []int32) {
	// Column panels: as wide as a 4-row tile; the 1-row tiles of the last
	// rows (or of a vector: m = 1) take the whole width at once.
	panel := 16
	if kernels == KernelsAVX512 {
		panel = 32
	}
	full := m / 4 * 4
	for j0 := 0; j0 < n; j0 += panel {
		w := min(panel, n-j0)
		for i0 := 0; i0 < full; i0 += 4 {
			var cr, ar [4]int
			for r := range 4 {
				cr[r], ar[r] = (i0+r)*ldc+j0, (i0+r)*lda
			}
			tile(4, w, c, cr, a, ar, aoff, b[j0:], boff)
		}
	}
	if rows := m - full; rows > 0 {
		var cr, ar [4]int
		for r := range rows {
			cr[r], ar[r] = (full+r)*ldc, (full+r)*lda
		}
		tile(rows, n, c, cr, a, ar, aoff, b, boff)
	}
}

// checkGemm panics unless every element gemmAcc touches is inside its slice.
func checkGemm(m, n int, c []float32, ldc int, a []float32, lda int, aoff []int32, b []float32, boff []int32) {
	if len(aoff) != len(boff) {
		panic(fmt.Sprintf("gemm: %d A offsets, %d B offsets", len(aoff), len(boff)))
	}
	if ldc < n || lda < 0 || (m-1)*ldc+n > len(c) {
		panic(fmt.Sprintf("gemm: %d×%d output with stride %d in %d elements", m, n, ldc, len(c)))
	}
	for t := range aoff {
		if aoff[t] < 0 || (m-1)*lda+int(aoff[t]) >= len(a) {
			panic(fmt.Sprintf("gemm: A offset %d of %d rows with stride %d outside %d elements", aoff[t], m, lda, len(a)))
		}
		if boff[t] < 0 || int(boff[t])+n > len(b) {
			panic(fmt.Sprintf("gemm: B offset %d of %d columns outside %d elements", boff[t], n, len(b)))
		}
	}
}

// tileGo computes a tile of `rows` distinct rows and w columns in portable
// Go: four independent accumulators per row, each in the canonical order.
func tileGo(rows, w int, c []float32, cr [4]int, a []float32, ar [4]int, aoff []int32, b []float32, boff []int32) {
	for r := range rows {
		cc := c[cr[r] : cr[r]+w]
		ab := a[ar[r]:]
		j := 0
		for ; j+4 <= w; j += 4 {
			s0, s1, s2, s3 := cc[j], cc[j+1], cc[j+2], cc[j+3]
			for t, ao := range aoff {
				av := ab[ao]
				bb := b[int(boff[t])+j : int(boff[t])+j+4]
				s0 = s0 + float32(av*bb[0])
				s1 = s1 + float32(av*bb[1])
				s2 = s2 + float32(av*bb[2])
				s3 = s3 + float32(av*bb[3])
			}
			cc[j], cc[j+1], cc[j+2], cc[j+3] = s0, s1, s2, s3
		}
		for ; j < w; j++ {
			s := cc[j]
			for t, ao := range aoff {
				s = s + float32(ab[ao]*b[int(boff[t])+j])
			}
			cc[j] = s
		}
	}
}

// seqOffsets returns 0, step, 2·step, … (k terms): the offset table of a
// matrix read row after row. An offset beyond int32 panics rather than
// wrapping to a wrong, in-range one (the operators check offsetsFit first).
func seqOffsets(k, step int) []int32 {
	if k > 0 && (step < 0 || !offsetsFit((k-1)*step) || (step > 0 && k-1 > (1<<31-1)/step)) {
		panic(fmt.Sprintf("gemm: offsets of %d terms with step %d do not fit int32", k, step))
	}
	o := make([]int32, k)
	for t := range o {
		o[t] = int32(t * step)
	}
	return o
}

// offsetsFit reports whether offsets up to max fit the int32 tables.
func offsetsFit(max int) bool { return max >= 0 && max < 1<<31-1 }

// GemmAcc is gemmAcc for the runtime's other packages (the language
// model's cached generation path), so they compute products in the
// operators' order with the same kernels. It panics on offsets outside the
// slices.
func GemmAcc(m, n int, c []float32, ldc int, a []float32, lda int, aoff []int32, b []float32, boff []int32) {
	gemmAcc(m, n, c, ldc, a, lda, aoff, b, boff)
}

// GemmAccWorkers is GemmAcc with the columns split among up to workers
// goroutines (parallelFor: each output is computed whole by one of them,
// so the bits do not depend on the split).
func GemmAccWorkers(workers, m, n int, c []float32, ldc int, a []float32, lda int, aoff []int32, b []float32, boff []int32) {
	if m <= 0 || n <= 0 || len(aoff) == 0 {
		return
	}
	checkGemm(m, n, c, ldc, a, lda, aoff, b, boff)
	const chunk = 64 // columns per unit: whole vector tiles
	units := (n + chunk - 1) / chunk
	parallelFor(workers, units, m*chunk*len(aoff), func(lo, hi int) {
		j0, j1 := lo*chunk, min(hi*chunk, n)
		// columns [j0, j1) of the call checked above
		gemmChecked(m, j1-j0, c[j0:], ldc, a, lda, aoff, b[j0:], boff)
	})
}

// SeqOffsets is seqOffsets: 0, step, 2·step, … for k terms.
func SeqOffsets(k, step int) []int32 { return seqOffsets(k, step) }
