package runtime

// Pad: constant, edge, reflect or wrap padding of any tensor type, pads
// as an attribute before opset 11 and an int64 input from then (with the
// optional constant_value input, and axes from opset 18). A negative pad
// crops. Data movement only: output element o reads input index
// o − padBegin on each axis, mapped by the mode when it falls outside:
//
//	constant: the value (0 by default) · edge: the nearest edge index
//	reflect: mirrored about the edges without repeating them, period 2(n−1)
//	wrap: modulo n

func init() { register("Pad", buildPad) }

func buildPad(n *Node, in []TensorInfo) (*step, error) {
	mode, err := n.attrString("mode", "constant")
	if err != nil {
		return nil, err
	}
	if err := wantInputs(n, in, 1, 4); err != nil {
		return nil, err
	}
	shape := in[0].Shape
	r := len(shape)
	dt := in[0].DType
	switch mode {
	case "constant", "edge", "reflect":
	case "wrap":
		if n.Opset < 19 {
			return nil, n.errorf("mode wrap needs opset 19 (opset %d)", n.Opset)
		}
	default:
		return nil, n.errorf("mode %q: want constant, edge, reflect or wrap", mode)
	}
	var pads []int64
	var value *Tensor // a scalar of dt, or nil for zero
	if n.Opset < 11 {
		if err := wantInputs(n, in, 1, 1); err != nil {
			return nil, err
		}
		if pads, err = n.attrInts("pads"); err != nil {
			return nil, err
		}
		if dt != Float32 {
			return nil, n.errorf("input is %s: Pad before opset 11 takes float32", dt)
		}
		v, err := n.attrFloat("value", 0)
		if err != nil {
			return nil, err
		}
		value = &Tensor{DType: Float32, F: []float32{v}}
	} else {
		if err := wantInputs(n, in, 2, 4); err != nil {
			return nil, err
		}
		var have bool
		if pads, have, err = constIntsInput(n, in, 1); err != nil {
			return nil, err
		} else if !have {
			return nil, n.errorf("needs the pads input")
		}
		if len(in) > 2 && !in[2].absent() {
			if in[2].DType != dt || numel(in[2].Shape) != 1 {
				return nil, n.errorf("constant_value is %s %v: want one %s", in[2].DType, in[2].Shape, dt)
			}
			if in[2].Const == nil {
				return nil, n.needConst(2, "constant_value must be a constant")
			}
			value = in[2].Const
		}
		if len(in) > 3 && !in[3].absent() {
			axes, _, err := constIntsInput(n, in, 3)
			if err != nil {
				return nil, err
			}
			if len(pads) != 2*len(axes) {
				return nil, n.errorf("%d pads for %d axes: want %d", len(pads), len(axes), 2*len(axes))
			}
			full := make([]int64, 2*r)
			seen := make([]bool, r)
			for i, a := range axes {
				ax, err := normAxis(n, a, r)
				if err != nil {
					return nil, err
				}
				if seen[ax] {
					return nil, n.errorf("axis %d repeated", ax)
				}
				seen[ax] = true
				full[ax], full[ax+r] = pads[i], pads[i+len(axes)]
			}
			pads = full
		}
	}
	if len(pads) != 2*r {
		return nil, n.errorf("%d pads for rank %d: want %d", len(pads), r, 2*r)
	}
	begin := make([]int, r)
	out := make([]int, r)
	for d := 0; d < r; d++ {
		b, e := pads[d], pads[d+r]
		if b < -maxElements || b > maxElements || e < -maxElements || e > maxElements {
			return nil, n.errorf("pad %d/%d on axis %d out of range", b, e, d)
		}
		size := int64(shape[d]) + b + e
		if size < 0 || size > maxElements {
			return nil, n.errorf("axis %d of size %d padded by %d and %d gives %d", d, shape[d], b, e, size)
		}
		if size > 0 && shape[d] == 0 && mode != "constant" {
			return nil, n.errorf("mode %s cannot pad the empty axis %d", mode, d)
		}
		begin[d], out[d] = int(b), int(size)
	}
	if err := checkShape(out); err != nil {
		return nil, n.errorf("output %v: %v", out, err)
	}
	size := numel(out)
	inStr := strides(shape)
	return &step{outs: []TensorInfo{{DType: dt, Shape: out}}, flops: i64(size), run: func(x []*Tensor, _ int) []*Tensor {
		t := newOf(dt, out)
		if value != nil {
			for i := 0; i < size; i++ {
				t.put(i, value, 0)
			}
		}
		idx := make([]int, r)
		for e := 0; e < size; e++ {
			off, inside := 0, true
			for d := 0; d < r && inside; d++ {
				i, ok := padIndex(idx[d]-begin[d], shape[d], mode)
				off += i * inStr[d]
				inside = ok
			}
			if inside {
				t.put(e, x[0], off)
			}
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

// padIndex maps index i of an axis of size n by the mode; false means the
// constant value.
func padIndex(i, n int, mode string) (int, bool) {
	if i >= 0 && i < n {
		return i, true
	}
	switch mode {
	case "edge":
		return min(max(i, 0), n-1), true
	case "reflect":
		if n == 1 {
			return 0, true
		}
		p := 2 * (n - 1)
		i %= p
		if i < 0 {
			i += p
		}
		if i >= n {
			i = p - i
		}
		return i, true
	case "wrap":
		i %= n
		if i < 0 {
			i += n
		}
		return i, true
	}
	return 0, false
}
