package main

import (
	"crypto/sha256"
	"fmt"
	"math"

	"github.com/delphi-network/delphi/runtime"
)

// vectorKernels digests the operators the vector tiles compute (MatMul,
// Gemm with transposed operands, Conv with padding, groups, strides and
// dilations) on ragged shapes — widths that are no multiple of any lane
// count, rows left over after the 4-row tiles — with special values among
// the data, so every tile, masked tail and portable remainder is in it.
// crossarch runs it at every kernel level (DELPHI_KERNELS).
func vectorKernels() error {
	h := sha256.New()
	g := &lcg{26}
	special := func(t *runtime.Tensor) *runtime.Tensor {
		vals := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.NaN()), 1e-45, 3e38}
		for i := 0; i < len(t.F); i += 37 {
			t.F[i] = vals[i%len(vals)]
		}
		return t
	}
	for _, s := range [][3]int{{1, 7, 300}, {5, 33, 19}, {13, 130, 71}, {4, 16, 32}, {3, 1, 129}, {37, 64, 9}} {
		M, K, N := s[0], s[1], s[2]
		x := special(g.floats(1<<20, M, K))
		w := g.floats(1<<20, K, N)
		if _, err := digestOp(h, "MatMul", 13, x, []string{"x", "w"}, map[string]*runtime.Tensor{"w": w}, nil, 1, 2); err != nil {
			return err
		}
		wt := g.floats(1<<20, N, K)
		c := g.floats(1<<20, N)
		attrs := map[string]runtime.Attr{"transB": intAttr(1), "alpha": {Kind: runtime.AttrFloat, F: 0.75}}
		if _, err := digestOp(h, "Gemm", 13, x, []string{"x", "w", "c"}, map[string]*runtime.Tensor{"w": wt, "c": c}, attrs, 1, 1); err != nil {
			return err
		}
	}
	for i, cv := range []struct {
		x, w              []int
		pads, strides, dl []int64
		group             int64
	}{
		{[]int{1, 1, 28, 28}, []int{8, 1, 5, 5}, []int64{2, 2, 2, 2}, []int64{1, 1}, []int64{1, 1}, 1},
		{[]int{2, 6, 13, 37}, []int{9, 2, 3, 4}, []int64{1, 0, 2, 3}, []int64{2, 1}, []int64{1, 2}, 3},
		{[]int{1, 3, 9, 70}, []int{5, 3, 2, 3}, []int64{0, 1, 0, 1}, []int64{1, 1}, []int64{2, 1}, 1},
		{[]int{1, 4, 11, 11}, []int{6, 4, 3, 3}, []int64{1, 1, 1, 1}, []int64{2, 2}, []int64{1, 1}, 1},
	} {
		x := special(g.floats(1<<20, cv.x...))
		w := g.floats(1<<20, cv.w...)
		b := g.floats(1<<20, cv.w[0])
		attrs := map[string]runtime.Attr{"pads": intsAttr(cv.pads...), "strides": intsAttr(cv.strides...),
			"dilations": intsAttr(cv.dl...), "group": intAttr(cv.group)}
		if _, err := digestOp(h, "Conv", 13, x, []string{"x", "w", "b"}, map[string]*runtime.Tensor{"w": w, "b": b}, attrs, 1, 1+i%2); err != nil {
			return err
		}
	}
	fmt.Printf("vector kernels sha256=%x\n", h.Sum(nil))
	return nil
}
