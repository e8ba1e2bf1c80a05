package runtime

import "fmt"

// Integer arithmetic: Add, Sub, Mul, Div (truncating toward zero; a zero
// divisor fails the item's run) with numpy broadcasting, and Neg, Abs,
// Sign, on two operands of one integer type (int64, or a narrower type of
// dtype_int.go). Computed in int64 and wrapped to the type's width
// (two's-complement wrap-around on overflow, as hardware of that width
// does), the same on every CPU; uint64 divides as unsigned. Shape
// arithmetic in exported graphs (sizes, offsets, ranges) is int64.

// intBinary is the integer form of a binary operator.
func intBinary(f func(dt DType, a, b int64) int64) builder {
	return func(n *Node, in []TensorInfo) (*step, error) {
		if err := wantInputs(n, in, 2, 2); err != nil {
			return nil, err
		}
		dt := in[0].DType
		if !dt.integer() || in[1].DType != dt {
			return nil, n.errorf("inputs are %s and %s: want two float32 or two of one integer type", in[0].DType, in[1].DType)
		}
		return broadcastStep(n, [][]int{in[0].Shape, in[1].Shape}, dt, 1, func(t *Tensor, x []*Tensor, i int, off []int) {
			t.I[i] = dt.wrap(f(dt, x[0].I[off[0]], x[1].I[off[1]]))
		})
	}
}

// byType builds float from float32 inputs and integer from integer ones.
func byType(float, integer builder) builder {
	return func(n *Node, in []TensorInfo) (*step, error) {
		if len(in) > 0 && in[0].DType.integer() {
			return integer(n, in)
		}
		return float(n, in)
	}
}

func intDiv(dt DType, a, b int64) int64 {
	if b == 0 {
		panic(fmt.Sprintf("integer division of %d by zero", a))
	}
	if dt == UInt64 {
		return int64(uint64(a) / uint64(b))
	}
	return a / b
}

// intUnary is an integer element-wise operator of one input; signedOnly
// refuses the unsigned types (Neg).
func intUnary(f func(dt DType, v int64) int64, signedOnly bool) builder {
	return func(n *Node, in []TensorInfo) (*step, error) {
		if err := wantInputs(n, in, 1, 1); err != nil {
			return nil, err
		}
		dt := in[0].DType
		if signedOnly && dt.unsigned() {
			return nil, n.errorf("input is %s: want a signed type", dt)
		}
		shape := in[0].Shape
		size := numel(shape)
		return &step{outs: []TensorInfo{{DType: dt, Shape: shape}}, flops: i64(size), run: func(x []*Tensor, _ int) []*Tensor {
			t := newOf(dt, shape)
			for i, v := range x[0].I {
				t.I[i] = dt.wrap(f(dt, v))
			}
			return []*Tensor{t}
		}}, nil
	}
}

// The integer forms, which op_elementwise.go and op_unary.go register with
// their float32 ones through byType.
func intAdd(_ DType, a, b int64) int64 { return a + b }
func intSub(_ DType, a, b int64) int64 { return a - b }
func intMul(_ DType, a, b int64) int64 { return a * b }
func intNeg(_ DType, v int64) int64    { return -v }

func intAbs(dt DType, v int64) int64 {
	if v < 0 && !dt.unsigned() {
		return -v
	}
	return v
}

func intSign(dt DType, v int64) int64 {
	switch {
	case v == 0:
		return 0
	case v > 0 || dt.unsigned():
		return 1
	}
	return -1
}
