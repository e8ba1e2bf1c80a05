package runtime

import "math"

// Variadic and binary element-wise operators with numpy broadcasting:
// Max, Min, Sum, Mean (one or more float32 operands), Pow, PRelu, Clip,
// the logical And, Or, Xor (bool), and Dropout at inference (the input,
// and an all-true mask when asked). Each output element folds its operands
// left to right:
//
//	Max, Min: NaN propagates (any NaN operand gives NaN), else the larger / smaller
//	Sum: float32 adds, operand 0 first · Mean: that sum / float32(count)
//	Pow: float32 of detmath's float64 pow (see powOf), one rounding
//	PRelu: x < 0 ? float32(slope·x) : x, slope broadcast to x
//	Clip: min(max(x, lo), hi) with lo/hi optional constant scalars (attributes before opset 11)
func init() {
	register("Max", byFloat64(float64Fold(func(a, b float64) bool { return a > b }), byType(halfExact(naryBuilder(func(a, b float32) float32 {
		if a != a || b != b {
			return float32(math.NaN())
		}
		return max(a, b)
	}, false)), intExtreme(1))))
	register("Min", byFloat64(float64Fold(func(a, b float64) bool { return a < b }), byType(halfExact(naryBuilder(func(a, b float32) float32 {
		if a != a || b != b {
			return float32(math.NaN())
		}
		return min(a, b)
	}, false)), intExtreme(-1))))
	register("Sum", naryBuilder(func(a, b float32) float32 { return a + b }, false))
	register("Mean", naryBuilder(func(a, b float32) float32 { return a + b }, true))
	register("Pow", costly(buildPow, 4))
	prelu := naryFixed(2, func(x, slope float32) float32 {
		if x < 0 {
			return float32(slope * x)
		}
		return x
	})
	register("PRelu", func(n *Node, in []TensorInfo) (*step, error) {
		st, err := prelu(n, in)
		// The slope broadcasts to X (unidirectionally): the output is X's shape.
		if err == nil && !sameShape(st.outs[0].Shape, in[0].Shape) {
			return nil, n.errorf("slope %v does not broadcast to X %v", in[1].Shape, in[0].Shape)
		}
		return st, err
	})
	register("And", logicBuilder(func(a, b bool) bool { return a && b }))
	register("Or", logicBuilder(func(a, b bool) bool { return a || b }))
	register("Xor", logicBuilder(func(a, b bool) bool { return a != b }))
	register("Clip", byType(buildClip, intClip))
	register("Dropout", buildDropout)
}

// naryBuilder folds one or more float32 operands, broadcast together;
// mean divides by the count at the end.
func naryBuilder(f func(a, b float32) float32, mean bool) builder {
	return func(n *Node, in []TensorInfo) (*step, error) {
		if len(in) < 1 {
			return nil, n.errorf("needs at least one input")
		}
		return naryStep(n, in, f, mean)
	}
}

// naryFixed is a float32 operator of exactly k broadcast operands.
func naryFixed(k int, f func(a, b float32) float32) builder {
	return func(n *Node, in []TensorInfo) (*step, error) {
		if err := wantInputs(n, in, k, k); err != nil {
			return nil, err
		}
		return naryStep(n, in, f, false)
	}
}

func naryStep(n *Node, in []TensorInfo, f func(a, b float32) float32, mean bool) (*step, error) {
	shapes := make([][]int, len(in))
	for i := range in {
		if err := wantFloat(n, in, i); err != nil {
			return nil, err
		}
		shapes[i] = in[i].Shape
	}
	count := float32(len(in))
	return broadcastStep(n, shapes, Float32, len(in), func(t *Tensor, x []*Tensor, i int, off []int) {
		v := x[0].F[off[0]]
		for k := 1; k < len(x); k++ {
			v = f(v, x[k].F[off[k]])
		}
		if mean {
			v /= count
		}
		t.F[i] = v
	})
}

// powOf is x^y rounded once to float32, computed in float64 with
// detmath's exp64 and log64, after IEEE 754's special cases:
//
//	y = ±0 or x = 1 → 1 (even for NaN); otherwise a NaN operand → NaN
//	x = ±0: y < 0 → ±Inf (the sign of x for odd integer y, else +Inf); y > 0 → ±0 likewise
//	y = ±Inf: |x| = 1 → 1; |x| < 1 gives 0 for +Inf and +Inf for −Inf; |x| > 1 the reverse
//	x = +Inf: y < 0 → 0, else +Inf; x = −Inf: as (−0)^−y
//	x < 0 with a non-integer y → NaN; with an odd integer y the result takes x's sign
//
// A float32 y beyond 2^24 is always an even integer. Integer |y| ≤ 64 is
// done by repeated squaring of |x| in float64; every other case is
// exp64(y·log64|x|), ±Inf or 0 beyond float32's range.
func powOf(x, y float32) float32 { return float32(pow64(float64(x), float64(y))) }

// pow64 is powOf's float64 core for any float64 base and exponent (an
// integer one exact to 2^53); callers round once.
func pow64(fx, fy float64) float64 {
	switch {
	case fy == 0 || fx == 1:
		return 1
	case fx != fx || fy != fy:
		return math.NaN()
	}
	integer := fy == math.Trunc(fy)
	odd := integer && math.Abs(fy) < 1<<53 && math.Mod(math.Abs(fy), 2) == 1
	neg := math.Signbit(fx) && odd // the result's sign
	signed := func(r float64) float64 {
		if neg {
			return -r
		}
		return r
	}
	ax := math.Abs(fx)
	switch {
	case ax == 0:
		if fy < 0 {
			return signed(math.Inf(1))
		}
		return signed(0)
	case math.IsInf(fy, 0):
		switch {
		case ax == 1:
			return 1
		case (ax < 1) == (fy > 0):
			return 0
		}
		return math.Inf(1)
	case math.IsInf(ax, 1):
		if fy < 0 {
			return signed(0)
		}
		return signed(math.Inf(1))
	case fx < 0 && !integer:
		return math.NaN()
	}
	if integer && math.Abs(fy) <= 64 {
		r, b, e := 1.0, ax, int64(math.Abs(fy))
		for e > 0 {
			if e&1 == 1 {
				r = float64(r * b)
			}
			b = float64(b * b)
			e >>= 1
		}
		if fy < 0 {
			r = 1 / r
		}
		return signed(r)
	}
	e := float64(fy * log64(ax))
	switch {
	case e > expMax:
		return signed(math.Inf(1)) // beyond float32 whatever the rounding
	case e < -expMax:
		return signed(0)
	}
	return signed(exp64(e))
}

// logicBuilder is a bool operator of two broadcast bool operands.
func logicBuilder(f func(a, b bool) bool) builder {
	return func(n *Node, in []TensorInfo) (*step, error) {
		if err := wantInputs(n, in, 2, 2); err != nil {
			return nil, err
		}
		if in[0].DType != Bool || in[1].DType != Bool {
			return nil, n.errorf("takes two bool inputs, got %s and %s", in[0].DType, in[1].DType)
		}
		return broadcastStep(n, [][]int{in[0].Shape, in[1].Shape}, Bool, 1, func(t *Tensor, x []*Tensor, i int, off []int) {
			if f(x[0].I[off[0]] != 0, x[1].I[off[1]] != 0) {
				t.I[i] = 1
			}
		})
	}
}

// buildClip clamps to [min, max]: attributes before opset 11, optional
// float32 scalar inputs from then (read with each run; an absent bound
// does not clamp). NaN stays NaN.
func buildClip(n *Node, in []TensorInfo) (*step, error) {
	lo, hi := float32(math.Inf(-1)), float32(math.Inf(1))
	if n.Opset < 11 {
		// Clip-6's attributes default to float's lowest and largest
		// finite values: Clip(+Inf) is 3.4028235e38 there.
		lo, hi = -math.MaxFloat32, math.MaxFloat32
		if err := wantInputs(n, in, 1, 1); err != nil {
			return nil, err
		}
		var err error
		if lo, err = n.attrFloat("min", lo); err != nil {
			return nil, err
		}
		if hi, err = n.attrFloat("max", hi); err != nil {
			return nil, err
		}
	} else {
		if err := wantInputs(n, in, 1, 3); err != nil {
			return nil, err
		}
		for _, a := range []string{"min", "max"} {
			if _, ok := n.Attrs[a]; ok {
				return nil, n.errorf("%s is an input from opset 11, not an attribute", a)
			}
		}
	}
	for i := range in {
		if i > 0 && in[i].absent() {
			continue // Clip(x, "", max)
		}
		if err := wantFloat(n, in, i); err != nil {
			return nil, err
		}
		if i > 0 && numel(in[i].Shape) != 1 {
			return nil, n.errorf("bound %d must be a scalar, got shape %v", i, in[i].Shape)
		}
	}
	shape := in[0].Shape
	size := numel(shape)
	return &step{outs: floatOut(shape), flops: i64(size), run: func(x []*Tensor, w int) []*Tensor {
		l, h := lo, hi
		if len(x) > 1 && x[1] != nil {
			l = x[1].F[0]
		}
		if len(x) > 2 && x[2] != nil {
			h = x[2].F[0]
		}
		out := &Tensor{DType: Float32, Shape: shape, F: make([]float32, size)}
		src := x[0].F
		parallelFor(w, size, 2, func(a, b int) {
			for i := a; i < b; i++ {
				v := src[i]
				if v == v {
					v = min(max(v, l), h)
				}
				out.F[i] = v
			}
		})
		return []*Tensor{out}
	}}, nil
}

// buildDropout at inference is the identity; its optional mask output is
// all true. (ratio and training_mode inputs must be absent or constant
// false: training is not inference.)
func buildDropout(n *Node, in []TensorInfo) (*step, error) {
	if len(in) < 1 || len(in) > 3 {
		return nil, n.errorf("has %d inputs, want 1 to 3", len(in))
	}
	if len(in) == 3 {
		c := in[2].Const
		if in[2].DType != Bool || numel(in[2].Shape) != 1 {
			return nil, n.errorf("training_mode must be a bool scalar")
		}
		if c == nil {
			return nil, n.needConst(2, "training_mode must be a constant bool")
		}
		if c.I[0] != 0 {
			return nil, n.errorf("training_mode is true: only inference is supported")
		}
	}
	shape := in[0].Shape
	size := numel(shape)
	outs := []TensorInfo{{DType: in[0].DType, Shape: shape}}
	if len(n.Outputs) > 1 {
		outs = append(outs, TensorInfo{DType: Bool, Shape: shape})
	}
	return &step{outs: outs, run: func(x []*Tensor, _ int) []*Tensor {
		res := []*Tensor{x[0]}
		if len(outs) > 1 {
			mask := &Tensor{DType: Bool, Shape: shape, I: make([]int64, size)}
			for i := range mask.I {
				mask.I[i] = 1
			}
			res = append(res, mask)
		}
		return res
	}}, nil
}
