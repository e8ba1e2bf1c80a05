package runtime

// InstanceNormalization, MeanVarianceNormalization and LRN, in float32
// with every product rounded alone:
//
//	InstanceNormalization (per n, c over the spatial block, as
//	  LayerNormalization orders it): s = +0; s = s + x_j ascending;
//	  mean = s / N; v = +0; v = v + float32(d·d) with d = x_j − mean;
//	  inv = 1 / Sqrt(v/N + epsilon); y = float32(float32((x − mean)·inv)·scale[c]) + B[c]
//	GroupNormalization (opset 18): InstanceNormalization's order over each
//	  (n, group) block of C/num_groups channels; scale and bias per group
//	  before opset 21, per channel from it
//	MeanVarianceNormalization (ONNX's function over axes, default
//	  [0, 2, 3]): mean and mean of float32 squares as ReduceMean computes
//	  them (float64 sums in row-major order, one rounding); var = msq −
//	  float32(mean·mean); y = (x − mean) / (Sqrt(var) + 1e-9)
//	LRN: s = +0; s = s + float32(x_c'²) over the channel window c'
//	  ascending [c − ⌊(size−1)/2⌋, c + ⌈(size−1)/2⌉] ∩ [0, C);
//	  y = x / powOf(float32(bias + float32(float32(alpha/size)·s)), beta)

func init() {
	register("InstanceNormalization", buildInstanceNorm)
	register("GroupNormalization", buildGroupNorm)
	register("MeanVarianceNormalization", buildMVN)
	register("LRN", buildLRN)
}

func buildInstanceNorm(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 3, 3); err != nil {
		return nil, err
	}
	for i := range in {
		if err := wantFloat(n, in, i); err != nil {
			return nil, err
		}
	}
	shape := in[0].Shape
	if len(shape) < 3 {
		return nil, n.errorf("input %v: want [N, C, spatial...]", shape)
	}
	C := shape[1]
	if !sameShape(in[1].Shape, []int{C}) || !sameShape(in[2].Shape, []int{C}) {
		return nil, n.errorf("scale %v and B %v: want [%d]", in[1].Shape, in[2].Shape, C)
	}
	eps, err := n.attrFloat("epsilon", 1e-5)
	if err != nil {
		return nil, err
	}
	block := numel(shape[2:])
	size := numel(shape)
	return &step{outs: floatOut(shape), flops: 6 * i64(size), run: func(x []*Tensor, workers int) []*Tensor {
		out := &Tensor{DType: Float32, Shape: shape, F: make([]float32, size)}
		normalizeBlocks(workers, x[0].F, out.F, block, eps, func(b, _ int) int { return b % C }, x[1].F, x[2].F)
		return []*Tensor{out}
	}}, nil
}

func buildGroupNorm(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 3, 3); err != nil {
		return nil, err
	}
	for i := range in {
		if err := wantFloat(n, in, i); err != nil {
			return nil, err
		}
	}
	shape := in[0].Shape
	if len(shape) < 2 {
		return nil, n.errorf("input %v: want [N, C, ...]", shape)
	}
	G, err := n.attrInt("num_groups", 0)
	if err != nil {
		return nil, err
	}
	C := shape[1]
	if G < 1 || int64(C)%G != 0 {
		return nil, n.errorf("num_groups %d does not divide %d channels", G, C)
	}
	per := int(G) // scale and bias length
	if n.Opset >= 21 {
		per = C
	}
	if !sameShape(in[1].Shape, []int{per}) || !sameShape(in[2].Shape, []int{per}) {
		return nil, n.errorf("scale %v and bias %v: want [%d]", in[1].Shape, in[2].Shape, per)
	}
	eps, err := n.attrFloat("epsilon", 1e-5)
	if err != nil {
		return nil, err
	}
	spatial := numel(shape[2:])
	block := C / int(G) * spatial
	size := numel(shape)
	return &step{outs: floatOut(shape), flops: 6 * i64(size), run: func(x []*Tensor, workers int) []*Tensor {
		out := &Tensor{DType: Float32, Shape: shape, F: make([]float32, size)}
		normalizeBlocks(workers, x[0].F, out.F, block, eps, func(b, j int) int {
			g := b % int(G)
			if per == C {
				return g*(C/int(G)) + j/spatial
			}
			return g
		}, x[1].F, x[2].F)
		return []*Tensor{out}
	}}, nil
}

func buildMVN(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 1, 1); err != nil {
		return nil, err
	}
	if err := wantFloat(n, in, 0); err != nil {
		return nil, err
	}
	shape := in[0].Shape
	axes, err := n.attrInts("axes")
	if err != nil {
		return nil, err
	}
	if axes == nil {
		if len(shape) != 4 {
			return nil, n.errorf("input %v: the default axes [0, 2, 3] need rank 4", shape)
		}
		axes = []int64{0, 2, 3}
	}
	plan, err := planReduction(n, shape, axes, false, true)
	if err != nil {
		return nil, err
	}
	if plan.count == 0 {
		return nil, n.errorf("no elements to normalise over")
	}
	size := numel(shape)
	stride := strides(shape)
	reduced := make([]bool, len(shape))
	for _, a := range axes {
		ax, err := normAxis(n, a, len(shape))
		if err != nil {
			return nil, err
		}
		reduced[ax] = true
	}
	// keptIndex maps an input offset to its reduction's output index.
	keptIndex := func(off int) int {
		o := 0
		for d := range shape {
			if !reduced[d] {
				o = o*shape[d] + (off/stride[d])%shape[d]
			}
		}
		return o
	}
	return &step{outs: floatOut(shape), flops: 6 * i64(size), run: func(x []*Tensor, workers int) []*Tensor {
		X := x[0].F
		mean := make([]float32, plan.size)
		std := make([]float32, plan.size)
		for o := 0; o < plan.size; o++ {
			s, q := 0.0, 0.0
			plan.each(plan.base(o), func(off int) {
				v := float64(X[off])
				s = s + v
				q = q + float64(float32(v*v)) // Pow(X, 2) in float32, as ONNX's function has it
			})
			m := float32(s / float64(plan.count))
			msq := float32(q / float64(plan.count))
			mean[o] = m
			std[o] = Sqrt(msq-float32(m*m)) + 1e-9
		}
		out := &Tensor{DType: Float32, Shape: shape, F: make([]float32, size)}
		for i, v := range X {
			k := keptIndex(i)
			out.F[i] = (v - mean[k]) / std[k]
		}
		return []*Tensor{out}
	}}, nil
}

func buildLRN(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 1, 1); err != nil {
		return nil, err
	}
	if err := wantFloat(n, in, 0); err != nil {
		return nil, err
	}
	shape := in[0].Shape
	if len(shape) < 3 {
		return nil, n.errorf("input %v: want [N, C, spatial...]", shape)
	}
	size, err := n.attrInt("size", 0)
	if err != nil {
		return nil, err
	}
	if size < 1 || size > 1<<20 {
		return nil, n.errorf("size %d: want a positive window", size)
	}
	alpha, err := n.attrFloat("alpha", 0.0001)
	if err != nil {
		return nil, err
	}
	beta, err := n.attrFloat("beta", 0.75)
	if err != nil {
		return nil, err
	}
	bias, err := n.attrFloat("bias", 1)
	if err != nil {
		return nil, err
	}
	C, inner := shape[1], numel(shape[2:])
	lo, hi := int((size-1)/2), int(size/2) // ⌊(size−1)/2⌋ and ⌈(size−1)/2⌉
	scale := alpha / float32(size)
	total := numel(shape)
	return &step{outs: floatOut(shape), flops: i64(total) * (2*size + 4), run: func(x []*Tensor, _ int) []*Tensor {
		X := x[0].F
		out := &Tensor{DType: Float32, Shape: shape, F: make([]float32, total)}
		for e := range X {
			c := (e / inner) % C
			base := e - c*inner
			var s float32
			for k := max(0, c-lo); k <= min(C-1, c+hi); k++ {
				v := X[base+k*inner]
				s = s + float32(v*v)
			}
			out.F[e] = X[e] / powOf(bias+float32(scale*s), beta)
		}
		return []*Tensor{out}
	}}, nil
}

// normalizeBlocks normalises each contiguous block of X into Y in
// LayerNormalization's order (float32 sum, mean, two-pass variance,
// 1/Sqrt(var + eps)), scaling element j of block b by S[k] and adding
// B[k] for k = param(b, j).
func normalizeBlocks(workers int, X, Y []float32, block int, eps float32, param func(b, j int) int, S, B []float32) {
	parallelFor(workers, len(X)/max(block, 1), 6*block, func(lo, hi int) {
		for b := lo; b < hi; b++ {
			xs := X[b*block : (b+1)*block]
			var s float32
			for _, v := range xs {
				s = s + v
			}
			mean := s / float32(block)
			var q float32
			for _, v := range xs {
				d := v - mean
				q = q + float32(d*d)
			}
			inv := 1 / Sqrt(q/float32(block)+eps)
			for j, v := range xs {
				k := param(b, j)
				Y[b*block+j] = float32(float32((v-mean)*inv)*S[k]) + B[k]
			}
		}
	})
}
