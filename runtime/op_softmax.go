package runtime

import "math"

// Softmax and LogSoftmax.
//
// Opset < 13 coerces the input to 2-D at axis (default 1) and normalises each
// row of the flattened trailing block; opset >= 13 normalises along the one
// axis (default -1). Either way each normalised group of L elements x_j is
// processed in this order:
//
//	m = -Inf; for j ascending: if x_j > m or x_j is NaN: m = x_j
//	t_j = Exp(x_j - m)                      (float32 subtraction, runtime Exp)
//	s = +0; for j ascending: s = s + t_j
//	Softmax:    y_j = t_j / s
//	LogSoftmax: y_j = (x_j - m) - Log(s)

func init() {
	register("Softmax", func(n *Node, in []TensorInfo) (*step, error) { return buildSoftmax(n, in, false) })
	register("LogSoftmax", func(n *Node, in []TensorInfo) (*step, error) { return buildSoftmax(n, in, true) })
}

func buildSoftmax(n *Node, in []TensorInfo, logOut bool) (*step, error) {
	if err := wantInputs(n, in, 1, 1); err != nil {
		return nil, err
	}
	if err := wantFloat(n, in, 0); err != nil {
		return nil, err
	}
	shape := in[0].Shape
	r := len(shape)
	def := int64(-1)
	if n.Opset < 13 {
		def = 1
	}
	axis, err := n.attrInt("axis", def)
	if err != nil {
		return nil, err
	}
	if axis < -int64(r) || axis >= int64(r) || r == 0 {
		return nil, n.errorf("axis %d out of range for rank %d", axis, r)
	}
	if axis < 0 {
		axis += int64(r)
	}
	a := int(axis)
	// outer groups x L elements at stride inner
	outer, L, inner := numel(shape[:a]), shape[a], numel(shape[a+1:])
	if n.Opset < 13 {
		L, inner = numel(shape[a:]), 1
	}
	size := numel(shape)
	params := &SoftmaxParams{Outer: outer, L: L, Inner: inner, Log: logOut}
	return &step{outs: floatOut(shape), flops: 4 * i64(size), params: params, fresh: true, run: func(x []*Tensor, workers int) []*Tensor {
		out := newUnclearedTensor(shape) // the groups cover every element
		X := x[0].F
		parallelFor(workers, outer*inner, L*8, func(lo, hi int) {
			for g := lo; g < hi; g++ {
				base := (g/inner)*L*inner + g%inner
				softmaxGroup(X, out.F, base, inner, L, logOut)
			}
		})
		return []*Tensor{out}
	}}, nil
}

// softmaxGroup normalises the L elements at base, base+stride, ...
func softmaxGroup(X, Y []float32, base, stride, L int, logOut bool) {
	m := float32(math.Inf(-1))
	for j := 0; j < L; j++ {
		v := X[base+j*stride]
		if v > m || v != v {
			m = v
		}
	}
	var s float32
	if stride == 1 {
		ys := Y[base : base+L]
		ExpRow(ys, X[base:base+L], m)
		for _, t := range ys {
			s = s + t
		}
	} else {
		for j := 0; j < L; j++ {
			t := Exp(X[base+j*stride] - m)
			Y[base+j*stride] = t
			s = s + t
		}
	}
	if logOut {
		ls := Log(s)
		for j := 0; j < L; j++ {
			Y[base+j*stride] = (X[base+j*stride] - m) - ls
		}
		return
	}
	for j := 0; j < L; j++ {
		Y[base+j*stride] = Y[base+j*stride] / s
	}
}
