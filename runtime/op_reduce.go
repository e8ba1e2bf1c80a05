package runtime

import "math"

// Reductions (ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceProd,
// ReduceL1, ReduceL2, ReduceLogSum, ReduceLogSumExp, ReduceSumSquare) and
// ArgMax/ArgMin. The canonical order: each output element reduces its
// input elements in ascending row-major order of the input, accumulating
// in float64 (a float32 square or product of two float32 is exact in
// float64; each float64 add rounds once, in that order) and rounding to
// float32 once at the end. Max and Min propagate NaN. Outputs are
// independent, so any number of workers gives the same bits.
//
// Axes: an attribute before opset 18 (ReduceSum: before 13), an optional
// constant input from then; no axes reduces every axis unless
// noop_with_empty_axes is 1; keepdims (default 1) keeps reduced axes as 1.

func init() {
	type acc struct {
		init   float64
		add    func(acc, x float64) float64
		finish func(acc float64, n int) float64
	}
	sum := func(a, x float64) float64 { return a + x }
	id := func(a float64, _ int) float64 { return a }
	for op, a := range map[string]acc{
		"ReduceSum":       {0, sum, id},
		"ReduceMean":      {0, sum, func(a float64, n int) float64 { return a / float64(n) }},
		"ReduceProd":      {1, func(a, x float64) float64 { return a * x }, id},
		"ReduceL1":        {0, func(a, x float64) float64 { return a + math.Abs(x) }, id},
		"ReduceL2":        {0, func(a, x float64) float64 { return a + float64(x*x) }, func(a float64, _ int) float64 { return math.Sqrt(a) }},
		"ReduceSumSquare": {0, func(a, x float64) float64 { return a + float64(x*x) }, id},
		"ReduceLogSum":    {0, sum, func(a float64, _ int) float64 { return logOf(a) }},
		"ReduceMax":       {math.Inf(-1), maxNaN, id},
		"ReduceMin":       {math.Inf(1), minNaN, id},
	} {
		register(op, reduceBuilder(op, a.init, a.add, a.finish))
	}
	register("ReduceLogSumExp", reduceLogSumExp)
	register("ArgMax", argBuilder(func(x, best float32) bool { return x > best }))
	register("ArgMin", argBuilder(func(x, best float32) bool { return x < best }))
}

func maxNaN(a, x float64) float64 {
	if x != x || a != a || x > a {
		if a != a {
			return a
		}
		return x
	}
	return a
}

func minNaN(a, x float64) float64 {
	if x != x || a != a || x < a {
		if a != a {
			return a
		}
		return x
	}
	return a
}

// logOf is detmath's natural log in float64: NaN below 0, −Inf at 0.
func logOf(x float64) float64 {
	switch {
	case x != x || x < 0:
		return math.NaN()
	case x == 0:
		return math.Inf(-1)
	case math.IsInf(x, 1):
		return x
	}
	return log64(x)
}

// reduction is a compiled reduction's geometry: for output element o, the
// input offsets base(o) + inner[k] for every k, in ascending order.
type reduction struct {
	out   []int
	bases []int // per output element, its first input offset
	inner []int // offsets of the reduced elements from a base, ascending
}

// reduceAxes reads the axes of a Reduce node in its opset's form.
func reduceAxes(n *Node, in []TensorInfo, axesInput bool) (axes []int64, empty bool, err error) {
	if axesInput {
		if _, attr := n.Attrs["axes"]; attr {
			return nil, false, n.errorf("axes is an input at opset %d, not an attribute", n.Opset)
		}
		if err := wantInputs(n, in, 1, 2); err != nil {
			return nil, false, err
		}
		axes, have, err := constIntsInput(n, in, 1)
		return axes, !have || len(axes) == 0, err
	}
	if err := wantInputs(n, in, 1, 1); err != nil {
		return nil, false, err
	}
	axes, err = n.attrInts("axes")
	return axes, len(axes) == 0, err
}

// planReduction lays out the reduction of shape over axes (all when
// reduceAll).
func planReduction(n *Node, shape []int, axes []int64, reduceAll, keep bool) (*reduction, error) {
	r := len(shape)
	mark := make([]bool, r)
	for _, a := range axes {
		ax, err := normAxis(n, a, r)
		if err != nil {
			return nil, err
		}
		if mark[ax] {
			return nil, n.errorf("axis %d repeated", ax)
		}
		mark[ax] = true
	}
	if reduceAll {
		for i := range mark {
			mark[i] = true
		}
	}
	strides := make([]int, r)
	s := 1
	for d := r - 1; d >= 0; d-- {
		strides[d] = s
		s *= shape[d]
	}
	var out, keptDims, keptStrides, redDims, redStrides []int
	for d := 0; d < r; d++ {
		if mark[d] {
			redDims, redStrides = append(redDims, shape[d]), append(redStrides, strides[d])
			if keep {
				out = append(out, 1)
			}
			continue
		}
		out = append(out, shape[d])
		keptDims, keptStrides = append(keptDims, shape[d]), append(keptStrides, strides[d])
	}
	if out == nil {
		out = []int{}
	}
	return &reduction{out: out, bases: offsets(keptDims, keptStrides), inner: offsets(redDims, redStrides)}, nil
}

// offsets lists, in row-major order of dims, the offsets sum(i_d·stride_d).
func offsets(dims, strides []int) []int {
	res := []int{0}
	for d := range dims {
		next := make([]int, 0, len(res)*dims[d])
		for _, o := range res {
			for i := 0; i < dims[d]; i++ {
				next = append(next, o+i*strides[d])
			}
		}
		res = next
	}
	return res
}

func reduceBuilder(op string, init float64, add func(a, x float64) float64, finish func(a float64, n int) float64) builder {
	return func(n *Node, in []TensorInfo) (*step, error) {
		axesInput := n.Opset >= 18 || (op == "ReduceSum" && n.Opset >= 13)
		axes, empty, err := reduceAxes(n, in, axesInput)
		if err != nil {
			return nil, err
		}
		if err := wantFloat(n, in, 0); err != nil {
			return nil, err
		}
		keep, err := n.attrInt("keepdims", 1)
		if err != nil {
			return nil, err
		}
		noop, err := n.attrInt("noop_with_empty_axes", 0)
		if err != nil {
			return nil, err
		}
		shape := in[0].Shape
		if empty && noop == 1 {
			return view(in[0], shape), nil
		}
		plan, err := planReduction(n, shape, axes, empty, keep == 1)
		if err != nil {
			return nil, err
		}
		count := len(plan.inner)
		size := len(plan.bases)
		return &step{outs: floatOut(plan.out), flops: i64(numel(shape)), run: func(x []*Tensor, w int) []*Tensor {
			res := &Tensor{DType: Float32, Shape: plan.out, F: make([]float32, size)}
			src := x[0].F
			parallelFor(w, size, count, func(lo, hi int) {
				for o := lo; o < hi; o++ {
					a, base := init, plan.bases[o]
					for _, k := range plan.inner {
						a = add(a, float64(src[base+k]))
					}
					res.F[o] = float32(finish(a, count))
				}
			})
			return []*Tensor{res}
		}}, nil
	}
}

// reduceLogSumExp is log(Σ e^x) as m + log(Σ e^(x−m)) with m the maximum
// (in float64 with detmath's exp64 and log64; an argument below −200
// contributes 0): no overflow for large inputs.
func reduceLogSumExp(n *Node, in []TensorInfo) (*step, error) {
	axes, empty, err := reduceAxes(n, in, n.Opset >= 18)
	if err != nil {
		return nil, err
	}
	if err := wantFloat(n, in, 0); err != nil {
		return nil, err
	}
	keep, err := n.attrInt("keepdims", 1)
	if err != nil {
		return nil, err
	}
	plan, err := planReduction(n, in[0].Shape, axes, empty, keep == 1)
	if err != nil {
		return nil, err
	}
	size := len(plan.bases)
	return &step{outs: floatOut(plan.out), flops: 20 * i64(numel(in[0].Shape)), run: func(x []*Tensor, w int) []*Tensor {
		res := &Tensor{DType: Float32, Shape: plan.out, F: make([]float32, size)}
		src := x[0].F
		parallelFor(w, size, 20*len(plan.inner), func(lo, hi int) {
			for o := lo; o < hi; o++ {
				base := plan.bases[o]
				m := math.Inf(-1)
				for _, k := range plan.inner {
					m = maxNaN(m, float64(src[base+k]))
				}
				if m != m || math.IsInf(m, 0) {
					res.F[o] = float32(m)
					continue
				}
				s := 0.0
				for _, k := range plan.inner {
					if d := float64(src[base+k]) - m; d > -expMax {
						s += exp64(d)
					}
				}
				res.F[o] = float32(m + log64(s))
			}
		})
		return []*Tensor{res}
	}}, nil
}

// argBuilder is ArgMax/ArgMin along axis (default 0): the index of the
// first best element (the last with select_last_index = 1); a NaN is
// best of all, as numpy's argmax and argmin have it. int64 output.
func argBuilder(better func(x, best float32) bool) builder {
	return func(n *Node, in []TensorInfo) (*step, error) {
		if err := wantInputs(n, in, 1, 1); err != nil {
			return nil, err
		}
		if err := wantFloat(n, in, 0); err != nil {
			return nil, err
		}
		axis, err := n.attrInt("axis", 0)
		if err != nil {
			return nil, err
		}
		keep, err := n.attrInt("keepdims", 1)
		if err != nil {
			return nil, err
		}
		last, err := n.attrInt("select_last_index", 0)
		if err != nil {
			return nil, err
		}
		plan, err := planReduction(n, in[0].Shape, []int64{axis}, false, keep == 1)
		if err != nil {
			return nil, err
		}
		size := len(plan.bases)
		return &step{outs: []TensorInfo{{DType: Int64, Shape: plan.out}}, flops: i64(numel(in[0].Shape)), run: func(x []*Tensor, w int) []*Tensor {
			res := &Tensor{DType: Int64, Shape: plan.out, I: make([]int64, size)}
			src := x[0].F
			parallelFor(w, size, len(plan.inner), func(lo, hi int) {
				for o := lo; o < hi; o++ {
					base, best, at := plan.bases[o], float32(0), -1
					for k, off := range plan.inner {
						v := src[base+off]
						switch {
						case at < 0:
							best, at = v, k
						case best != best: // a NaN was found: only a later NaN moves it
							if last == 1 && v != v {
								at = k
							}
						case v != v || better(v, best) || (last == 1 && v == best):
							best, at = v, k
						}
					}
					res.I[o] = int64(max(at, 0))
				}
			})
			return []*Tensor{res}
		}}, nil
	}
}
