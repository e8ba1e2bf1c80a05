package runtime

import "fmt"

// int64 arithmetic: Add, Sub, Mul, Div (truncating toward zero; a zero
// divisor fails the item's run) with numpy broadcasting, and Neg, Abs,
// Sign. Two's-complement wrap-around on overflow, as Go defines it, the
// same on every CPU. Shape arithmetic in exported graphs (sizes, offsets,
// ranges) is int64.

// intBinary is the int64 form of a binary operator.
func intBinary(f func(a, b int64) int64) builder {
	return func(n *Node, in []TensorInfo) (*step, error) {
		if err := wantInputs(n, in, 2, 2); err != nil {
			return nil, err
		}
		if in[0].DType != Int64 || in[1].DType != Int64 {
			return nil, n.errorf("inputs are %s and %s: want two float32 or two int64", in[0].DType, in[1].DType)
		}
		return broadcastStep(n, [][]int{in[0].Shape, in[1].Shape}, Int64, 1, func(t *Tensor, x []*Tensor, i int, off []int) {
			t.I[i] = f(x[0].I[off[0]], x[1].I[off[1]])
		})
	}
}

// byType builds float from float32 inputs and integer from int64 ones.
func byType(float, integer builder) builder {
	return func(n *Node, in []TensorInfo) (*step, error) {
		if len(in) > 0 && in[0].DType == Int64 {
			return integer(n, in)
		}
		return float(n, in)
	}
}

func intDiv(a, b int64) int64 {
	if b == 0 {
		panic(fmt.Sprintf("integer division of %d by zero", a))
	}
	return a / b
}

// intUnary is an int64 element-wise operator of one input.
func intUnary(f func(int64) int64) builder {
	return func(n *Node, in []TensorInfo) (*step, error) {
		if err := wantInputs(n, in, 1, 1); err != nil {
			return nil, err
		}
		shape := in[0].Shape
		size := numel(shape)
		return &step{outs: []TensorInfo{{DType: Int64, Shape: shape}}, flops: i64(size), run: func(x []*Tensor, _ int) []*Tensor {
			t := &Tensor{DType: Int64, Shape: shape, I: make([]int64, size)}
			for i, v := range x[0].I {
				t.I[i] = f(v)
			}
			return []*Tensor{t}
		}}, nil
	}
}

// The int64 forms, which op_elementwise.go and op_unary.go register with
// their float32 ones through byType.
func intAdd(a, b int64) int64 { return a + b }
func intSub(a, b int64) int64 { return a - b }
func intMul(a, b int64) int64 { return a * b }
func intNeg(v int64) int64    { return -v }

func intAbs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

func intSign(v int64) int64 {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}
