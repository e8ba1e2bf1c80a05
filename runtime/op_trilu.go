package runtime

// Trilu and GatherElements: data movement, no arithmetic.
//
//	Trilu(x, k = 0; upper = 1): over the last two axes (rows i, columns j; k an int64 scalar)
//	  keeps x where j − i ≥ k (upper) or j − i ≤ k (lower), else 0 (false).
//	GatherElements(data, indices; axis = 0): out has the indices' shape;
//	  out[p] = data[p with its axis coordinate replaced by indices[p]]
//	  (negative indices count from the end; out of range fails the run).
func init() {
	register("Trilu", buildTrilu)
	register("GatherElements", buildGatherElements)
}

func buildTrilu(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 1, 2); err != nil {
		return nil, err
	}
	shape := in[0].Shape
	if len(shape) < 2 {
		return nil, n.errorf("input of rank %d: want rank 2 or more", len(shape))
	}
	if len(in) == 2 && (in[1].DType != Int64 || numel(in[1].Shape) != 1) {
		return nil, n.errorf("k must be an int64 scalar, got %s %v", in[1].DType, in[1].Shape)
	}
	upper, err := n.attrInt("upper", 1)
	if err != nil {
		return nil, err
	}
	rows, cols := shape[len(shape)-2], shape[len(shape)-1]
	size := numel(shape)
	dt := in[0].DType
	return &step{outs: []TensorInfo{{DType: dt, Shape: shape}}, flops: i64(size), run: func(x []*Tensor, _ int) []*Tensor {
		k := int64(0) // read with each run: k may be a runtime input
		if len(x) == 2 {
			k = x[1].I[0]
		}
		keep := func(e int) bool {
			i, j := int64((e/cols)%rows), int64(e%cols)
			if upper != 0 {
				return j-i >= k
			}
			return j-i <= k
		}
		t := newOf(dt, shape)
		for e := 0; e < size; e++ {
			if keep(e) {
				t.put(e, x[0], e)
			}
		}
		return []*Tensor{t}
	}}, nil
}

func buildGatherElements(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 2, 2); err != nil {
		return nil, err
	}
	if !indexType(in[1].DType) {
		return nil, n.errorf("indices are %s, want int64 or int32", in[1].DType)
	}
	shape, ishape := in[0].Shape, in[1].Shape
	geo, err := elementsGeometryOf(n, shape, ishape)
	if err != nil {
		return nil, err
	}
	dt := in[0].DType
	size := numel(ishape)
	return &step{outs: []TensorInfo{{DType: dt, Shape: ishape}}, flops: i64(size), run: func(x []*Tensor, _ int) []*Tensor {
		t := newOf(dt, ishape)
		for e := 0; e < size; e++ {
			t.put(e, x[0], geo.offset(e, x[1].I[e]))
		}
		return []*Tensor{t}
	}}, nil
}

// elementsGeometry is GatherElements' and ScatterElements' indexing: index
// element e addresses the data at its own coordinates, except along axis,
// where it takes the index's value.
type elementsGeometry struct {
	axis       int
	shape      []int // the data's
	dstr, istr []int
}

// elementsGeometryOf checks data and indices of one rank, indices no
// larger than the data off the axis, and reads axis (default 0).
func elementsGeometryOf(n *Node, shape, ishape []int) (elementsGeometry, error) {
	r := len(shape)
	if r == 0 || len(ishape) != r {
		return elementsGeometry{}, n.errorf("data %v and indices %v: want the same rank, at least 1", shape, ishape)
	}
	a, err := n.attrInt("axis", 0)
	if err != nil {
		return elementsGeometry{}, err
	}
	axis, err := normAxis(n, a, r)
	if err != nil {
		return elementsGeometry{}, err
	}
	for d := range ishape {
		if d != axis && ishape[d] > shape[d] {
			return elementsGeometry{}, n.errorf("indices %v exceed data %v on axis %d", ishape, shape, d)
		}
	}
	return elementsGeometry{axis: axis, shape: shape, dstr: strides(shape), istr: strides(ishape)}, nil
}

// offset is the data offset index element e addresses; an index outside
// the axis fails the item's run (fixIndex).
func (g elementsGeometry) offset(e int, index int64) int {
	off, rest := 0, e
	for d := range g.istr {
		c := rest / g.istr[d]
		rest %= g.istr[d]
		if d == g.axis {
			c = fixIndex(index, g.shape[d])
		}
		off += c * g.dstr[d]
	}
	return off
}
