package runtime

import "math"

// Operators that make tensors from a few numbers: OneHot, EyeLike, Range.
// Their sizes (OneHot's depth, Range's start, limit and delta) must be
// known when the node compiles (constants, or inputs Specialize binds).
//
//	OneHot: on where the (type-cast) index, negative from depth's end,
//	  equals the position along axis; an index outside [−depth, depth) is
//	  all off. Values take the type of the values input.
//	EyeLike: ones on diagonal k (column − row = k) of a 2-D tensor.
//	Range: max(⌈(limit − start)/delta⌉, 0) elements start + i·delta; the
//	  count in float64; float32 elements are float32(start + float64(i)·delta)
//	  in float64 (one rounding), integers start + i·delta wrapped to the type.

func init() {
	register("OneHot", buildOneHot)
	register("EyeLike", buildEyeLike)
	register("Range", buildRange)
}

// scalarConst reads input i as a one-element constant (needConst if not).
func scalarConst(n *Node, in []TensorInfo, i int, what string) (*Tensor, error) {
	if numel(in[i].Shape) != 1 {
		return nil, n.errorf("%s is %v: want one element", what, in[i].Shape)
	}
	if in[i].Const == nil {
		return nil, n.needConst(i, "%s must be a constant", what)
	}
	return in[i].Const, nil
}

// asFloat64 is element 0 of a float32 or integer tensor as a float64.
func asFloat64(t *Tensor) float64 {
	switch {
	case t.DType == Float32:
		return float64(t.F[0])
	case t.DType == UInt64:
		return float64(uint64(t.I[0]))
	}
	return float64(t.I[0])
}

func buildOneHot(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 3, 3); err != nil {
		return nil, err
	}
	if in[0].DType != Float32 && !in[0].DType.integer() {
		return nil, n.errorf("indices are %s: want a numeric type", in[0].DType)
	}
	dep, err := scalarConst(n, in, 1, "depth")
	if err != nil {
		return nil, err
	}
	if dep.DType != Float32 && !dep.DType.integer() {
		return nil, n.errorf("depth is %s: want a numeric type", dep.DType)
	}
	df := asFloat64(dep)
	if !(df >= 1) || df > 1<<24 {
		return nil, n.errorf("depth %v out of range", df)
	}
	depth := int(df)
	vt := in[2].DType
	if numel(in[2].Shape) != 2 || (vt != Float32 && vt != Bool && !vt.integer()) {
		return nil, n.errorf("values are %s %v: want [off, on]", vt, in[2].Shape)
	}
	a, err := n.attrInt("axis", -1)
	if err != nil {
		return nil, err
	}
	ishape := in[0].Shape
	r := len(ishape) + 1
	axis, err := normAxis(n, a, r)
	if err != nil {
		return nil, err
	}
	out := append(append(append([]int{}, ishape[:axis]...), depth), ishape[axis:]...)
	if err := checkShape(out); err != nil {
		return nil, n.errorf("output: %v", err)
	}
	size := numel(out)
	inner := numel(ishape[axis:])
	return &step{outs: []TensorInfo{{DType: vt, Shape: out}}, flops: i64(size), run: func(x []*Tensor, _ int) []*Tensor {
		t := newOf(vt, out)
		for e := 0; e < size; e++ {
			outer, rest := e/(depth*inner), e%(depth*inner)
			pos, in := rest/inner, rest%inner
			j := outer*inner + in
			var v int64
			if x[0].DType == Float32 {
				f := math.Trunc(float64(x[0].F[j]))
				if f != f || f < -float64(depth) || f >= float64(depth) {
					v = int64(depth) // off
				} else {
					v = int64(f)
				}
			} else {
				v = x[0].I[j]
				if x[0].DType == UInt64 && v < 0 {
					v = int64(depth)
				}
			}
			if v < 0 {
				v += int64(depth)
			}
			if v == int64(pos) {
				t.put(e, x[2], 1)
			} else {
				t.put(e, x[2], 0)
			}
		}
		return []*Tensor{t}
	}}, nil
}

func buildEyeLike(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 1, 1); err != nil {
		return nil, err
	}
	shape := in[0].Shape
	if len(shape) != 2 {
		return nil, n.errorf("input %v: want 2-D", shape)
	}
	dt := in[0].DType
	if d, err := n.attrInt("dtype", -1); err != nil {
		return nil, err
	} else if d >= 0 {
		dt = DType(d)
		if d > 255 || (dt != Float32 && dt != Float64 && !dt.half() && dt != Bool && !dt.integer()) {
			return nil, n.errorf("dtype %d is not supported", d)
		}
	}
	k, err := n.attrInt("k", 0)
	if err != nil {
		return nil, err
	}
	one := newOf(dt, []int{1})
	switch {
	case dt == Float64:
		one.I[0] = f64bits(1)
	case dt.ints():
		one.I[0] = 1
	default:
		one.F[0] = 1
	}
	rows, cols := shape[0], shape[1]
	return &step{outs: []TensorInfo{{DType: dt, Shape: shape}}, flops: i64(numel(shape)), run: func([]*Tensor, int) []*Tensor {
		t := newOf(dt, shape)
		for i := 0; i < rows; i++ {
			if j := int64(i) + k; j >= 0 && j < int64(cols) {
				t.put(i*cols+int(j), one, 0)
			}
		}
		return []*Tensor{t}
	}}, nil
}

func buildRange(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 3, 3); err != nil {
		return nil, err
	}
	dt := in[0].DType
	if (dt != Float32 && dt != Int64 && dt != Int32 && dt != Int16) || in[1].DType != dt || in[2].DType != dt {
		return nil, n.errorf("start, limit and delta are %s, %s, %s: want one of float32, int64, int32, int16", dt, in[1].DType, in[2].DType)
	}
	var v [3]*Tensor
	for i, what := range []string{"start", "limit", "delta"} {
		t, err := scalarConst(n, in, i, what)
		if err != nil {
			return nil, err
		}
		v[i] = t
	}
	start, limit, delta := asFloat64(v[0]), asFloat64(v[1]), asFloat64(v[2])
	if dt == Int64 && max(math.Abs(start), math.Abs(limit), math.Abs(delta)) > 1<<52 {
		return nil, n.errorf("int64 start, limit and delta beyond 2^52 are not supported")
	}
	if delta == 0 || delta != delta || start != start || limit != limit {
		return nil, n.errorf("delta %v with start %v and limit %v: no range", delta, start, limit)
	}
	c := math.Ceil((limit - start) / delta)
	if c > 1<<30 {
		return nil, n.errorf("range of %v elements", c)
	}
	count := max(int(c), 0)
	out := []int{count}
	return &step{outs: []TensorInfo{{DType: dt, Shape: out}}, flops: i64(count), run: func(x []*Tensor, _ int) []*Tensor {
		t := newOf(dt, out)
		for i := 0; i < count; i++ {
			if dt == Float32 {
				t.F[i] = float32(start + float64(float64(i)*delta))
			} else {
				t.I[i] = dt.wrap(v[0].I[0] + int64(i)*v[2].I[0])
			}
		}
		return []*Tensor{t}
	}}, nil
}
