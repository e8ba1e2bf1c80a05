package runtime

import "math"

// Element-wise operators. Each output element is one IEEE operation on its
// operands, so there is no reduction order to fix; Mul's product is wrapped
// in float32(...) like every product in the runtime.

func init() {
	register("Add", byType(arithBuilder('+', func(a, b float32) float32 { return a + b }), intBinary(intAdd)))
	register("Sub", byType(arithBuilder('-', func(a, b float32) float32 { return a - b }), intBinary(intSub)))
	register("Mul", byType(arithBuilder('*', func(a, b float32) float32 { return float32(a * b) }), intBinary(intMul)))
	register("Div", byType(arithBuilder('/', func(a, b float32) float32 { return a / b }), intBinary(intDiv)))
	register("Relu", sliceBuilder(reluVec))
	register("Sigmoid", sliceBuilder(SigmoidRow))
	register("Tanh", unaryBuilder(Tanh))
}

// relu maps x <= 0 (including -0) to +0 and keeps NaN as NaN.
func relu(x float32) float32 {
	if x <= 0 {
		return 0
	}
	return x
}

// reluSlice is relu over a slice, bit for bit (a NaN keeps its bits, −0
// becomes +0), in integer operations on the bits rather than a branch the
// data would make unpredictable: a value whose sign bit is set and which
// is not a NaN becomes +0.
func reluSlice(dst, src []float32) {
	src = src[:len(dst)]
	for i, x := range src {
		b := math.Float32bits(x)
		nan := (0x7f800000 - b&0x7fffffff) >> 31 // 1 when |b| > Inf's bits
		zero := b >> 31 &^ nan
		dst[i] = math.Float32frombits(b & (zero - 1))
	}
}

func unaryBuilder(f func(float32) float32) builder {
	return sliceBuilder(func(dst, src []float32) {
		src = src[:len(dst)]
		for i, x := range src {
			dst[i] = f(x)
		}
	})
}

// sliceBuilder builds a float32 element-wise operator from a kernel over a
// chunk of elements (one call per chunk, not per element).
func sliceBuilder(kernel func(dst, src []float32)) builder {
	return func(n *Node, in []TensorInfo) (*step, error) {
		if err := wantInputs(n, in, 1, 1); err != nil {
			return nil, err
		}
		if err := wantFloat(n, in, 0); err != nil {
			return nil, err
		}
		shape := in[0].Shape
		size := numel(shape)
		return &step{outs: floatOut(shape), flops: i64(size), params: &UnaryParams{Size: size}, fresh: true, run: func(x []*Tensor, w int) []*Tensor {
			out := newUnclearedTensor(shape) // the chunks cover [0, size)
			src := x[0].F
			parallelFor(w, size, 4, func(lo, hi int) {
				kernel(out.F[lo:hi], src[lo:hi])
			})
			return []*Tensor{out}
		}}, nil
	}
}

func binaryBuilder(f func(a, b float32) float32) builder {
	return rowBuilder(rowOf(f))
}

// rowOf is the row kernel of an element-wise f: one call per element.
func rowOf(f func(a, b float32) float32) func(dst, a []float32, ia, sa int, b []float32, ib, sb int) {
	return func(dst, a []float32, ia, sa int, b []float32, ib, sb int) {
		for j := range dst {
			dst[j] = f(a[ia], b[ib])
			ia += sa
			ib += sb
		}
	}
}

// arithBuilder is binaryBuilder for + − × ÷ with the loops written out
// (arithRow), f's row serving the strides arithRow does not take.
func arithBuilder(op byte, f func(a, b float32) float32) builder {
	generic := rowOf(f)
	return rowBuilder(func(dst, a []float32, ia, sa int, b []float32, ib, sb int) {
		if !arithRow(op, dst, a, ia, sa, b, ib, sb) {
			generic(dst, a, ia, sa, b, ib, sb)
		}
	})
}

// rowBuilder builds a float32 broadcasting binary operator from a kernel
// over one output row: dst[j] = op(a[ia+j·sa], b[ib+j·sb]).
func rowBuilder(row func(dst, a []float32, ia, sa int, b []float32, ib, sb int)) builder {
	return func(n *Node, in []TensorInfo) (*step, error) {
		if err := wantInputs(n, in, 2, 2); err != nil {
			return nil, err
		}
		for i := range in {
			if err := wantFloat(n, in, i); err != nil {
				return nil, err
			}
		}
		bc, err := newBroadcast(in[0].Shape, in[1].Shape)
		if err != nil {
			return nil, n.errorf("%v", err)
		}
		size := numel(bc.out)
		params := &BinaryParams{Out: bc.out, StrideA: bc.sa, StrideB: bc.sb}
		rb := bc.coalesced()
		return &step{outs: floatOut(bc.out), flops: i64(size), params: params, fresh: true, run: func(x []*Tensor, w int) []*Tensor {
			out := newUnclearedTensor(bc.out) // every row is written whole
			a, b := x[0].F, x[1].F
			// walk rows of the last (coalesced) output dimension: inside a
			// row each operand either advances by its stride or stays put
			// (operands of the output's shape coalesce to one row, both
			// strides 1)
			last := 1
			if len(rb.out) > 0 {
				last = rb.out[len(rb.out)-1]
			}
			if last == 0 {
				return []*Tensor{out}
			}
			sa, sb := 0, 0
			if len(rb.out) > 0 {
				sa, sb = rb.sa[len(rb.out)-1], rb.sb[len(rb.out)-1]
			}
			// Workers split the elements, not the rows: coalescing can
			// leave one row (a bias over a whole plane, a scalar operand),
			// and inside a row the offsets are linear, so a chunk takes
			// each row's part it covers.
			parallelFor(w, size, 2, func(lo, hi int) {
				for f := lo; f < hi; {
					r, e := f/last, f%last
					end := min(hi, (r+1)*last)
					ia, ib := rb.offsets(r * last)
					row(out.F[f:end], a, ia+e*sa, sa, b, ib+e*sb, sb)
					f = end
				}
			})
			return []*Tensor{out}
		}}, nil
	}
}
