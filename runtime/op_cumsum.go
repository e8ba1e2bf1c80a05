package runtime

// CumSum along one axis (a constant scalar input, int64 or int32), in
// order — ascending, or descending with reverse=1 — each output the running
// sum so far (exclusive=1: before its own element). float32 adds round
// once each, float64 adds likewise in float64, integers wrap to their type.

func init() { register("CumSum", buildCumSum) }

func buildCumSum(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 2, 2); err != nil {
		return nil, err
	}
	dt := in[0].DType
	if dt != Float32 && dt != Float64 && !dt.integer() {
		return nil, n.errorf("input is %s: want float32, float64 or an integer type", dt)
	}
	if !indexType(in[1].DType) || numel(in[1].Shape) != 1 {
		return nil, n.errorf("axis is %s %v: want one int64 or int32", in[1].DType, in[1].Shape)
	}
	if in[1].Const == nil {
		return nil, n.needConst(1, "axis must be a constant")
	}
	shape := in[0].Shape
	axis, err := normAxis(n, in[1].Const.I[0], len(shape))
	if err != nil {
		return nil, err
	}
	exclusive, err := n.attrInt("exclusive", 0)
	if err != nil {
		return nil, err
	}
	reverse, err := n.attrInt("reverse", 0)
	if err != nil {
		return nil, err
	}
	dim, inner := shape[axis], numel(shape[axis+1:])
	outer := numel(shape[:axis])
	size := numel(shape)
	return &step{outs: []TensorInfo{{DType: dt, Shape: shape}}, flops: i64(size), run: func(x []*Tensor, _ int) []*Tensor {
		t := newOf(dt, shape)
		src := x[0]
		for o := 0; o < outer; o++ {
			for in := 0; in < inner; in++ {
				var fs float32
				var ds float64
				var is int64
				for s := 0; s < dim; s++ {
					k := s
					if reverse == 1 {
						k = dim - 1 - s
					}
					e := (o*dim+k)*inner + in
					if exclusive == 1 {
						switch dt {
						case Float32:
							t.F[e] = fs
						case Float64:
							t.I[e] = f64bits(ds)
						default:
							t.I[e] = is
						}
					}
					switch dt {
					case Float32:
						fs = fs + src.F[e]
					case Float64:
						ds = ds + f64(src, e)
					default:
						is = dt.wrap(is + src.I[e])
					}
					if exclusive != 1 {
						switch dt {
						case Float32:
							t.F[e] = fs
						case Float64:
							t.I[e] = f64bits(ds)
						default:
							t.I[e] = is
						}
					}
				}
			}
		}
		return []*Tensor{t}
	}}, nil
}
