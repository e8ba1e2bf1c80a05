package runtime

// LayerNormalization (opset 17) and RMSNormalization (opset 23) over the
// trailing axes from `axis` (default -1). Scale (and LayerNormalization's
// optional bias) have the normalised block's shape. Each block of N
// elements x_j is processed in this order, all in float32:
//
//	LayerNormalization:
//	  s = +0; for j ascending: s = s + x_j;             mean = s / N
//	  v = +0; for j ascending: d = x_j − mean; v = v + float32(d·d);   var = v / N
//	  inv = 1 / Sqrt(var + epsilon)
//	  y_j = float32(float32((x_j − mean)·inv)·scale_j) [+ b_j]
//	RMSNormalization:
//	  q = +0; for j ascending: q = q + float32(x_j·x_j); ms = q / N
//	  inv = 1 / Sqrt(ms + epsilon)
//	  y_j = float32(float32(x_j·inv)·scale_j)
//
// LayerNormalization's optional Mean and InvStdDev outputs are mean and inv
// of each block, shaped like the input with the normalised axes as 1.

func init() {
	register("LayerNormalization", func(n *Node, in []TensorInfo) (*step, error) { return buildNorm(n, in, false) })
	register("RMSNormalization", func(n *Node, in []TensorInfo) (*step, error) { return buildNorm(n, in, true) })
}

func buildNorm(n *Node, in []TensorInfo, rms bool) (*step, error) {
	hi := 3
	if rms {
		hi = 2
	}
	if err := wantInputs(n, in, 2, hi); err != nil {
		return nil, err
	}
	for i := range in {
		if err := wantFloat(n, in, i); err != nil {
			return nil, err
		}
	}
	stats := len(n.Outputs) - 1 // Mean, then InvStdDev
	if stats < 0 || stats > 2 || (rms && stats > 0) {
		return nil, n.errorf("has %d outputs: Y, and for LayerNormalization optionally Mean and InvStdDev", len(n.Outputs))
	}
	shape := in[0].Shape
	r := len(shape)
	axis, err := n.attrInt("axis", -1)
	if err != nil {
		return nil, err
	}
	if r == 0 || axis < -int64(r) || axis >= int64(r) {
		return nil, n.errorf("axis %d out of range for rank %d", axis, r)
	}
	if axis < 0 {
		axis += int64(r)
	}
	eps, err := n.attrFloat("epsilon", 1e-5)
	if err != nil {
		return nil, err
	}
	if !(eps >= 0) {
		return nil, n.errorf("epsilon %v must be >= 0", eps)
	}
	block := shape[axis:]
	N := numel(block)
	for i := 1; i < len(in); i++ {
		if !sameShape(trimOnes(in[i].Shape), trimOnes(block)) {
			return nil, n.errorf("input %d has shape %v, want the normalised block %v", i, in[i].Shape, block)
		}
	}
	groups := numel(shape[:axis])
	size := numel(shape)
	statShape := append(append([]int{}, shape[:axis]...), make([]int, r-int(axis))...)
	for i := int(axis); i < r; i++ {
		statShape[i] = 1
	}
	outs := floatOut(shape)
	for k := 0; k < stats; k++ {
		outs = append(outs, floatOut(statShape)...)
	}
	return &step{outs: outs, flops: 6 * i64(size), fresh: true, run: func(x []*Tensor, w int) []*Tensor {
		out := newUnclearedTensor(shape) // each group writes its whole block
		means := &Tensor{DType: Float32, Shape: statShape, F: newFloats(groups)}
		invs := &Tensor{DType: Float32, Shape: statShape, F: newFloats(groups)}
		X, scale := x[0].F, x[1].F
		var bias []float32
		if len(x) > 2 {
			bias = x[2].F
		}
		nf := float32(N)
		parallelFor(w, groups, 6*N, func(lo, hi int) {
			for g := lo; g < hi; g++ {
				xs, ys := X[g*N:(g+1)*N], out.F[g*N:(g+1)*N]
				if rms {
					var q float32
					for _, v := range xs {
						q = q + float32(v*v)
					}
					inv := 1 / Sqrt(q/nf+eps)
					for j, v := range xs {
						ys[j] = float32(float32(v*inv) * scale[j])
					}
					continue
				}
				var s float32
				for _, v := range xs {
					s = s + v
				}
				mean := s / nf
				var q float32
				for _, v := range xs {
					d := v - mean
					q = q + float32(d*d)
				}
				inv := 1 / Sqrt(q/nf+eps)
				means.F[g], invs.F[g] = mean, inv
				for j, v := range xs {
					y := float32(float32((v-mean)*inv) * scale[j])
					if bias != nil {
						y = y + bias[j]
					}
					ys[j] = y
				}
			}
		})
		return append([]*Tensor{out}, []*Tensor{means, invs}[:stats]...)
	}}, nil
}

// trimOnes drops leading 1s: a scale of shape [1, D] fits a block of [D].
func trimOnes(s []int) []int {
	for len(s) > 0 && s[0] == 1 {
		s = s[1:]
	}
	return s
}
