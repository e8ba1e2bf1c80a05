package runtime

import (
	"math"
	"testing"
)

// TestTransposeFloatsMovesEveryElement checks the row-wise float32
// Transpose against the definition y[i_perm] = x[i] on random shapes and
// permutations, with NaN payloads and −0 (moved, never computed), on one
// to three workers (the [5, 96, 100] shapes are large enough that the
// workers split the rows, so a chunk starts mid-tensor).
func TestTransposeFloatsMovesEveryElement(t *testing.T) {
	s := lcg(7)
	pick := func(n int) int { s.float(); return int(uint64(s) >> 33 % uint64(n)) }
	for trial := 0; trial < 300; trial++ {
		r := 1 + pick(5)
		shape := make([]int, r)
		for d := range shape {
			shape[d] = 1 + pick(6)
		}
		if trial%50 == 0 { // big enough that the workers split the rows
			shape = []int{5, 96, 100}[:min(r, 3)]
			r = len(shape)
		}
		perm := make([]int64, r)
		for d := range perm {
			perm[d] = int64(d)
		}
		for d := r - 1; d > 0; d-- {
			e := pick(d + 1)
			perm[d], perm[e] = perm[e], perm[d]
		}
		x := randT(uint64(trial)+1, shape...)
		x.F[0] = float32(math.Copysign(0, -1))
		if len(x.F) > 2 {
			x.F[len(x.F)-1] = math.Float32frombits(0x7fc0_1234)
		}
		src := strides(shape)
		out := make([]int, r)
		for d := range out {
			out[d] = shape[perm[d]]
		}
		dst := strides(out)
		want := make([]uint32, len(x.F))
		idx := make([]int, r)
		for i := range x.F {
			rest := i
			for d := 0; d < r; d++ {
				idx[d] = rest / src[d]
				rest %= src[d]
			}
			o := 0
			for d := range out {
				o += idx[perm[d]] * dst[d]
			}
			want[o] = math.Float32bits(x.F[i])
		}
		for _, w := range []int{1, 2, 3} {
			y, err := runOp(t, &Node{OpType: "Transpose", Attrs: map[string]Attr{"perm": ints(perm...)}}, []*Tensor{x}, w)
			if err != nil {
				t.Fatal(err)
			}
			if !sameShape(y.Shape, out) {
				t.Fatalf("shape %v perm %v: got %v, want %v", shape, perm, y.Shape, out)
			}
			for i, v := range y.F {
				if math.Float32bits(v) != want[i] {
					t.Fatalf("shape %v perm %v workers %d: element %d is %08x, want %08x", shape, perm, w, i, math.Float32bits(v), want[i])
				}
			}
		}
	}
}
