package runtime

// Gather (embeddings): out[i_0..i_(a-1), j..., k...] = data[i..., indices[j...], k...]
// along `axis` (default 0). Indices are int64 or int32 (a runtime input or a
// constant); negative indices count from the end. An index outside the
// axis fails the item's run with an error (data-dependent, so it cannot be
// refused at compile time). Pure data movement: no arithmetic, no params.

import "fmt"

func init() { register("Gather", buildGather) }

func buildGather(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 2, 2); err != nil {
		return nil, err
	}
	if !indexType(in[1].DType) {
		return nil, n.errorf("indices are %s, want int64 or int32", in[1].DType)
	}
	data, idx := in[0].Shape, in[1].Shape
	r := len(data)
	axis, err := n.attrInt("axis", 0)
	if err != nil {
		return nil, err
	}
	if r == 0 || axis < -int64(r) || axis >= int64(r) {
		return nil, n.errorf("axis %d out of range for rank %d", axis, r)
	}
	if axis < 0 {
		axis += int64(r)
	}
	a := int(axis)
	out := append(append(append([]int{}, data[:a]...), idx...), data[a+1:]...)
	if err := checkShape(out); err != nil {
		return nil, n.errorf("output shape: %v", err)
	}
	outer, dim, inner := numel(data[:a]), data[a], numel(data[a+1:])
	nIdx := numel(idx)
	dtype := in[0].DType
	if in[1].Const != nil {
		for _, v := range in[1].Const.I {
			if v < -int64(dim) || v >= int64(dim) {
				return nil, n.errorf("index %d out of range for axis of size %d", v, dim)
			}
		}
	}
	return &step{outs: []TensorInfo{{DType: dtype, Shape: out}}, run: func(x []*Tensor, _ int) []*Tensor {
		t := newOf(dtype, out)
		for j, v := range x[1].I {
			if v < 0 {
				v += int64(dim)
			}
			if v < 0 || v >= int64(dim) {
				// Run recovers this into an error naming the node.
				panic(fmt.Sprintf("index %d out of range for axis of size %d", x[1].I[j], dim))
			}
			for o := 0; o < outer; o++ {
				src := (o*dim + int(v)) * inner
				dst := (o*nIdx + j) * inner
				if dtype.ints() {
					copy(t.I[dst:dst+inner], x[0].I[src:src+inner])
				} else {
					copy(t.F[dst:dst+inner], x[0].F[src:src+inner])
				}
			}
		}
		return []*Tensor{t}
	}}, nil
}
