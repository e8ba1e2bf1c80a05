package runtime

import "math"

// Small operators, no reduction order to fix:
//
//	Hardmax: 1 at the first maximum of each group along axis (opset < 13:
//	  the flattened trailing block from axis, default 1; from 13 the one
//	  axis, default −1), 0 elsewhere; a NaN counts as the maximum.
//	DepthToSpace (DCR or CRD) and SpaceToDepth: NCHW data movement.
//	Tile: repeats per axis from a constant int64 input.
//	Expand: broadcasts to a constant int64 shape (numpy rules).
//	IsNaN, IsInf (detect_positive, detect_negative): bool outputs.
//	Shrink(lambd = 0.5, bias = 0): x < −λ → x + bias; x > λ → x − bias; else 0.
func init() {
	register("Hardmax", buildHardmax)
	register("DepthToSpace", func(n *Node, in []TensorInfo) (*step, error) { return buildDepthSpace(n, in, true) })
	register("SpaceToDepth", func(n *Node, in []TensorInfo) (*step, error) { return buildDepthSpace(n, in, false) })
	register("Tile", buildTile)
	register("Expand", buildExpand)
	register("IsNaN", buildIsClass(func(*Node) (func(float32) bool, error) {
		return func(x float32) bool { return x != x }, nil
	}))
	register("IsInf", buildIsClass(func(n *Node) (func(float32) bool, error) {
		pos, err := n.attrInt("detect_positive", 1)
		if err != nil {
			return nil, err
		}
		neg, err := n.attrInt("detect_negative", 1)
		if err != nil {
			return nil, err
		}
		return func(x float32) bool {
			return (pos != 0 && math.IsInf(float64(x), 1)) || (neg != 0 && math.IsInf(float64(x), -1))
		}, nil
	}))
	register("Shrink", elementwiseCPU(func(n *Node) (func(float32) float32, error) {
		l, err := n.attrFloat("lambd", 0.5)
		if err != nil {
			return nil, err
		}
		b, err := n.attrFloat("bias", 0)
		if err != nil {
			return nil, err
		}
		return func(x float32) float32 {
			switch {
			case x < -l:
				return x + b
			case x > l:
				return x - b
			}
			return 0
		}, nil
	}))
}

func buildHardmax(n *Node, in []TensorInfo) (*step, error) {
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
	a, err := n.attrInt("axis", def)
	if err != nil {
		return nil, err
	}
	axis, err := normAxis(n, a, r)
	if err != nil {
		return nil, err
	}
	outer, L, inner := numel(shape[:axis]), shape[axis], numel(shape[axis+1:])
	if n.Opset < 13 {
		L, inner = numel(shape[axis:]), 1
	}
	size := numel(shape)
	return &step{outs: floatOut(shape), flops: i64(size), run: func(x []*Tensor, _ int) []*Tensor {
		t := &Tensor{DType: Float32, Shape: shape, F: make([]float32, size)}
		for o := 0; o < outer; o++ {
			for d := 0; d < inner; d++ {
				base, best := o*L*inner+d, 0
				for j := 1; j < L; j++ {
					v, b := x[0].F[base+j*inner], x[0].F[base+best*inner]
					if b == b && (v > b || v != v) {
						best = j
					}
				}
				if L > 0 {
					t.F[base+best*inner] = 1
				}
			}
		}
		return []*Tensor{t}
	}}, nil
}

// buildDepthSpace moves blocks of blocksize² channels into (toSpace) or out
// of the spatial dimensions of an NCHW tensor.
func buildDepthSpace(n *Node, in []TensorInfo, toSpace bool) (*step, error) {
	if err := wantInputs(n, in, 1, 1); err != nil {
		return nil, err
	}
	s := in[0].Shape
	if len(s) != 4 {
		return nil, n.errorf("input %v: want NCHW", s)
	}
	b64, err := n.attrInt("blocksize", 0)
	if err != nil {
		return nil, err
	}
	if b64 < 1 || b64 > 1<<12 {
		return nil, n.errorf("blocksize %d: want 1 to 4096", b64)
	}
	mode, err := n.attrString("mode", "DCR")
	if err != nil {
		return nil, err
	}
	if mode != "DCR" && mode != "CRD" {
		return nil, n.errorf("mode %q: want DCR or CRD", mode)
	}
	bs := int(b64)
	N, C, H, W := s[0], s[1], s[2], s[3]
	var out []int
	if toSpace {
		if C%(bs*bs) != 0 {
			return nil, n.errorf("%d channels are not divisible by blocksize² %d", C, bs*bs)
		}
		out = []int{N, C / (bs * bs), H * bs, W * bs}
	} else {
		if H%bs != 0 || W%bs != 0 {
			return nil, n.errorf("height %d and width %d must be divisible by blocksize %d", H, W, bs)
		}
		out = []int{N, C * bs * bs, H / bs, W / bs}
	}
	if err := checkShape(out); err != nil {
		return nil, n.errorf("%v", err)
	}
	dt := in[0].DType
	size := numel(out)
	// src maps an output element to its input offset.
	src := func(e int) int {
		w, h, c, b := e%out[3], (e/out[3])%out[2], (e/(out[3]*out[2]))%out[1], e/(out[3]*out[2]*out[1])
		if toSpace {
			oc := out[1]
			bh, bw := h%bs, w%bs
			var ic int
			if mode == "DCR" {
				ic = (bh*bs+bw)*oc + c
			} else {
				ic = c*bs*bs + bh*bs + bw
			}
			return ((b*C+ic)*H+h/bs)*W + w/bs
		}
		// SpaceToDepth (DCR order): c = (bh·bs + bw)·C + ic
		ic, blk := c%C, c/C
		bh, bw := blk/bs, blk%bs
		return ((b*C+ic)*H+h*bs+bh)*W + w*bs + bw
	}
	return &step{outs: []TensorInfo{{DType: dt, Shape: out}}, flops: i64(size), run: func(x []*Tensor, _ int) []*Tensor {
		t := newOf(dt, out)
		for e := 0; e < size; e++ {
			t.put(e, x[0], src(e))
		}
		return []*Tensor{t}
	}}, nil
}

// gatherBy is a data-movement step whose output element at index idx is
// the input element at offset src(idx).
func gatherBy(in TensorInfo, out []int, src func(idx []int) int) *step {
	dt := in.DType
	size := numel(out)
	return &step{outs: []TensorInfo{{DType: dt, Shape: out}}, flops: i64(size), run: func(x []*Tensor, _ int) []*Tensor {
		t := newOf(dt, out)
		idx := make([]int, len(out))
		for e := 0; e < size; e++ {
			rest := e
			for d := len(out) - 1; d >= 0; d-- {
				idx[d] = rest % out[d]
				rest /= out[d]
			}
			t.put(e, x[0], src(idx))
		}
		return []*Tensor{t}
	}}
}

func buildTile(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 2, 2); err != nil {
		return nil, err
	}
	reps, _, err := constIntsInput(n, in, 1)
	if err != nil {
		return nil, err
	}
	shape := in[0].Shape
	if len(reps) != len(shape) {
		return nil, n.errorf("%d repeats for rank %d", len(reps), len(shape))
	}
	out := make([]int, len(shape))
	for i, r := range reps {
		if r < 0 || (r > 0 && int64(shape[i]) > maxElements/r) {
			return nil, n.errorf("repeat %d of an axis of %d is out of range", r, shape[i])
		}
		out[i] = shape[i] * int(r)
	}
	if err := checkShape(out); err != nil || int64(numel(out)) > maxElements {
		return nil, n.errorf("output %v too large", out)
	}
	st := strides(shape)
	return gatherBy(in[0], out, func(idx []int) int {
		o := 0
		for d, i := range idx {
			o += (i % shape[d]) * st[d]
		}
		return o
	}), nil
}

func buildExpand(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 2, 2); err != nil {
		return nil, err
	}
	dims, _, err := constIntsInput(n, in, 1)
	if err != nil {
		return nil, err
	}
	target := make([]int, len(dims))
	for i, d := range dims {
		if d < 0 || d > maxElements {
			return nil, n.errorf("dimension %d out of range", d)
		}
		target[i] = int(d)
	}
	return broadcastStep(n, [][]int{in[0].Shape, target}, in[0].DType, 1, func(t *Tensor, x []*Tensor, i int, off []int) {
		t.put(i, x[0], off[0])
	})
}

// buildIsClass is a float32 → bool classification.
func buildIsClass(pick func(*Node) (func(float32) bool, error)) builder {
	return func(n *Node, in []TensorInfo) (*step, error) {
		if err := wantInputs(n, in, 1, 1); err != nil {
			return nil, err
		}
		if err := wantFloat(n, in, 0); err != nil {
			return nil, err
		}
		f, err := pick(n)
		if err != nil {
			return nil, err
		}
		shape := in[0].Shape
		size := numel(shape)
		return &step{outs: []TensorInfo{{DType: Bool, Shape: shape}}, flops: i64(size), run: func(x []*Tensor, _ int) []*Tensor {
			t := &Tensor{DType: Bool, Shape: shape, I: make([]int64, size)}
			for i, v := range x[0].F {
				if f(v) {
					t.I[i] = 1
				}
			}
			return []*Tensor{t}
		}}, nil
	}
}
