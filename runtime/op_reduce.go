package runtime

import "math"

// Reductions (ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceProd,
// ReduceL1, ReduceL2, ReduceLogSum, ReduceLogSumExp, ReduceSumSquare) and
// ArgMax/ArgMin, and GlobalAveragePool and GlobalMaxPool (the mean and the
// maximum over every axis after N and C). The canonical order: each output element reduces its
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
	register("GlobalAveragePool", globalPool(0, sum, func(a float64, n int) float64 { return a / float64(n) }))
	register("GlobalMaxPool", globalPool(math.Inf(-1), maxNaN, id))
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

// reduction is a compiled reduction's geometry: output element o reads
// the input from base(o), stepping through the reduced axes in row-major
// order. Nothing is tabulated: memory is O(rank) whatever the shape.
type reduction struct {
	out                   []int
	size                  int // output elements
	count                 int // input elements per output element
	keptDims, keptStrides []int
	redDims, redStrides   []int
}

// base is output element o's first input offset.
func (r *reduction) base(o int) int {
	off := 0
	for d := len(r.keptDims) - 1; d >= 0; d-- {
		off += (o % r.keptDims[d]) * r.keptStrides[d]
		o /= r.keptDims[d]
	}
	return off
}

// each calls f with the offset of every reduced element of the output
// element at base, in ascending row-major order.
func (r *reduction) each(base int, f func(off int)) {
	if r.count == 0 {
		return
	}
	idx := make([]int, len(r.redDims))
	off := base
	for k := 0; k < r.count; k++ {
		f(off)
		for d := len(idx) - 1; d >= 0; d-- {
			idx[d]++
			off += r.redStrides[d]
			if idx[d] < r.redDims[d] {
				break
			}
			off -= r.redStrides[d] * idx[d]
			idx[d] = 0
		}
	}
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
	p := &reduction{}
	for d := 0; d < r; d++ {
		if mark[d] {
			p.redDims, p.redStrides = append(p.redDims, shape[d]), append(p.redStrides, strides[d])
			if keep {
				p.out = append(p.out, 1)
			}
			continue
		}
		p.out = append(p.out, shape[d])
		p.keptDims, p.keptStrides = append(p.keptDims, shape[d]), append(p.keptStrides, strides[d])
	}
	if p.out == nil {
		p.out = []int{}
	}
	p.size, p.count = numel(p.keptDims), numel(p.redDims)
	return p, nil
}

// reduceSetup reads a Reduce node's axes, keepdims and
// noop_with_empty_axes and plans it; with no axes and the noop flag it
// returns the identity step instead.
func reduceSetup(n *Node, in []TensorInfo, axesInput bool) (*reduction, *step, error) {
	axes, empty, err := reduceAxes(n, in, axesInput)
	if err != nil {
		return nil, nil, err
	}
	if err := wantFloat(n, in, 0); err != nil {
		return nil, nil, err
	}
	keep, err := n.attrInt("keepdims", 1)
	if err != nil {
		return nil, nil, err
	}
	noop, err := n.attrInt("noop_with_empty_axes", 0)
	if err != nil {
		return nil, nil, err
	}
	if empty && noop == 1 {
		return nil, view(in[0], in[0].Shape), nil
	}
	plan, err := planReduction(n, in[0].Shape, axes, empty, keep == 1)
	return plan, nil, err
}

func reduceBuilder(op string, init float64, add func(a, x float64) float64, finish func(a float64, n int) float64) builder {
	return func(n *Node, in []TensorInfo) (*step, error) {
		plan, noop, err := reduceSetup(n, in, n.Opset >= 18 || (op == "ReduceSum" && n.Opset >= 13))
		if err != nil || noop != nil {
			return noop, err
		}
		return reduceStep(plan, numel(in[0].Shape), init, add, finish), nil
	}
}

// reduceStep runs a planned reduction of an input of size elements.
func reduceStep(plan *reduction, size int, init float64, add func(a, x float64) float64, finish func(a float64, n int) float64) *step {
	count, outs := plan.count, plan.size
	return &step{outs: floatOut(plan.out), flops: i64(size), run: func(x []*Tensor, w int) []*Tensor {
		res := &Tensor{DType: Float32, Shape: plan.out, F: make([]float32, outs)}
		src := x[0].F
		parallelFor(w, outs, max(count, 1), func(lo, hi int) {
			for o := lo; o < hi; o++ {
				a := init
				plan.each(plan.base(o), func(off int) { a = add(a, float64(src[off])) })
				res.F[o] = float32(finish(a, count))
			}
		})
		return []*Tensor{res}
	}}
}

// globalPool is GlobalAveragePool or GlobalMaxPool: the reduction of every
// axis after N and C, kept as size 1, in the reductions' canonical order
// (an average is the float64 sum in row-major order divided once by the
// count).
func globalPool(init float64, add func(a, x float64) float64, finish func(a float64, n int) float64) builder {
	return func(n *Node, in []TensorInfo) (*step, error) {
		if err := wantInputs(n, in, 1, 1); err != nil {
			return nil, err
		}
		if err := wantFloat(n, in, 0); err != nil {
			return nil, err
		}
		r := len(in[0].Shape)
		if r < 3 {
			return nil, n.errorf("input %v: want N, C and at least one spatial axis", in[0].Shape)
		}
		axes := make([]int64, 0, r-2)
		for a := 2; a < r; a++ {
			axes = append(axes, int64(a))
		}
		plan, err := planReduction(n, in[0].Shape, axes, false, true)
		if err != nil {
			return nil, err
		}
		return reduceStep(plan, numel(in[0].Shape), init, add, finish), nil
	}
}

// reduceLogSumExp is log(Σ e^x) as m + log(Σ e^(x−m)) with m the maximum
// (in float64 with detmath's exp64 and log64; an argument below −200
// contributes 0): no overflow for large inputs.
//
// float64 input gives float64 output by the same steps without the final
// rounding (terms below −745, under float64's smallest value, contribute 0).
func reduceLogSumExp(n *Node, in []TensorInfo) (*step, error) {
	dt := Float32
	if len(in) > 0 && in[0].DType == Float64 {
		dt = Float64
		in = append([]TensorInfo{{DType: Float32, Shape: in[0].Shape}}, in[1:]...) // the setup reads shapes only
	}
	plan, noop, err := reduceSetup(n, in, n.Opset >= 18)
	if err != nil || noop != nil {
		if noop != nil {
			noop.outs[0].DType = dt
		}
		return noop, err
	}
	size := plan.size
	floor := -expMax
	if dt == Float64 {
		floor = -745
	}
	return &step{outs: []TensorInfo{{DType: dt, Shape: plan.out}}, flops: 20 * i64(numel(in[0].Shape)), run: func(x []*Tensor, w int) []*Tensor {
		res := newOf(dt, plan.out)
		val := func(off int) float64 { return float64(x[0].F[off]) }
		if dt == Float64 {
			val = func(off int) float64 { return f64(x[0], off) }
		}
		set := func(o int, v float64) {
			if dt == Float64 {
				res.I[o] = f64bits(v)
			} else {
				res.F[o] = float32(v)
			}
		}
		parallelFor(w, size, 20*max(plan.count, 1), func(lo, hi int) {
			for o := lo; o < hi; o++ {
				base := plan.base(o)
				m := math.Inf(-1)
				plan.each(base, func(off int) { m = maxNaN(m, val(off)) })
				if m != m || math.IsInf(m, 0) {
					set(o, m)
					continue
				}
				s := 0.0
				plan.each(base, func(off int) {
					if d := val(off) - m; d > floor {
						s += exp64(d)
					}
				})
				set(o, m+log64(s))
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
		if plan.count == 0 && plan.size > 0 {
			return nil, n.errorf("the axis to take the index along is empty")
		}
		size := plan.size
		return &step{outs: []TensorInfo{{DType: Int64, Shape: plan.out}}, flops: i64(numel(in[0].Shape)), run: func(x []*Tensor, w int) []*Tensor {
			res := &Tensor{DType: Int64, Shape: plan.out, I: make([]int64, size)}
			src := x[0].F
			parallelFor(w, size, max(plan.count, 1), func(lo, hi int) {
				for o := lo; o < hi; o++ {
					best, at, k := float32(0), -1, 0
					plan.each(plan.base(o), func(off int) {
						v := src[off]
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
						k++
					})
					res.I[o] = int64(max(at, 0))
				}
			})
			return []*Tensor{res}
		}}, nil
	}
}
