package runtime

import "math"

// Slice, Split, Squeeze, Unsqueeze and Cast: data movement (Cast converts).
// Every shape-defining input (starts, ends, axes, steps, split sizes) must be
// a compile-time int64 constant, so shapes stay static.

func init() {
	register("Slice", buildSlice)
	register("Split", buildSplit)
	register("Squeeze", func(n *Node, in []TensorInfo) (*step, error) { return buildSqueeze(n, in, false) })
	register("Unsqueeze", func(n *Node, in []TensorInfo) (*step, error) { return buildSqueeze(n, in, true) })
	register("Cast", buildCast)
	register("CastLike", buildCastLike)
}

// constIntsInput returns input i's constant int64 values, or nil, false when
// the input is absent.
func constIntsInput(n *Node, in []TensorInfo, i int) ([]int64, bool, error) {
	if i >= len(in) {
		return nil, false, nil
	}
	if in[i].DType != Int64 {
		return nil, false, n.errorf("input %d is %s: want a constant int64 tensor", i, in[i].DType)
	}
	if in[i].Const == nil {
		return nil, false, n.needConst(i, "input %d must be a constant int64 tensor", i)
	}
	return in[i].Const.I, true, nil
}

// normAxis maps a possibly negative axis into [0, r).
func normAxis(n *Node, a int64, r int) (int, error) {
	if a < -int64(r) || a >= int64(r) {
		return 0, n.errorf("axis %d out of range for rank %d", a, r)
	}
	if a < 0 {
		a += int64(r)
	}
	return int(a), nil
}

// gatherStrided copies src (shape srcShape) into a new tensor of shape out,
// where output index o_d reads source index start_d + o_d·step_d.
func gatherStrided(src *Tensor, srcShape, out, start, step []int) *Tensor {
	size := numel(out)
	t := newOf(src.DType, out)
	st := strides(srcShape)
	r := len(out)
	idx := make([]int, r)
	for o := 0; o < size; o++ {
		off := 0
		for d := 0; d < r; d++ {
			off += (start[d] + idx[d]*step[d]) * st[d]
		}
		t.put(o, src, off)
		for d := r - 1; d >= 0; d-- {
			idx[d]++
			if idx[d] < out[d] {
				break
			}
			idx[d] = 0
		}
	}
	return t
}

func buildSlice(n *Node, in []TensorInfo) (*step, error) {
	var starts, ends, axes, steps []int64
	var haveAxes, haveSteps bool
	var err error
	if n.Opset < 10 {
		// Slice-1: starts, ends and optional axes are attributes; no steps.
		if err := wantInputs(n, in, 1, 1); err != nil {
			return nil, err
		}
		if starts, err = n.attrInts("starts"); err != nil {
			return nil, err
		}
		if ends, err = n.attrInts("ends"); err != nil {
			return nil, err
		}
		if starts == nil || ends == nil {
			return nil, n.errorf("needs the starts and ends attributes before opset 10")
		}
		if axes, err = n.attrInts("axes"); err != nil {
			return nil, err
		}
		haveAxes = axes != nil
	} else {
		if err := wantInputs(n, in, 3, 5); err != nil {
			return nil, err
		}
		if starts, _, err = constIntsInput(n, in, 1); err != nil {
			return nil, err
		}
		if ends, _, err = constIntsInput(n, in, 2); err != nil {
			return nil, err
		}
		if axes, haveAxes, err = constIntsInput(n, in, 3); err != nil {
			return nil, err
		}
		if steps, haveSteps, err = constIntsInput(n, in, 4); err != nil {
			return nil, err
		}
	}
	shape := in[0].Shape
	r := len(shape)
	if len(ends) != len(starts) || (haveAxes && len(axes) != len(starts)) || (haveSteps && len(steps) != len(starts)) {
		return nil, n.errorf("starts, ends, axes and steps differ in length")
	}
	start := make([]int, r)
	stride := make([]int, r)
	out := append([]int{}, shape...)
	for d := range stride {
		stride[d] = 1
	}
	seen := make([]bool, r)
	for i := range starts {
		a := int64(i)
		if haveAxes {
			a = axes[i]
		}
		ax, err := normAxis(n, a, r)
		if err != nil {
			return nil, err
		}
		if seen[ax] {
			return nil, n.errorf("axis %d repeated", ax)
		}
		seen[ax] = true
		s := int64(1)
		if haveSteps {
			s = steps[i]
		}
		if s == 0 {
			return nil, n.errorf("step 0 on axis %d", ax)
		}
		dim := int64(shape[ax])
		// A step beyond the axis takes one element either way; clamping it
		// keeps every count computation far from overflow.
		s = max(min(s, dim+1), -(dim + 1))
		b, e := starts[i], ends[i]
		if b < 0 {
			b += dim
		}
		if e < 0 {
			e += dim
		}
		// ONNX clamping: [0, dim] for positive steps, [-1, dim-1] for negative.
		var count int64
		if s > 0 {
			b, e = min(max(b, 0), dim), min(max(e, 0), dim)
			if e > b {
				count = (e-b-1)/s + 1
			}
		} else {
			b, e = min(max(b, -1), dim-1), min(max(e, -1), dim-1)
			if b > e {
				count = (b-e-1)/(-s) + 1
			}
		}
		if count > dim {
			return nil, n.errorf("slice of axis %d takes %d of %d elements", ax, count, dim)
		}
		// An empty slice (count 0) is an empty tensor, as ONNX has it
		// (the prefix of a shape before axis 0, say).
		start[ax], stride[ax], out[ax] = int(b), int(s), int(count)
	}
	src := append([]int{}, shape...)
	return &step{outs: []TensorInfo{{DType: in[0].DType, Shape: out}}, run: func(x []*Tensor, _ int) []*Tensor {
		return []*Tensor{gatherStrided(x[0], src, out, start, stride)}
	}}, nil
}

func buildSplit(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 1, 2); err != nil {
		return nil, err
	}
	shape := in[0].Shape
	r := len(shape)
	a, err := n.attrInt("axis", 0)
	if err != nil {
		return nil, err
	}
	ax, err := normAxis(n, a, r)
	if err != nil {
		return nil, err
	}
	k := len(n.Outputs)
	if k == 0 {
		return nil, n.errorf("no outputs")
	}
	dim := shape[ax]
	sizes := make([]int, k)
	split, haveSplit, err := constIntsInput(n, in, 1)
	if err != nil {
		return nil, err
	}
	if haveSplit {
		if len(split) != k {
			return nil, n.errorf("split has %d sizes for %d outputs", len(split), k)
		}
		total := int64(0)
		for i, s := range split {
			if s <= 0 || s > int64(dim) {
				return nil, n.errorf("split size %d must be in [1, %d]", s, dim)
			}
			sizes[i] = int(s)
			total += s
		}
		if total != int64(dim) {
			return nil, n.errorf("split sizes sum to %d, axis has %d", total, dim)
		}
	} else {
		num, err := n.attrInt("num_outputs", int64(k))
		if err != nil {
			return nil, err
		}
		if num != int64(k) {
			return nil, n.errorf("num_outputs %d but %d outputs", num, k)
		}
		chunk := (dim + k - 1) / k
		left := dim
		for i := range sizes {
			sizes[i] = min(chunk, left)
			left -= sizes[i]
			if sizes[i] <= 0 {
				return nil, n.errorf("axis of size %d cannot be split %d ways", dim, k)
			}
		}
	}
	outs := make([]TensorInfo, k)
	starts := make([][]int, k)
	shapes := make([][]int, k)
	off := 0
	for i, s := range sizes {
		shapes[i] = append([]int{}, shape...)
		shapes[i][ax] = s
		starts[i] = make([]int, r)
		starts[i][ax] = off
		off += s
		outs[i] = TensorInfo{DType: in[0].DType, Shape: shapes[i]}
	}
	ones := make([]int, r)
	for d := range ones {
		ones[d] = 1
	}
	src := append([]int{}, shape...)
	return &step{outs: outs, run: func(x []*Tensor, _ int) []*Tensor {
		res := make([]*Tensor, k)
		for i := range res {
			res[i] = gatherStrided(x[0], src, shapes[i], starts[i], ones)
		}
		return res
	}}, nil
}

// buildSqueeze handles Squeeze (axes optional: every 1) and Unsqueeze
// (axes required). Before opset 13 the axes are an attribute; from 13 a
// constant input, and an axes attribute is refused rather than ignored.
func buildSqueeze(n *Node, in []TensorInfo, unsqueeze bool) (*step, error) {
	axes, have, err := squeezeAxes(n, in, unsqueeze)
	if err != nil {
		return nil, err
	}
	shape := in[0].Shape
	if unsqueeze {
		r := len(shape) + len(axes)
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
		out := make([]int, 0, r)
		j := 0
		for d := 0; d < r; d++ {
			if mark[d] {
				out = append(out, 1)
			} else {
				out = append(out, shape[j])
				j++
			}
		}
		return view(in[0], out), nil
	}
	drop := make([]bool, len(shape))
	if !have {
		for d, v := range shape {
			drop[d] = v == 1
		}
	}
	for _, a := range axes {
		ax, err := normAxis(n, a, len(shape))
		if err != nil {
			return nil, err
		}
		if shape[ax] != 1 {
			return nil, n.errorf("cannot squeeze axis %d of size %d", ax, shape[ax])
		}
		drop[ax] = true
	}
	out := []int{}
	for d, v := range shape {
		if !drop[d] {
			out = append(out, v)
		}
	}
	return view(in[0], out), nil
}

// squeezeAxes reads Squeeze's or Unsqueeze's axes in the form of the
// node's opset, and whether it has any.
func squeezeAxes(n *Node, in []TensorInfo, unsqueeze bool) ([]int64, bool, error) {
	_, attr := n.Attrs["axes"]
	if n.Opset < 13 {
		if err := wantInputs(n, in, 1, 1); err != nil {
			return nil, false, err
		}
		if unsqueeze && !attr {
			return nil, false, n.errorf("the axes attribute is required before opset 13")
		}
		axes, err := n.attrInts("axes")
		return axes, attr, err
	}
	if attr {
		return nil, false, n.errorf("axes is an input from opset 13, not an attribute")
	}
	lo := 1
	if unsqueeze {
		lo = 2
	}
	if err := wantInputs(n, in, lo, 2); err != nil {
		return nil, false, err
	}
	return constIntsInput(n, in, 1)
}

// buildCast converts between float32, bool and the integer types. Float to
// integer: floatToInteger (Go leaves the out-of-range conversion to the
// platform, so it is spelled out); integer to float rounds to nearest
// even; integer to integer keeps the low bits; to bool, nonzero is true.
// To float16 or bfloat16: through float32, then rounded to nearest even
// (from an integer above 2^24 that rounds twice: bfloat16 only, as
// float16 overflows long before; from float64 through float32 rounded to
// odd, which makes the second rounding the correct one). To float64:
// exact from every type but integers beyond 2^53 (rounded once); from
// float64 to float32 one nearest-even rounding, to integers truncation
// with float64ToInteger's saturation.
func buildCast(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 1, 1); err != nil {
		return nil, err
	}
	to, err := n.attrInt("to", 0)
	if err != nil {
		return nil, err
	}
	dst := DType(to)
	if to < 0 || to > 255 || (dst != Float32 && dst != Float64 && !dst.half() && dst != Bool && !dst.integer()) {
		return nil, n.errorf("cast to ONNX type %d: only float (1), double (11), float16 (10), bfloat16 (16), bool (9) and the integer types are supported", to)
	}
	src := in[0].DType
	shape := in[0].Shape
	if src == dst {
		return buildIdentity(n, in)
	}
	size := numel(shape)
	return &step{outs: []TensorInfo{{DType: dst, Shape: shape}}, flops: i64(size), run: func(x []*Tensor, _ int) []*Tensor {
		t := newOf(dst, shape)
		srcFloat, dstFloat := !src.ints(), !dst.ints() // float32, float16, bfloat16
		for i := 0; i < size; i++ {
			switch {
			case dst == Float64:
				t.I[i] = f64bits(valueAsFloat64(x[0], i))
			case src == Float64:
				v := f64(x[0], i)
				switch {
				case dst.half():
					t.F[i] = f64ToF32Odd(v) // rounded to the half type below, once in effect
				case dstFloat:
					t.F[i] = float32(v)
				case dst == Bool:
					if v != 0 {
						t.I[i] = 1
					}
				default:
					t.I[i] = float64ToInteger(dst, v)
				}
			case srcFloat && dstFloat:
				t.F[i] = x[0].F[i]
			case srcFloat && dst == Bool: // nonzero (NaN included) is true
				if x[0].F[i] != 0 {
					t.I[i] = 1
				}
			case srcFloat:
				t.I[i] = floatToInteger(dst, x[0].F[i])
			case dstFloat && src == UInt64:
				t.F[i] = uint64ToFloat32(uint64(x[0].I[i]))
			case dstFloat:
				t.F[i] = float32(x[0].I[i])
			case dst == Bool:
				if x[0].I[i] != 0 {
					t.I[i] = 1
				}
			default: // integer or bool to integer: the low bits, as C casts
				t.I[i] = dst.wrap(x[0].I[i])
			}
			if dst.half() {
				t.F[i] = roundHalf(dst, t.F[i])
			}
		}
		return []*Tensor{t}
	}}, nil
}

// uint64ToFloat32 rounds v to nearest even through the signed conversion
// every CPU does in one correctly rounded instruction: above 2^63, v/2
// with its lost bit kept as a sticky bit rounds the same way, then ×2 is
// exact. (Go's own uint64 conversion is a per-architecture sequence.)
func uint64ToFloat32(v uint64) float32 {
	if v < 1<<63 {
		return float32(int64(v))
	}
	return 2 * float32(int64(v>>1|v&1))
}

// buildCastLike is Cast to the type of its second input (opset 15).
func buildCastLike(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 2, 2); err != nil {
		return nil, err
	}
	c := &Node{Name: n.Name, OpType: "Cast", Inputs: n.Inputs[:1], Outputs: n.Outputs, Opset: n.Opset,
		Attrs: map[string]Attr{"to": {Kind: AttrInt, I: int64(in[1].DType)}}}
	st, err := buildCast(c, in[:1])
	if err != nil {
		return nil, n.errorf("%v", err)
	}
	return st, nil
}

// floatToInteger truncates v toward zero into an integer type: NaN is 0,
// values beyond int64 saturate (uint64: beyond its own range), then the
// low bits of the width are kept, as C's conversion through int64 does.
func floatToInteger(dt DType, v float32) int64 {
	if dt == UInt64 && float64(v) >= 1<<63 {
		if float64(v) >= 1<<64 {
			return -1 // 2^64 − 1
		}
		return int64(uint64(v))
	}
	return dt.wrap(floatToInt64(v))
}

func floatToInt64(v float32) int64 {
	switch {
	case v != v:
		return 0
	case float64(v) >= math.MaxInt64:
		return math.MaxInt64
	case float64(v) <= math.MinInt64:
		return math.MinInt64
	}
	return int64(v)
}
