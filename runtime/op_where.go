package runtime

import "fmt"

// Conditions: the comparisons Equal, Less, LessOrEqual, Greater and
// GreaterOrEqual (float32 or int64 operands, a bool result), Not, and
// Where, which picks from X where the condition holds and from Y elsewhere
// (exported transformers build their causal and padding masks this way).
// No element does arithmetic, so there is no order to fix; comparisons
// follow IEEE 754 (anything compared with NaN is false, -0 equals +0).

func init() {
	register("Equal", compareBuilder(func(c int) bool { return c == 0 }))
	register("Less", compareBuilder(func(c int) bool { return c < 0 }))
	register("LessOrEqual", compareBuilder(func(c int) bool { return c <= 0 }))
	register("Greater", compareBuilder(func(c int) bool { return c > 0 }))
	register("GreaterOrEqual", compareBuilder(func(c int) bool { return c >= 0 }))
	register("Not", buildNot)
	register("Where", buildWhere)
}

// unordered is what compareFloat returns for a NaN operand; every
// comparison is false for it.
const unordered = 2

func compareFloat(a, b float32) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	case a == b:
		return 0
	}
	return unordered
}

// compareOf compares two elements of an integer type: uint64 as unsigned
// (its values of 2^63 and more are negative int64s), every other type as
// its canonical int64 value.
func compareOf(dt DType, a, b int64) int {
	if dt == UInt64 {
		return compareInt(int64(uint64(a)^1<<63), int64(uint64(b)^1<<63))
	}
	return compareInt(a, b)
}

func compareInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// broadcastN is numpy broadcasting over any number of operands: the output
// shape and, per operand, its stride for each output dimension (0 where
// the operand is repeated).
func broadcastN(shapes ...[]int) ([]int, [][]int, error) {
	r := 0
	for _, s := range shapes {
		r = max(r, len(s))
	}
	out := make([]int, r)
	for i := range out {
		out[i] = 1
	}
	for _, s := range shapes {
		for i, d := range s {
			o := i + r - len(s)
			switch {
			case d == out[o] || d == 1:
			case out[o] == 1:
				out[o] = d
			default:
				return nil, nil, fmt.Errorf("shapes %v do not broadcast", shapes)
			}
		}
	}
	st := make([][]int, len(shapes))
	for k, s := range shapes {
		st[k] = make([]int, r)
		own := strides(s)
		for i, d := range s {
			if d != 1 {
				st[k][i+r-len(s)] = own[i]
			}
		}
	}
	return out, st, nil
}

// eachBroadcast calls f with every output element's flat index and its
// operands' offsets, in row-major order.
func eachBroadcast(out []int, st [][]int, f func(i int, off []int)) {
	size := numel(out)
	idx := make([]int, len(out))
	off := make([]int, len(st))
	for i := 0; i < size; i++ {
		f(i, off)
		for d := len(out) - 1; d >= 0; d-- {
			idx[d]++
			for k := range off {
				off[k] += st[k][d]
			}
			if idx[d] < out[d] {
				break
			}
			for k := range off {
				off[k] -= st[k][d] * idx[d]
			}
			idx[d] = 0
		}
	}
}

// broadcastStep is an element-wise step of type dt over operands of the
// given shapes broadcast together (numpy rules): set writes output element i
// of t from the operands' elements at off, one offset per operand, in
// row-major order. work is the FLOPs per output element.
func broadcastStep(n *Node, shapes [][]int, dt DType, work int, set func(t *Tensor, x []*Tensor, i int, off []int)) (*step, error) {
	out, st, err := broadcastN(shapes...)
	if err != nil {
		return nil, n.errorf("%v", err)
	}
	size := numel(out)
	return &step{outs: []TensorInfo{{DType: dt, Shape: out}}, flops: i64(size * work), run: func(x []*Tensor, _ int) []*Tensor {
		t := newOf(dt, out)
		eachBroadcast(out, st, func(i int, off []int) { set(t, x, i, off) })
		return []*Tensor{t}
	}}, nil
}

func compareBuilder(pred func(int) bool) builder {
	return func(n *Node, in []TensorInfo) (*step, error) {
		if len(in) != 2 {
			return nil, n.errorf("has %d inputs, want 2", len(in))
		}
		dt := in[0].DType
		if (dt != Float32 && !dt.integer()) || in[1].DType != dt {
			return nil, n.errorf("compares %s with %s: want two float32 or two inputs of one integer type", in[0].DType, in[1].DType)
		}
		return broadcastStep(n, [][]int{in[0].Shape, in[1].Shape}, Bool, 1, func(t *Tensor, x []*Tensor, i int, off []int) {
			var c int
			if dt == Float32 {
				c = compareFloat(x[0].F[off[0]], x[1].F[off[1]])
			} else {
				c = compareOf(dt, x[0].I[off[0]], x[1].I[off[1]])
			}
			if c != unordered && pred(c) {
				t.I[i] = 1
			}
		})
	}
}

func buildNot(n *Node, in []TensorInfo) (*step, error) {
	if len(in) != 1 || in[0].DType != Bool {
		return nil, n.errorf("wants one bool input")
	}
	shape := in[0].Shape
	size := numel(shape)
	return &step{outs: []TensorInfo{{DType: Bool, Shape: shape}}, flops: i64(size), run: func(x []*Tensor, _ int) []*Tensor {
		t := &Tensor{DType: Bool, Shape: shape, I: make([]int64, size)}
		for i, v := range x[0].I {
			t.I[i] = 1 - v
		}
		return []*Tensor{t}
	}}, nil
}

// buildWhere is Where(condition, X, Y) with the three broadcast together;
// X and Y share a type (float32, int64 or bool).
func buildWhere(n *Node, in []TensorInfo) (*step, error) {
	if len(in) != 3 {
		return nil, n.errorf("has %d inputs, want 3", len(in))
	}
	if in[0].DType != Bool {
		return nil, n.errorf("condition is %s, want bool", in[0].DType)
	}
	dt := in[1].DType
	if in[2].DType != dt {
		return nil, n.errorf("X is %s and Y %s: want one type", dt, in[2].DType)
	}
	return broadcastStep(n, [][]int{in[0].Shape, in[1].Shape, in[2].Shape}, dt, 1, func(t *Tensor, x []*Tensor, i int, off []int) {
		if x[0].I[off[0]] != 0 {
			t.put(i, x[1], off[1])
		} else {
			t.put(i, x[2], off[2])
		}
	})
}
