package runtime

// Transpose, Concat and Constant: data movement and constants.

func init() {
	register("Transpose", buildTranspose)
	register("Concat", buildConcat)
	register("Constant", buildConstant)
}

func buildTranspose(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 1, 1); err != nil {
		return nil, err
	}
	src := in[0].Shape
	r := len(src)
	perm, err := n.attrInts("perm")
	if err != nil {
		return nil, err
	}
	p := make([]int, r)
	if perm == nil {
		for i := range p {
			p[i] = r - 1 - i
		}
	} else {
		if len(perm) != r {
			return nil, n.errorf("perm %v for rank %d", perm, r)
		}
		seen := make([]bool, r)
		for i, v := range perm {
			if v < 0 || v >= int64(r) || seen[v] {
				return nil, n.errorf("perm %v is not a permutation", perm)
			}
			seen[v] = true
			p[i] = int(v)
		}
	}
	out := make([]int, r)
	for i := range p {
		out[i] = src[p[i]]
	}
	dtype := in[0].DType
	size := numel(src)
	if dtype == Float32 && size > 0 && r > 0 {
		return transposeFloats(src, out, p), nil
	}
	return &step{outs: []TensorInfo{{DType: dtype, Shape: out}}, run: func(x []*Tensor, _ int) []*Tensor {
		st := strides(src)
		t := newOf(dtype, out)
		idx := make([]int, r)
		for o := 0; o < size; o++ {
			off := 0
			for d := 0; d < r; d++ {
				off += idx[d] * st[p[d]]
			}
			t.put(o, x[0], off)
			for d := r - 1; d >= 0; d-- {
				if idx[d]++; idx[d] < out[d] {
					break
				}
				idx[d] = 0
			}
		}
		return []*Tensor{t}
	}}, nil
}

func buildConcat(n *Node, in []TensorInfo) (*step, error) {
	if len(in) < 1 {
		return nil, n.errorf("needs at least one input")
	}
	axis, ok := n.Attrs["axis"]
	if !ok || axis.Kind != AttrInt {
		return nil, n.errorf("needs an int axis attribute")
	}
	r := int64(len(in[0].Shape))
	a := axis.I
	if a < -r || a >= r {
		return nil, n.errorf("axis %d out of range for rank %d", a, r)
	}
	if a < 0 {
		a += r
	}
	ax := int(a)
	out := append([]int(nil), in[0].Shape...)
	out[ax] = 0
	for i, t := range in {
		if t.DType != in[0].DType || len(t.Shape) != len(out) {
			return nil, n.errorf("input %d (%s %v) does not match input 0 (%s %v)", i, t.DType, t.Shape, in[0].DType, in[0].Shape)
		}
		for d := range out {
			if d != ax && t.Shape[d] != out[d] {
				return nil, n.errorf("input %d shape %v differs off axis %d", i, t.Shape, ax)
			}
		}
		out[ax] += t.Shape[ax]
	}
	if err := checkShape(out); err != nil {
		return nil, n.errorf("%v", err)
	}
	dtype := in[0].DType
	outer, inner := numel(out[:ax]), numel(out[ax+1:])
	return &step{outs: []TensorInfo{{DType: dtype, Shape: out}}, run: func(x []*Tensor, _ int) []*Tensor {
		t := &Tensor{DType: dtype, Shape: out}
		if dtype.ints() {
			t.I = make([]int64, 0, numel(out))
		} else {
			t.F = make([]float32, 0, numel(out))
		}
		for o := 0; o < outer; o++ {
			for _, s := range x {
				blk := s.Shape[ax] * inner
				if dtype.ints() {
					t.I = append(t.I, s.I[o*blk:(o+1)*blk]...)
				} else {
					t.F = append(t.F, s.F[o*blk:(o+1)*blk]...)
				}
			}
		}
		return []*Tensor{t}
	}}, nil
}

// buildConstant supports value (a tensor) and the scalar/list shorthands.
func buildConstant(n *Node, in []TensorInfo) (*step, error) {
	if len(in) != 0 {
		return nil, n.errorf("Constant takes no inputs")
	}
	var t *Tensor
	var err error
	found := 0
	if a, ok := n.Attrs["value"]; ok && a.Kind == AttrTensor && a.T != nil {
		t, found = a.T, found+1
	}
	if a, ok := n.Attrs["value_float"]; ok && a.Kind == AttrFloat {
		t, err = FromFloats(nil, []float32{a.F})
		found++
	}
	if a, ok := n.Attrs["value_floats"]; ok && a.Kind == AttrFloats {
		t, err = FromFloats([]int{len(a.Floats)}, a.Floats)
		found++
	}
	if a, ok := n.Attrs["value_int"]; ok && a.Kind == AttrInt {
		t, err = FromInts(nil, []int64{a.I})
		found++
	}
	if a, ok := n.Attrs["value_ints"]; ok && a.Kind == AttrInts {
		t, err = FromInts([]int{len(a.Ints)}, a.Ints)
		found++
	}
	if err != nil || found != 1 {
		return nil, n.errorf("needs exactly one supported value attribute")
	}
	info := TensorInfo{DType: t.DType, Shape: t.Shape, Const: t}
	return &step{outs: []TensorInfo{info}, run: func([]*Tensor, int) []*Tensor { return []*Tensor{t} }}, nil
}
