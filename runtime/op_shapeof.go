package runtime

// Shape, Size and ConstantOfShape. Shapes are static: every tensor's shape
// is known when the program compiles, so these give compile-time values
// whatever their input's contents, and what follows them (Reshape,
// Expand, ...) sees a constant. No arithmetic: no order to fix.

func init() {
	register("Shape", buildShapeOf)
	register("Size", buildSize)
	register("ConstantOfShape", buildConstantOfShape)
}

// constStep is a step whose output is a value known at compile time.
func constStep(t *Tensor) *step {
	return &step{outs: []TensorInfo{{DType: t.DType, Shape: t.Shape, Const: t}}, run: func([]*Tensor, int) []*Tensor {
		return []*Tensor{t}
	}}
}

// buildShapeOf: the input's dimensions as a 1-D int64 tensor; from opset 15
// the start and end attributes slice them (negative counts from the end,
// both clamped to [0, rank]).
func buildShapeOf(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 1, 1); err != nil {
		return nil, err
	}
	shape := in[0].Shape
	r := int64(len(shape))
	start, err := n.attrInt("start", 0)
	if err != nil {
		return nil, err
	}
	end, err := n.attrInt("end", r)
	if err != nil {
		return nil, err
	}
	if n.Opset < 15 && (n.Attrs["start"].Kind != 0 || n.Attrs["end"].Kind != 0) {
		return nil, n.errorf("start and end are attributes from opset 15")
	}
	clamp := func(v int64) int64 {
		if v < 0 {
			v += r
		}
		return min(max(v, 0), r)
	}
	start, end = clamp(start), clamp(end)
	dims := []int64{}
	for d := start; d < end; d++ {
		dims = append(dims, int64(shape[d]))
	}
	t, err := FromInts([]int{len(dims)}, dims)
	if err != nil {
		return nil, n.errorf("%v", err)
	}
	return constStep(t), nil
}

// buildSize: the input's element count as an int64 scalar.
func buildSize(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 1, 1); err != nil {
		return nil, err
	}
	t, err := FromInts(nil, []int64{int64(numel(in[0].Shape))})
	if err != nil {
		return nil, n.errorf("%v", err)
	}
	return constStep(t), nil
}

// buildConstantOfShape: a tensor of the constant shape input, every element
// the value attribute's one element (float32 0 without it).
func buildConstantOfShape(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 1, 1); err != nil {
		return nil, err
	}
	dims, _, err := constIntsInput(n, in, 0)
	if err != nil {
		return nil, err
	}
	if len(in[0].Shape) != 1 {
		return nil, n.errorf("the shape input must be 1-D, got %v", in[0].Shape)
	}
	shape := make([]int, len(dims))
	for i, d := range dims {
		if d < 0 {
			return nil, n.errorf("dimension %d is negative", d)
		}
		shape[i] = int(d)
	}
	if err := checkShape(shape); err != nil {
		return nil, n.errorf("%v", err)
	}
	fill := &Tensor{DType: Float32, F: []float32{0}}
	if a, ok := n.Attrs["value"]; ok {
		if a.Kind != AttrTensor || a.T == nil || len(a.T.F)+len(a.T.I) != 1 {
			return nil, n.errorf("value must be a one-element tensor")
		}
		fill = a.T
	}
	// A plain step: its input is a constant, so Compile folds it, after
	// checking the output against the element limit and the folding budget
	// (the builder must not allocate a shape nobody has bounded yet).
	size := numel(shape)
	dt := fill.DType
	return &step{outs: []TensorInfo{{DType: dt, Shape: shape}}, flops: i64(size), run: func([]*Tensor, int) []*Tensor {
		t := &Tensor{DType: dt, Shape: shape}
		if dt.ints() {
			t.I = make([]int64, size)
			for i := range t.I {
				t.I[i] = fill.I[0]
			}
		} else {
			t.F = make([]float32, size)
			for i := range t.F {
				t.F[i] = fill.F[0]
			}
		}
		return []*Tensor{t}
	}}, nil
}
