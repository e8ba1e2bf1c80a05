package runtime

// BatchNormalization in inference mode over NCHW-like inputs (channel axis 1).
//
// Per element x in channel c:
//
//	d = Sqrt(var[c] + epsilon)          (float32 add, correctly rounded sqrt)
//	y = float32(((x - mean[c]) / d) * scale[c]) + bias[c]
//
// Only the first output is supported; training-mode outputs are an error.

func init() { register("BatchNormalization", buildBatchNorm) }

func buildBatchNorm(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 5, 5); err != nil {
		return nil, err
	}
	for i := range in {
		if err := wantFloat(n, in, i); err != nil {
			return nil, err
		}
	}
	if len(n.Outputs) > 1 {
		return nil, n.errorf("training-mode outputs are not supported")
	}
	if tm, err := n.attrInt("training_mode", 0); err != nil || tm != 0 {
		return nil, n.errorf("training_mode must be 0")
	}
	if sp, err := n.attrInt("spatial", 1); err != nil || sp != 1 {
		return nil, n.errorf("spatial must be 1")
	}
	eps, err := n.attrFloat("epsilon", 1e-5)
	if err != nil {
		return nil, err
	}
	xs := in[0].Shape
	if len(xs) < 2 {
		return nil, n.errorf("input rank %d, want at least 2", len(xs))
	}
	C := xs[1]
	for i := 1; i < 5; i++ {
		if len(in[i].Shape) != 1 || in[i].Shape[0] != C {
			return nil, n.errorf("input %d shape %v, want [%d]", i, in[i].Shape, C)
		}
	}
	inner := numel(xs[2:])
	size := numel(xs)
	params := &BatchNormParams{Size: size, C: C, Inner: inner, Epsilon: eps}
	return &step{outs: floatOut(xs), flops: 4 * i64(size), params: params, run: func(x []*Tensor, workers int) []*Tensor {
		out := &Tensor{DType: Float32, Shape: xs, F: make([]float32, size)}
		X, scale, bias, mean, vr := x[0].F, x[1].F, x[2].F, x[3].F, x[4].F
		planes := size / max(inner, 1)
		parallelFor(workers, planes, inner*4, func(lo, hi int) {
			for p := lo; p < hi; p++ {
				c := p % C
				d := Sqrt(vr[c] + eps)
				for i := p * inner; i < (p+1)*inner; i++ {
					out.F[i] = float32(((X[i]-mean[c])/d)*scale[c]) + bias[c]
				}
			}
		})
		return []*Tensor{out}
	}}, nil
}
