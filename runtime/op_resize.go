package runtime

import "math"

// Resize (opset 11 on): nearest, linear and cubic interpolation of a
// float32 tensor over every axis, with ONNX's coordinate transformations
// (half_pixel, pytorch_half_pixel, align_corners, asymmetric,
// tf_half_pixel_for_nn, tf_crop_and_resize), nearest modes, cubic_coeff_a,
// exclude_outside and extrapolation_value. roi, scales and sizes must be
// known when the node compiles (constants, or inputs Specialize binds).
//
// The canonical order, all in float64 with every product rounded on its
// own (no FMA) and one rounding to float32 at the end. For each axis d and
// output coordinate o:
//
//	x = the transformed coordinate (formulas in resizeCoordinate), from
//	    scale_d (the scales input, or sizes/in as a float64 quotient)
//	i = ⌈x⌉ − 1, t = x − i ∈ (0, 1]
//	nearest: one index, by nearest_mode on t (an integer x is itself)
//	linear: indices i, i+1 with weights 1−t, t
//	cubic: indices i−1 .. i+2 with Keys' weights of t and A (cubic_coeff_a)
//	indices outside [0, in) read the edge element, or with exclude_outside
//	get weight 0 and the others are divided by their sum
//
// and an output element is the tensor-product sum taken one axis at a
// time from the last: v_d = Σ_k w_d[k] · v_{d+1}(index_d[k]), k ascending,
// from +0. Under tf_crop_and_resize a coordinate outside [0, in−1] gives
// extrapolation_value for that axis's whole sub-sum, as ONNX's reference
// does.

func init() {
	register("Resize", buildResize)
	register("Upsample", buildUpsample)
}

// resizeAxis is one axis's precomputed interpolation: for output
// coordinate o, its input indices idx[o*n:(o+1)*n] (clamped to the input)
// and weights w[o*n:(o+1)*n], or outside[o] for extrapolation.
type resizeAxis struct {
	n       int
	idx     []int
	w       []float64
	outside []bool
}

func buildResize(n *Node, in []TensorInfo) (*step, error) {
	if n.Opset < 11 {
		return nil, n.errorf("Resize before opset 11 (scales only, other coordinates) is not supported")
	}
	if err := wantInputs(n, in, 1, 4); err != nil {
		return nil, err
	}
	if err := wantFloat(n, in, 0); err != nil {
		return nil, err
	}
	for _, a := range []string{"antialias", "keep_aspect_ratio_policy", "axes"} {
		if _, ok := n.Attrs[a]; ok {
			if v, err := n.attrInt(a, 0); a != "antialias" || err != nil || v != 0 {
				return nil, n.errorf("attribute %s is not supported", a)
			}
		}
	}
	xs := in[0].Shape
	r := len(xs)
	mode, err := n.attrString("mode", "nearest")
	if err != nil {
		return nil, err
	}
	ctm, err := n.attrString("coordinate_transformation_mode", "half_pixel")
	if err != nil {
		return nil, err
	}
	nearestMode, err := n.attrString("nearest_mode", "round_prefer_floor")
	if err != nil {
		return nil, err
	}
	a32, err := n.attrFloat("cubic_coeff_a", -0.75)
	if err != nil {
		return nil, err
	}
	exclude, err := n.attrInt("exclude_outside", 0)
	if err != nil {
		return nil, err
	}
	extrap, err := n.attrFloat("extrapolation_value", 0)
	if err != nil {
		return nil, err
	}
	switch mode {
	case "nearest", "linear", "cubic":
	default:
		return nil, n.errorf("mode %q: want nearest, linear or cubic", mode)
	}
	switch ctm {
	case "half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric", "tf_half_pixel_for_nn", "tf_crop_and_resize":
	default:
		return nil, n.errorf("coordinate_transformation_mode %q is not supported", ctm)
	}
	switch nearestMode {
	case "round_prefer_floor", "round_prefer_ceil", "floor", "ceil":
	default:
		return nil, n.errorf("nearest_mode %q is not supported", nearestMode)
	}
	// roi, scales, sizes: each absent, empty, or a constant of r (2r) values.
	present := func(i int) bool { return i < len(in) && !in[i].absent() && numel(in[i].Shape) > 0 }
	var roi []float64
	if ctm == "tf_crop_and_resize" {
		if !present(1) {
			return nil, n.errorf("tf_crop_and_resize needs the roi input")
		}
		if in[1].DType != Float32 || numel(in[1].Shape) != 2*r {
			return nil, n.errorf("roi is %s %v: want %d float32 values", in[1].DType, in[1].Shape, 2*r)
		}
		if in[1].Const == nil {
			return nil, n.needConst(1, "roi must be a constant")
		}
		for _, v := range in[1].Const.F {
			roi = append(roi, float64(v))
		}
	}
	out := make([]int, r)
	scale := make([]float64, r)
	switch {
	case present(2) && present(3):
		return nil, n.errorf("scales and sizes are both given: want one")
	case present(2):
		if in[2].DType != Float32 || numel(in[2].Shape) != r {
			return nil, n.errorf("scales is %s %v: want %d float32 values", in[2].DType, in[2].Shape, r)
		}
		if in[2].Const == nil {
			return nil, n.needConst(2, "scales must be a constant")
		}
		for d, s := range in[2].Const.F {
			if !(s > 0) || s > 1<<20 {
				return nil, n.errorf("scale %v on axis %d: want a positive finite scale", s, d)
			}
			scale[d] = float64(s)
			size := float64(scale[d] * float64(xs[d]))
			if ctm == "tf_crop_and_resize" {
				size = float64(size * (roi[r+d] - roi[d]))
			}
			if size > 1<<30 || size < 0 || size != size {
				return nil, n.errorf("output size %v on axis %d out of range", size, d)
			}
			out[d] = int(math.Floor(size))
		}
	case present(3):
		if in[3].DType != Int64 || numel(in[3].Shape) != r {
			return nil, n.errorf("sizes is %s %v: want %d int64 values", in[3].DType, in[3].Shape, r)
		}
		if in[3].Const == nil {
			return nil, n.needConst(3, "sizes must be a constant")
		}
		for d, s := range in[3].Const.I {
			if s < 1 || s > 1<<30 || xs[d] < 1 {
				return nil, n.errorf("size %d on axis %d (input %d) out of range", s, d, xs[d])
			}
			out[d] = int(s)
			scale[d] = float64(s) / float64(xs[d])
		}
	default:
		return nil, n.errorf("needs scales or sizes")
	}
	if err := checkShape(out); err != nil {
		return nil, n.errorf("output %v: %v", out, err)
	}
	for d := range out {
		if out[d] > 0 && xs[d] == 0 {
			return nil, n.errorf("axis %d is empty: nothing to resize from", d)
		}
	}
	spec := resizeSpec{mode: mode, ctm: ctm, nearest: nearestMode, a: float64(a32), exclude: exclude == 1, roi: roi}
	terms := int64(1)
	for range out {
		terms = satMul(terms, map[string]int64{"nearest": 1, "linear": 2, "cubic": 4}[mode])
	}
	size := numel(out)
	inStr := strides(xs)
	ex := float64(extrap)
	return &step{outs: floatOut(out), flops: satMul(2, i64(size), terms), run: func(x []*Tensor, workers int) []*Tensor {
		res := &Tensor{DType: Float32, Shape: out, F: make([]float32, size)}
		if size == 0 {
			return []*Tensor{res}
		}
		// The tables are built here, after Compile bounded the output:
		// the builder may not allocate a size nobody has checked yet.
		axes := make([]resizeAxis, r)
		for d := range axes {
			axes[d] = spec.axis(d, r, xs[d], out[d], scale[d])
		}
		X := x[0].F
		parallelFor(workers, size, int(min(terms, 1<<30)), func(lo, hi int) {
			o := make([]int, r)
			var sum func(d, base int) float64
			sum = func(d, base int) float64 {
				if d == r {
					return float64(X[base])
				}
				ax := &axes[d]
				if ax.outside[o[d]] {
					return ex
				}
				if ax.n == 1 {
					return sum(d+1, base+ax.idx[o[d]]*inStr[d])
				}
				s := 0.0
				for k := 0; k < ax.n; k++ {
					j := o[d]*ax.n + k
					s = s + float64(ax.w[j]*sum(d+1, base+ax.idx[j]*inStr[d]))
				}
				return s
			}
			for e := lo; e < hi; e++ {
				rest := e
				for d := r - 1; d >= 0; d-- {
					o[d] = rest % out[d]
					rest /= out[d]
				}
				res.F[e] = float32(sum(0, 0))
			}
		})
		return []*Tensor{res}
	}}, nil
}

// resizeSpec holds a Resize node's interpolation attributes.
type resizeSpec struct {
	mode, ctm, nearest string
	a                  float64
	exclude            bool
	roi                []float64
}

// resizeCoordinate maps output coordinate o of axis d to the input, and
// reports whether it falls outside under tf_crop_and_resize. outW is
// scale·in, as ONNX's reference computes it.
func (sp *resizeSpec) resizeCoordinate(d, r, o, in int, scale float64) (float64, bool) {
	x, inF := float64(o), float64(in)
	outW := float64(scale * inF)
	switch sp.ctm {
	case "align_corners":
		if outW == 1 {
			return 0, false
		}
		return float64(x*(inF-1)) / (outW - 1), false
	case "asymmetric":
		return x / scale, false
	case "pytorch_half_pixel":
		if outW == 1 {
			return -0.5, false
		}
		return (x+0.5)/scale - 0.5, false
	case "tf_half_pixel_for_nn":
		return (x + 0.5) / scale, false
	case "tf_crop_and_resize":
		start, end := sp.roi[d], sp.roi[r+d]
		var c float64
		if outW == 1 {
			c = float64((end-start)*(inF-1)) / 2
		} else {
			c = float64(float64(x*(end-start))*(inF-1)) / (outW - 1)
		}
		c = c + float64(start*(inF-1))
		return c, c < 0 || c > inF-1
	}
	return (x+0.5)/scale - 0.5, false // half_pixel
}

// axis precomputes one axis's indices and weights.
func (sp *resizeSpec) axis(d, r, in, out int, scale float64) resizeAxis {
	n := map[string]int{"nearest": 1, "linear": 2, "cubic": 4}[sp.mode]
	ax := resizeAxis{n: n, idx: make([]int, out*n), w: make([]float64, out*n), outside: make([]bool, out)}
	clamp := func(i int) int { return min(max(i, 0), in-1) }
	for o := 0; o < out; o++ {
		x, outside := sp.resizeCoordinate(d, r, o, in, scale)
		ax.outside[o] = outside
		if outside || x != x || math.IsInf(x, 0) {
			ax.outside[o] = true
			continue
		}
		i := int(math.Ceil(x)) - 1
		t := x - float64(i) // (0, 1]
		switch sp.mode {
		case "nearest":
			pick := i + 1
			if t < 1 {
				switch sp.nearest {
				case "round_prefer_floor":
					if t <= 0.5 {
						pick = i
					}
				case "round_prefer_ceil":
					if t < 0.5 {
						pick = i
					}
				case "floor":
					pick = i
				}
			}
			ax.idx[o], ax.w[o] = clamp(pick), 1
			continue
		case "linear":
			ax.w[2*o], ax.w[2*o+1] = 1-t, t
			for k := 0; k < 2; k++ {
				ax.idx[2*o+k] = i + k
			}
		case "cubic":
			w := cubicWeights(t, sp.a)
			copy(ax.w[4*o:], w[:])
			for k := 0; k < 4; k++ {
				ax.idx[4*o+k] = i - 1 + k
			}
		}
		ws, is := ax.w[o*n:(o+1)*n], ax.idx[o*n:(o+1)*n]
		if sp.exclude {
			total := 0.0
			for k := range ws {
				if is[k] < 0 || is[k] >= in {
					ws[k] = 0
				}
				total = total + ws[k]
			}
			for k := range ws {
				ws[k] = ws[k] / total
			}
		}
		for k := range is {
			is[k] = clamp(is[k])
		}
	}
	return ax
}

// cubicWeights are Keys' cubic convolution weights for the four neighbours
// i−1, i, i+1, i+2 at fraction t ∈ (0, 1] past i, with coefficient A, in
// the form ONNX's reference writes them.
func cubicWeights(t, A float64) [4]float64 {
	m := func(a, b float64) float64 { return float64(a * b) }
	u := t + 1
	v := 1 - t
	q := v + 1
	return [4]float64{
		m(m(m(A, u)-m(5, A), u)+m(8, A), u) - m(4, A),
		m(m(m(A+2, t)-(A+3), t), t) + 1,
		m(m(m(A+2, v)-(A+3), v), v) + 1,
		m(m(m(A, q)-m(5, A), q)+m(8, A), q) - m(4, A),
	}
}

// buildUpsample is ONNX's deprecated Upsample (opsets 7 to 9): Resize with
// asymmetric coordinates, nearest rounding down, scales an attribute
// before opset 9 and an input from then.
func buildUpsample(n *Node, in []TensorInfo) (*step, error) {
	if n.Opset >= 10 {
		return nil, n.errorf("Upsample is deprecated from opset 10: use Resize")
	}
	mode, err := n.attrString("mode", "nearest")
	if err != nil {
		return nil, err
	}
	if mode == "bilinear" {
		mode = "linear"
	}
	r := &Node{Name: n.Name, OpType: "Resize", Outputs: n.Outputs, Opset: 11, Attrs: map[string]Attr{
		"mode":                           {Kind: AttrString, S: mode},
		"coordinate_transformation_mode": {Kind: AttrString, S: "asymmetric"},
		"nearest_mode":                   {Kind: AttrString, S: "floor"},
	}}
	if n.Opset < 9 {
		if err := wantInputs(n, in, 1, 1); err != nil {
			return nil, err
		}
		a, ok := n.Attrs["scales"]
		if !ok || a.Kind != AttrFloats {
			return nil, n.errorf("needs the scales attribute (floats)")
		}
		scales, err := FromFloats([]int{len(a.Floats)}, append([]float32(nil), a.Floats...))
		if err != nil {
			return nil, n.errorf("scales: %v", err)
		}
		r.Inputs = []string{n.Inputs[0], "", ""}
		return buildResize(r, []TensorInfo{in[0], {}, {DType: Float32, Shape: scales.Shape, Const: scales}})
	}
	if err := wantInputs(n, in, 2, 2); err != nil {
		return nil, err
	}
	r.Inputs = []string{n.Inputs[0], "", n.Inputs[1]}
	return buildResize(r, []TensorInfo{in[0], {}, in[1]})
}
