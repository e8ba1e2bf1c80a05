package runtime

import "math"

// Linear quantization (uint8 and int8; integer accumulation in int32):
//
//	QuantizeLinear: q = saturate(RoundToEven(float32(x / scale)) + zp); NaN gives zp
//	DequantizeLinear: y = float32(float32(q − zp) · scale)
//	DynamicQuantizeLinear: lo = min(0, min x), hi = max(0, max x) (NaN skipped),
//	  scale = (hi − lo) / 255, zp = saturate(RoundToEven(float32(−lo / scale))),
//	  then QuantizeLinear to uint8 (scale 0: every q and zp 0)
//	MatMulInteger, ConvInteger: Σ (a − azp)·(b − bzp) in int32, wrapping,
//	  k ascending (Conv's order for ConvInteger)
//	QLinearMatMul, QLinearConv: that sum s (plus an int32 bias), then
//	  saturate(RoundToEven(float32(float32(s) · m)) + yzp) with
//	  m = float32(float32(a_scale · b_scale) / y_scale)
//
// Scales and zero points are scalars, or 1-D along `axis` (default 1) for
// QuantizeLinear and DequantizeLinear; the others take scalars (and
// ConvInteger/QLinearConv per-output-channel weight parameters).

func init() {
	register("QuantizeLinear", buildQuantizeLinear)
	register("DequantizeLinear", buildDequantizeLinear)
	register("DynamicQuantizeLinear", buildDynamicQuantize)
	register("MatMulInteger", buildMatMulInteger)
	register("QLinearMatMul", buildQLinearMatMul)
	register("ConvInteger", buildConvInteger)
	register("QLinearConv", buildQLinearConv)
}

// quantRange is the saturation range of a quantized type.
func quantRange(dt DType) (int64, int64, bool) {
	switch dt {
	case UInt8:
		return 0, 255, true
	case Int8:
		return -128, 127, true
	}
	return 0, 0, false
}

// quantize is saturate(RoundToEven(v) + zp) for a quotient v = x / scale.
func quantize(v float32, zp, lo, hi int64) int64 {
	if v != v {
		return min(max(zp, lo), hi)
	}
	r := math.RoundToEven(float64(v))
	if r > 1<<40 {
		return hi
	}
	if r < -(1 << 40) {
		return lo
	}
	return min(max(int64(r)+zp, lo), hi)
}

// perAxis checks a scale or zero point against x: a scalar, or 1-D of
// x's size along axis; it returns how to find element i's parameter.
func perAxis(n *Node, what string, p TensorInfo, x []int, axis int) (func(i int) int, error) {
	if numel(p.Shape) == 1 && len(p.Shape) <= 1 {
		return func(int) int { return 0 }, nil
	}
	if len(p.Shape) != 1 || axis < 0 || axis >= len(x) || p.Shape[0] != x[axis] {
		return nil, n.errorf("%s %v: want a scalar or [%d] along axis %d of %v", what, p.Shape, safeDim(x, axis), axis, x)
	}
	inner := numel(x[axis+1:])
	dim := x[axis]
	return func(i int) int { return (i / inner) % dim }, nil
}

func safeDim(x []int, axis int) int {
	if axis >= 0 && axis < len(x) {
		return x[axis]
	}
	return -1
}

// quantAxis is the axis attribute (default 1), normalised only when a
// parameter is per-axis: a scalar scale needs no axis, whatever the rank.
func quantAxis(n *Node, in []TensorInfo, rank int) (int, error) {
	a, err := n.attrInt("axis", 1)
	if err != nil {
		return 0, err
	}
	for i := 1; i < len(in); i++ {
		if !in[i].absent() && numel(in[i].Shape) != 1 {
			return normAxis(n, a, rank)
		}
	}
	return 0, nil
}

func buildQuantizeLinear(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 2, 3); err != nil {
		return nil, err
	}
	if err := wantFloat(n, in, 0); err != nil {
		return nil, err
	}
	if err := wantFloat(n, in, 1); err != nil {
		return nil, err
	}
	dt := UInt8
	if len(in) == 3 && !in[2].absent() {
		dt = in[2].DType
	}
	lo, hi, ok := quantRange(dt)
	if !ok {
		return nil, n.errorf("zero point is %s: want uint8 or int8", dt)
	}
	shape := in[0].Shape
	axis, err := quantAxis(n, in, len(shape))
	if err != nil {
		return nil, err
	}
	si, err := perAxis(n, "scale", in[1], shape, axis)
	if err != nil {
		return nil, err
	}
	zi := si
	hasZP := len(in) == 3 && !in[2].absent()
	if hasZP {
		if zi, err = perAxis(n, "zero point", in[2], shape, axis); err != nil {
			return nil, err
		}
	}
	size := numel(shape)
	return &step{outs: []TensorInfo{{DType: dt, Shape: shape}}, flops: 2 * i64(size), run: func(x []*Tensor, _ int) []*Tensor {
		t := newOf(dt, shape)
		for i, v := range x[0].F {
			var zp int64
			if hasZP {
				zp = x[2].I[zi(i)]
			}
			t.I[i] = quantize(v/x[1].F[si(i)], zp, lo, hi)
		}
		return []*Tensor{t}
	}}, nil
}

func buildDequantizeLinear(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 2, 3); err != nil {
		return nil, err
	}
	dt := in[0].DType
	if dt != UInt8 && dt != Int8 && dt != Int32 {
		return nil, n.errorf("input is %s: want uint8, int8 or int32", dt)
	}
	if err := wantFloat(n, in, 1); err != nil {
		return nil, err
	}
	hasZP := len(in) == 3 && !in[2].absent()
	if hasZP && in[2].DType != dt {
		return nil, n.errorf("zero point is %s, input %s: want one type", in[2].DType, dt)
	}
	shape := in[0].Shape
	axis, err := quantAxis(n, in, len(shape))
	if err != nil {
		return nil, err
	}
	si, err := perAxis(n, "scale", in[1], shape, axis)
	if err != nil {
		return nil, err
	}
	zi := si
	if hasZP {
		if zi, err = perAxis(n, "zero point", in[2], shape, axis); err != nil {
			return nil, err
		}
	}
	size := numel(shape)
	return &step{outs: floatOut(shape), flops: 2 * i64(size), run: func(x []*Tensor, _ int) []*Tensor {
		t := &Tensor{DType: Float32, Shape: shape, F: make([]float32, size)}
		for i, q := range x[0].I {
			var zp int64
			if hasZP {
				zp = x[2].I[zi(i)]
			}
			t.F[i] = float32(float32(q-zp) * x[1].F[si(i)])
		}
		return []*Tensor{t}
	}}, nil
}

func buildDynamicQuantize(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 1, 1); err != nil {
		return nil, err
	}
	if err := wantFloat(n, in, 0); err != nil {
		return nil, err
	}
	shape := in[0].Shape
	size := numel(shape)
	return &step{outs: []TensorInfo{{DType: UInt8, Shape: shape}, {DType: Float32, Shape: []int{}}, {DType: UInt8, Shape: []int{}}},
		flops: 4 * i64(size), run: func(x []*Tensor, _ int) []*Tensor {
			var lo, hi float32
			for _, v := range x[0].F {
				if v == v {
					lo, hi = min(lo, v), max(hi, v)
				}
			}
			scale := (hi - lo) / 255
			q := newOf(UInt8, shape)
			zp := newOf(UInt8, []int{})
			if scale != 0 && !math.IsInf(float64(scale), 0) {
				zp.I[0] = quantize((0-lo)/scale, 0, 0, 255)
				for i, v := range x[0].F {
					q.I[i] = quantize(v/scale, zp.I[0], 0, 255)
				}
			}
			return []*Tensor{q, {DType: Float32, Shape: []int{}, F: []float32{scale}}, zp}
		}}, nil
}

// intMatMulShapes is MatMul's shape rule for two operands of rank 2 or
// more with equal batch dimensions (no broadcasting).
func intMatMulShapes(n *Node, a, b []int) (batch, M, K, N int, out []int, err error) {
	if len(a) < 2 || len(a) != len(b) || !sameShape(a[:len(a)-2], b[:len(b)-2]) || a[len(a)-1] != b[len(b)-2] {
		return 0, 0, 0, 0, nil, n.errorf("operands %v and %v do not multiply (equal batch dimensions, K matching)", a, b)
	}
	r := len(a)
	out = append(append([]int{}, a[:r-2]...), a[r-2], b[r-1])
	return numel(a[:r-2]), a[r-2], a[r-1], b[r-1], out, nil
}

// scalarZP reads an optional scalar zero point of type dt (0 if absent).
func scalarZP(n *Node, in []TensorInfo, i int, dt DType) (bool, error) {
	if i >= len(in) || in[i].absent() {
		return false, nil
	}
	if in[i].DType != dt || numel(in[i].Shape) != 1 {
		return false, n.errorf("zero point %d is %s %v: want one %s", i, in[i].DType, in[i].Shape, dt)
	}
	return true, nil
}

// intMatMul is Σ_k (a − azp)(b − bzp) in int32 for each output element.
func intMatMul(a, b []int64, azp, bzp int64, batch, M, K, N int, out []int64) {
	for bt := 0; bt < batch; bt++ {
		for i := 0; i < M; i++ {
			for j := 0; j < N; j++ {
				var acc int64
				for k := 0; k < K; k++ {
					acc = Int32.wrap(acc + (a[(bt*M+i)*K+k]-azp)*(b[(bt*K+k)*N+j]-bzp))
				}
				out[(bt*M+i)*N+j] = acc
			}
		}
	}
}

func buildMatMulInteger(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 2, 4); err != nil {
		return nil, err
	}
	at, bt := in[0].DType, in[1].DType
	if _, _, ok := quantRange(at); !ok {
		return nil, n.errorf("A is %s: want uint8 or int8", at)
	}
	if _, _, ok := quantRange(bt); !ok {
		return nil, n.errorf("B is %s: want uint8 or int8", bt)
	}
	hasA, err := scalarZP(n, in, 2, at)
	if err != nil {
		return nil, err
	}
	hasB, err := scalarZP(n, in, 3, bt)
	if err != nil {
		return nil, err
	}
	batch, M, K, N, out, err := intMatMulShapes(n, in[0].Shape, in[1].Shape)
	if err != nil {
		return nil, err
	}
	return &step{outs: []TensorInfo{{DType: Int32, Shape: out}}, flops: 2 * i64(batch*M*N) * i64(K), run: func(x []*Tensor, _ int) []*Tensor {
		t := newOf(Int32, out)
		var azp, bzp int64
		if hasA {
			azp = x[2].I[0]
		}
		if hasB {
			bzp = x[3].I[0]
		}
		intMatMul(x[0].I, x[1].I, azp, bzp, batch, M, K, N, t.I)
		return []*Tensor{t}
	}}, nil
}

// requantize is QLinear's output rule for an int32 sum.
func requantize(s int64, m float32, zp, lo, hi int64) int64 {
	return quantize(float32(float32(s)*m), zp, lo, hi)
}

func buildQLinearMatMul(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 8, 8); err != nil {
		return nil, err
	}
	at, bt, yt := in[0].DType, in[3].DType, in[7].DType
	lo, hi, ok := quantRange(yt)
	if _, _, okA := quantRange(at); !okA || in[2].DType != at {
		return nil, n.errorf("a is %s with a zero point of %s: want uint8 or int8", at, in[2].DType)
	}
	if _, _, okB := quantRange(bt); !okB || in[5].DType != bt {
		return nil, n.errorf("b is %s with a zero point of %s: want uint8 or int8", bt, in[5].DType)
	}
	if !ok {
		return nil, n.errorf("y zero point is %s: want uint8 or int8", yt)
	}
	for _, i := range []int{1, 2, 4, 5, 6, 7} {
		if numel(in[i].Shape) != 1 {
			return nil, n.errorf("input %d is %v: want a scalar (per-axis parameters are not supported)", i, in[i].Shape)
		}
	}
	for _, i := range []int{1, 4, 6} {
		if err := wantFloat(n, in, i); err != nil {
			return nil, err
		}
	}
	batch, M, K, N, out, err := intMatMulShapes(n, in[0].Shape, in[3].Shape)
	if err != nil {
		return nil, err
	}
	return &step{outs: []TensorInfo{{DType: yt, Shape: out}}, flops: 2 * i64(batch*M*N) * i64(K+1), run: func(x []*Tensor, _ int) []*Tensor {
		acc := make([]int64, numel(out))
		intMatMul(x[0].I, x[3].I, x[2].I[0], x[5].I[0], batch, M, K, N, acc)
		m := float32(float32(x[1].F[0]*x[4].F[0]) / x[6].F[0])
		t := newOf(yt, out)
		for i, s := range acc {
			t.I[i] = requantize(s, m, x[7].I[0], lo, hi)
		}
		return []*Tensor{t}
	}}, nil
}

// intConv is ConvInteger's accumulation: Conv's order over integers, in
// int32, with the input zero point and per-output-channel weight zero
// points (wzp(m)).
func intConv(n *Node, xs, ws []int) (func(X, W []int64, xzp int64, wzp func(int) int64, out []int64), []int, error) {
	if len(xs) != 4 || len(ws) != 4 {
		return nil, nil, n.errorf("only 2-D convolution is supported: input %v, weights %v", xs, ws)
	}
	group, err := n.attrInt("group", 1)
	if err != nil {
		return nil, nil, err
	}
	N, C, M := xs[0], xs[1], ws[0]
	if group < 1 || int64(C)%group != 0 || int64(M)%group != 0 || ws[1] != C/int(group) {
		return nil, nil, n.errorf("group %d with input %v and weights %v", group, xs, ws)
	}
	G := int(group)
	Cg := C / G
	win, err := spatialWindows(n, xs[2:], ws[2:], false)
	if err != nil {
		return nil, nil, err
	}
	wh, ww := win[0], win[1]
	out := []int{N, M, wh.out, ww.out}
	H, W, kH, kW := wh.in, ww.in, ws[2], ws[3]
	return func(X, Wt []int64, xzp int64, wzp func(int) int64, res []int64) {
		for nn := 0; nn < N; nn++ {
			for m := 0; m < M; m++ {
				g := m / (M / G)
				for oh := 0; oh < wh.out; oh++ {
					for ow := 0; ow < ww.out; ow++ {
						var acc int64
						for c := 0; c < Cg; c++ {
							for kh := 0; kh < kH; kh++ {
								ih := oh*wh.stride - wh.padBegin + kh*wh.dil
								for kw := 0; kw < kW; kw++ {
									iw := ow*ww.stride - ww.padBegin + kw*ww.dil
									xv := xzp // padding holds the zero point: it contributes 0
									if ih >= 0 && ih < H && iw >= 0 && iw < W {
										xv = X[((nn*C+g*Cg+c)*H+ih)*W+iw]
									}
									acc = Int32.wrap(acc + (xv-xzp)*(Wt[((m*Cg+c)*kH+kh)*kW+kw]-wzp(m)))
								}
							}
						}
						res[((nn*M+m)*wh.out+oh)*ww.out+ow] = acc
					}
				}
			}
		}
	}, out, nil
}

// weightZP reads a weight zero point: absent, scalar, or one per output
// channel.
func weightZP(n *Node, in []TensorInfo, i int, dt DType, M int) (func(x []*Tensor) func(int) int64, error) {
	if i >= len(in) || in[i].absent() {
		return func([]*Tensor) func(int) int64 { return func(int) int64 { return 0 } }, nil
	}
	if in[i].DType != dt || (numel(in[i].Shape) != 1 && !sameShape(in[i].Shape, []int{M})) {
		return nil, n.errorf("weight zero point is %s %v: want %s, a scalar or [%d]", in[i].DType, in[i].Shape, dt, M)
	}
	per := numel(in[i].Shape) != 1
	return func(x []*Tensor) func(int) int64 {
		return func(m int) int64 {
			if per {
				return x[i].I[m]
			}
			return x[i].I[0]
		}
	}, nil
}

func buildConvInteger(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 2, 4); err != nil {
		return nil, err
	}
	xt, wt := in[0].DType, in[1].DType
	if _, _, ok := quantRange(xt); !ok {
		return nil, n.errorf("x is %s: want uint8 or int8", xt)
	}
	if _, _, ok := quantRange(wt); !ok {
		return nil, n.errorf("w is %s: want uint8 or int8", wt)
	}
	hasX, err := scalarZP(n, in, 2, xt)
	if err != nil {
		return nil, err
	}
	run, out, err := intConv(n, in[0].Shape, in[1].Shape)
	if err != nil {
		return nil, err
	}
	wzp, err := weightZP(n, in, 3, wt, in[1].Shape[0])
	if err != nil {
		return nil, err
	}
	flops := 2 * i64(numel(out)) * i64(numel(in[1].Shape[1:]))
	return &step{outs: []TensorInfo{{DType: Int32, Shape: out}}, flops: flops, run: func(x []*Tensor, _ int) []*Tensor {
		t := newOf(Int32, out)
		var xzp int64
		if hasX {
			xzp = x[2].I[0]
		}
		run(x[0].I, x[1].I, xzp, wzp(x), t.I)
		return []*Tensor{t}
	}}, nil
}

func buildQLinearConv(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 8, 9); err != nil {
		return nil, err
	}
	xt, wt, yt := in[0].DType, in[3].DType, in[7].DType
	lo, hi, ok := quantRange(yt)
	if _, _, okX := quantRange(xt); !okX || in[2].DType != xt || !ok {
		return nil, n.errorf("x %s, its zero point %s, y zero point %s: want uint8 or int8", xt, in[2].DType, yt)
	}
	if _, _, okW := quantRange(wt); !okW {
		return nil, n.errorf("w is %s: want uint8 or int8", wt)
	}
	M := 0
	if len(in[3].Shape) == 4 {
		M = in[3].Shape[0]
	}
	for _, i := range []int{1, 2, 6, 7} {
		if numel(in[i].Shape) != 1 {
			return nil, n.errorf("input %d is %v: want a scalar", i, in[i].Shape)
		}
	}
	for _, i := range []int{1, 4, 6} {
		if err := wantFloat(n, in, i); err != nil {
			return nil, err
		}
	}
	if numel(in[4].Shape) != 1 && !sameShape(in[4].Shape, []int{M}) {
		return nil, n.errorf("w_scale %v: want a scalar or [%d]", in[4].Shape, M)
	}
	run, out, err := intConv(n, in[0].Shape, in[3].Shape)
	if err != nil {
		return nil, err
	}
	wzp, err := weightZP(n, in, 5, wt, M)
	if err != nil {
		return nil, err
	}
	hasB := len(in) == 9
	if hasB && (in[8].DType != Int32 || !sameShape(in[8].Shape, []int{M})) {
		return nil, n.errorf("bias is %s %v: want int32 [%d]", in[8].DType, in[8].Shape, M)
	}
	perScale := numel(in[4].Shape) != 1
	plane := out[2] * out[3]
	flops := 2 * i64(numel(out)) * i64(numel(in[3].Shape[1:])+1)
	return &step{outs: []TensorInfo{{DType: yt, Shape: out}}, flops: flops, run: func(x []*Tensor, _ int) []*Tensor {
		acc := make([]int64, numel(out))
		run(x[0].I, x[3].I, x[2].I[0], wzp(x), acc)
		t := newOf(yt, out)
		for i, s := range acc {
			m := (i / plane) % M
			if hasB {
				s = Int32.wrap(s + x[8].I[m])
			}
			ws := x[4].F[0]
			if perScale {
				ws = x[4].F[m]
			}
			mult := float32(float32(x[1].F[0]*ws) / x[6].F[0])
			t.I[i] = requantize(s, mult, x[7].I[0], lo, hi)
		}
		return []*Tensor{t}
	}}, nil
}
