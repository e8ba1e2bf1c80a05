package runtime

import "sort"

// TopK: the k largest (or smallest) elements along an axis and their
// int64 indices, in order. The order is total and stable: by value
// (descending for largest, ascending otherwise), equal values by ascending
// index, NaN after every number either way (as ONNX's reference sorts).
// sorted=0 allows any order; this one is the sorted order. K must be known
// when the node compiles.

func init() { register("TopK", buildTopK) }

func buildTopK(n *Node, in []TensorInfo) (*step, error) {
	var k int64
	if n.Opset < 10 {
		if err := wantInputs(n, in, 1, 1); err != nil {
			return nil, err
		}
		var err error
		if k, err = n.attrInt("k", -1); err != nil {
			return nil, err
		}
	} else {
		if err := wantInputs(n, in, 2, 2); err != nil {
			return nil, err
		}
		ks, _, err := constIntsInput(n, in, 1)
		if err != nil {
			return nil, err
		}
		if len(ks) != 1 {
			return nil, n.errorf("K has %d values: want one", len(ks))
		}
		k = ks[0]
	}
	dt := in[0].DType
	if dt != Float32 && !dt.integer() {
		return nil, n.errorf("input is %s: want float32 or an integer type", dt)
	}
	shape := in[0].Shape
	a, err := n.attrInt("axis", -1)
	if err != nil {
		return nil, err
	}
	axis, err := normAxis(n, a, len(shape))
	if err != nil {
		return nil, err
	}
	largest, err := n.attrInt("largest", 1)
	if err != nil {
		return nil, err
	}
	dim := shape[axis]
	if k < 0 || k > int64(dim) {
		return nil, n.errorf("k %d for an axis of %d", k, dim)
	}
	out := append([]int{}, shape...)
	out[axis] = int(k)
	outer, inner := numel(shape[:axis]), numel(shape[axis+1:])
	kk := int(k)
	// a stable sort: n·log²n comparisons
	return &step{outs: []TensorInfo{{DType: dt, Shape: out}, {DType: Int64, Shape: out}}, flops: satMul(i64(numel(shape)), i64(max(1, bitsOf(dim))), i64(max(1, bitsOf(dim)))),
		run: func(x []*Tensor, _ int) []*Tensor {
			vals, idxs := newOf(dt, out), newOf(Int64, out)
			src := x[0]
			order := make([]int, dim)
			before := func(i, j int) bool { // element i strictly before element j
				var c int
				if dt == Float32 {
					a, b := src.F[i], src.F[j]
					switch {
					case a != a || b != b:
						return b != b && a == a // a number before NaN
					case a < b:
						c = -1
					case a > b:
						c = 1
					}
				} else {
					c = compareOf(dt, src.I[i], src.I[j])
				}
				if largest == 1 {
					return c > 0
				}
				return c < 0
			}
			for o := 0; o < outer; o++ {
				for in := 0; in < inner; in++ {
					base := o*dim*inner + in
					for i := range order {
						order[i] = i
					}
					sort.SliceStable(order, func(p, q int) bool {
						return before(base+order[p]*inner, base+order[q]*inner)
					})
					for j := 0; j < kk; j++ {
						dst := (o*kk+j)*inner + in
						vals.put(dst, src, base+order[j]*inner)
						idxs.I[dst] = int64(order[j])
					}
				}
			}
			return []*Tensor{vals, idxs}
		}}, nil
}

// bitsOf is ⌈log2(n+1)⌉: a sort's comparisons per element.
func bitsOf(n int) int {
	b := 0
	for ; n > 0; n >>= 1 {
		b++
	}
	return b
}
