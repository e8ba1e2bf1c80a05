package runtime

// Data-movement operators: no arithmetic, so no rounding and no order to
// fix. Reshape, Flatten and Identity share their input's data (tensors are
// never mutated after they are produced).

func init() {
	register("Identity", buildIdentity)
	register("Reshape", buildReshape)
	register("Flatten", buildFlatten)
}

func buildIdentity(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 1, 1); err != nil {
		return nil, err
	}
	info := TensorInfo{DType: in[0].DType, Shape: in[0].Shape, Const: in[0].Const}
	return &step{outs: []TensorInfo{info}, run: func(x []*Tensor, _ int) []*Tensor {
		return []*Tensor{x[0]}
	}}, nil
}

// view returns a step whose output is its first input under a new shape.
func view(in TensorInfo, shape []int) *step {
	info := TensorInfo{DType: in.DType, Shape: shape}
	if in.Const != nil {
		info.Const = &Tensor{DType: in.DType, Shape: shape, F: in.Const.F, I: in.Const.I}
	}
	return &step{outs: []TensorInfo{info}, run: func(x []*Tensor, _ int) []*Tensor {
		return []*Tensor{{DType: x[0].DType, Shape: shape, F: x[0].F, I: x[0].I}}
	}}
}

// buildReshape requires the target shape to be a compile-time constant
// (an initializer or Constant output), so shapes stay static.
func buildReshape(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 2, 2); err != nil {
		return nil, err
	}
	sh := in[1].Const
	if in[1].DType != Int64 || len(in[1].Shape) != 1 {
		return nil, n.errorf("the shape input is %s %v: want a constant 1-D int64 tensor", in[1].DType, in[1].Shape)
	}
	if sh == nil {
		return nil, n.needConst(1, "the shape input must be a constant 1-D int64 tensor")
	}
	allowZero, err := n.attrInt("allowzero", 0)
	if err != nil {
		return nil, err
	}
	src := in[0].Shape
	out := make([]int, len(sh.I))
	infer, known := -1, 1
	for i, d := range sh.I {
		switch {
		case d == -1:
			if infer >= 0 {
				return nil, n.errorf("shape %v has more than one -1", sh.I)
			}
			infer = i
			continue
		case d == 0 && allowZero == 0:
			if i >= len(src) {
				return nil, n.errorf("shape %v copies dimension %d of rank-%d input", sh.I, i, len(src))
			}
			out[i] = src[i]
		case d < 0 || d > maxElements:
			return nil, n.errorf("invalid dimension %d in shape %v", d, sh.I)
		default:
			out[i] = int(d)
		}
		if err := checkShape(out[:i+1]); err != nil {
			return nil, n.errorf("%v", err)
		}
		known *= out[i]
	}
	total := numel(src)
	if infer >= 0 {
		if known == 0 || total%known != 0 {
			return nil, n.errorf("cannot reshape %v to %v", src, sh.I)
		}
		out[infer] = total / known
	}
	if numel(out) != total {
		return nil, n.errorf("cannot reshape %v (%d elements) to %v", src, total, out)
	}
	return view(in[0], out), nil
}

func buildFlatten(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 1, 1); err != nil {
		return nil, err
	}
	src := in[0].Shape
	axis, err := n.attrInt("axis", 1)
	if err != nil {
		return nil, err
	}
	r := int64(len(src))
	if axis < -r || axis > r {
		return nil, n.errorf("axis %d out of range for rank %d", axis, r)
	}
	if axis < 0 {
		axis += r
	}
	return view(in[0], []int{numel(src[:axis]), numel(src[axis:])}), nil
}
