package main

import (
	"crypto/sha256"
	"fmt"
	"hash"
	"math"

	"github.com/delphi-network/delphi/runtime"
)

// lcg is the digests' pseudo-random sequence.
type lcg struct{ s uint64 }

func (g *lcg) next() uint64 {
	g.s = g.s*6364136223846793005 + 1442695040888963407
	return g.s
}

// floats is a float32 tensor of values (s>>40 − 2^23)/div.
func (g *lcg) floats(div float32, shape ...int) *runtime.Tensor {
	n := 1
	for _, d := range shape {
		n *= d
	}
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(int64(g.next()>>40)-1<<23) / div
	}
	t, err := runtime.FromFloats(shape, v)
	if err != nil {
		panic(err) // shapes here are fixed and small
	}
	return t
}

// digestOp compiles one node over the runtime input x (its other inputs
// initializers), runs it with the given workers and writes every output's
// bytes to h.
func digestOp(h hash.Hash, op string, opset int64, x *runtime.Tensor, ins []string, inits map[string]*runtime.Tensor,
	attrs map[string]runtime.Attr, nout, workers int) ([]*runtime.Tensor, error) {
	outs := make([]string, nout)
	for i := range outs {
		outs[i] = fmt.Sprintf("y%d", i)
	}
	if inits == nil {
		inits = map[string]*runtime.Tensor{}
	}
	g := &runtime.Graph{Opset: opset, Initializers: inits,
		Inputs:  []runtime.ValueInfo{{Name: "x", DType: x.DType, Shape: x.Shape}},
		Nodes:   []*runtime.Node{{OpType: op, Inputs: ins, Outputs: outs, Opset: opset, Attrs: attrs}},
		Outputs: outs}
	p, err := runtime.Compile(g, runtime.DefaultLimits())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	res, err := p.Run([]*runtime.Tensor{x}, workers, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	for _, t := range res {
		h.Write(t.Bytes())
	}
	return res, nil
}

func intAttr(v int64) runtime.Attr     { return runtime.Attr{Kind: runtime.AttrInt, I: v} }
func intsAttr(v ...int64) runtime.Attr { return runtime.Attr{Kind: runtime.AttrInts, Ints: v} }
func strAttr(v string) runtime.Attr    { return runtime.Attr{Kind: runtime.AttrString, S: v} }

// castOps digests Cast between float32 and the integer and half types:
// the conversions a CPU does in its own instructions (int64 and uint64 to
// float32 rounding, float32 to integers truncating and saturating).
func castOps() error {
	h := sha256.New()
	g := &lcg{0x9e3779b97f4a7c15}
	ints := make([]int64, 4096)
	floats := make([]float32, 4096)
	for i := range ints {
		s := g.next()
		ints[i] = int64(s >> (i % 64))
		floats[i] = math.Float32frombits(uint32(s >> 32)) // every exponent: saturation, NaN, Inf
	}
	f, err := runtime.FromFloats([]int{len(floats)}, floats)
	if err != nil {
		return err
	}
	cast := func(x *runtime.Tensor, to runtime.DType) error {
		_, err := digestOp(h, "Cast", 13, x, []string{"x"}, nil, map[string]runtime.Attr{"to": intAttr(int64(to))}, 1, 1)
		return err
	}
	for _, to := range []runtime.DType{runtime.UInt8, runtime.Int32, runtime.UInt64, runtime.Int64, runtime.Float16, runtime.BFloat16} {
		if err := cast(f, to); err != nil {
			return err
		}
	}
	for _, from := range []runtime.DType{runtime.Int64, runtime.UInt64} {
		x, err := runtime.FromTyped(from, []int{len(ints)}, ints)
		if err != nil {
			return err
		}
		if err := cast(x, runtime.Float32); err != nil {
			return err
		}
	}
	fmt.Printf("cast ops sha256=%x\n", h.Sum(nil))
	return nil
}

// convTranspose digests ConvTranspose (2-D, groups, stride, dilation,
// padding) on pseudo-random data: float32 products and sums in its order.
func convTranspose() error {
	g := &lcg{7}
	x, w, b := g.floats(1<<20, 2, 4, 9, 7), g.floats(1<<20, 4, 3, 3, 2), g.floats(1<<20, 6)
	h := sha256.New()
	out, err := digestOp(h, "ConvTranspose", 17, x, []string{"x", "w", "b"}, map[string]*runtime.Tensor{"w": w, "b": b},
		map[string]runtime.Attr{"group": intAttr(2), "strides": intsAttr(2, 3), "dilations": intsAttr(2, 1),
			"pads": intsAttr(1, 0, 2, 1), "output_padding": intsAttr(1, 0)}, 1, 2)
	if err != nil {
		return err
	}
	fmt.Printf("convtranspose %v sha256=%x\n", out[0].Shape, h.Sum(nil))
	return nil
}

// resize digests Resize (nearest, linear, cubic under several coordinate
// transformations): float64 coordinates, weights and sums.
func resize() error {
	x := (&lcg{11}).floats(1<<20, 2, 3, 7, 5)
	scales, err := runtime.FromFloats([]int{4}, []float32{1, 1, 2.5, 0.6})
	if err != nil {
		return err
	}
	h := sha256.New()
	for _, mode := range []string{"nearest", "linear", "cubic"} {
		for _, ctm := range []string{"half_pixel", "align_corners", "asymmetric", "pytorch_half_pixel"} {
			attrs := map[string]runtime.Attr{"mode": strAttr(mode), "coordinate_transformation_mode": strAttr(ctm),
				"exclude_outside": intAttr(int64(len(ctm) % 2))}
			if _, err := digestOp(h, "Resize", 13, x, []string{"x", "", "s"}, map[string]*runtime.Tensor{"s": scales}, attrs, 1, 2); err != nil {
				return err
			}
		}
	}
	fmt.Printf("resize sha256=%x\n", h.Sum(nil))
	return nil
}

// norms digests InstanceNormalization, MeanVarianceNormalization and LRN
// (float32 sums, Sqrt, detmath's pow) on pseudo-random data.
func norms() error {
	g := &lcg{13}
	x, scale, bias := g.floats(1<<21, 2, 5, 6, 7), g.floats(1<<21, 5), g.floats(1<<21, 5)
	inits := map[string]*runtime.Tensor{"s": scale, "b": bias}
	h := sha256.New()
	for _, c := range []struct {
		op    string
		ins   []string
		attrs map[string]runtime.Attr
	}{
		{"InstanceNormalization", []string{"x", "s", "b"}, map[string]runtime.Attr{}},
		{"MeanVarianceNormalization", []string{"x"}, map[string]runtime.Attr{}},
		{"LRN", []string{"x"}, map[string]runtime.Attr{"size": intAttr(3), "beta": {Kind: runtime.AttrFloat, F: 0.6}}},
	} {
		if _, err := digestOp(h, c.op, 13, x, c.ins, inits, c.attrs, 1, 2); err != nil {
			return err
		}
	}
	fmt.Printf("norms sha256=%x\n", h.Sum(nil))
	return nil
}

// recurrent digests RNN, GRU (both reset forms) and bidirectional LSTM
// (float32 dot products, detmath's Sigmoid and Tanh).
func recurrent() error {
	const S, B, I, H = 7, 3, 5, 4
	g := &lcg{17}
	x := g.floats(1<<22, S, B, I)
	h := sha256.New()
	for _, c := range []struct {
		op  string
		G   int
		dir string
		lbr int64
	}{{"RNN", 1, "forward", 0}, {"GRU", 3, "reverse", 0}, {"GRU", 3, "forward", 1}, {"LSTM", 4, "bidirectional", 0}} {
		D := 1
		if c.dir == "bidirectional" {
			D = 2
		}
		w, r, b := g.floats(1<<22, D, c.G*H, I), g.floats(1<<22, D, c.G*H, H), g.floats(1<<22, D, 2*c.G*H)
		attrs := map[string]runtime.Attr{"hidden_size": intAttr(H), "direction": strAttr(c.dir)}
		if c.G == 3 {
			attrs["linear_before_reset"] = intAttr(c.lbr)
		}
		if _, err := digestOp(h, c.op, 14, x, []string{"x", "w", "r", "b"}, map[string]*runtime.Tensor{"w": w, "r": r, "b": b}, attrs, 2, 2); err != nil {
			return err
		}
	}
	fmt.Printf("recurrent sha256=%x\n", h.Sum(nil))
	return nil
}

// float64Ops digests Einsum (float32 and float64), CumSum and
// ReduceLogSumExp over float64, and Cast from float64 to float32 and
// float16: float64 arithmetic, exp64 and log64, round-to-odd.
func float64Ops() error {
	g := &lcg{19}
	f32 := make([]float32, 4*5*6)
	f64s := make([]float64, 4*5*6)
	for i := range f32 {
		s := g.next()
		f32[i] = float32(int64(s>>40)-1<<23) / (1 << 20)
		f64s[i] = math.Float64frombits(s>>2|0x3000000000000000) * float64(1-2*(i%2))
	}
	x32, err := runtime.FromFloats([]int{4, 5, 6}, f32)
	if err != nil {
		return err
	}
	x64, err := runtime.FromFloat64s([]int{4, 5, 6}, f64s)
	if err != nil {
		return err
	}
	axis, err := runtime.FromInts(nil, []int64{1})
	if err != nil {
		return err
	}
	h := sha256.New()
	for _, c := range []struct {
		op    string
		x     *runtime.Tensor
		ins   []string
		attrs map[string]runtime.Attr
	}{
		{"Einsum", x32, []string{"x", "x"}, map[string]runtime.Attr{"equation": strAttr("abc,adc->bd")}},
		{"Einsum", x64, []string{"x", "x"}, map[string]runtime.Attr{"equation": strAttr("abc,abc->b")}},
		{"CumSum", x64, []string{"x", "axis"}, map[string]runtime.Attr{}},
		{"ReduceLogSumExp", x64, []string{"x"}, map[string]runtime.Attr{"axes": intsAttr(2)}},
		{"Cast", x64, []string{"x"}, map[string]runtime.Attr{"to": intAttr(int64(runtime.Float32))}},
		{"Cast", x64, []string{"x"}, map[string]runtime.Attr{"to": intAttr(int64(runtime.Float16))}},
	} {
		if _, err := digestOp(h, c.op, 14, c.x, c.ins, map[string]*runtime.Tensor{"axis": axis}, c.attrs, 1, 2); err != nil {
			return err
		}
	}
	fmt.Printf("float64 ops sha256=%x\n", h.Sum(nil))
	return nil
}
