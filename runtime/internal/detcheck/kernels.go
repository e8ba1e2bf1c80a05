package main

import (
	"crypto/sha256"
	"fmt"
	"math"

	"github.com/delphi-network/delphi/runtime"
)

// castOps digests Cast between float32 and the integer types: the
// conversions a CPU does in its own instructions (int64 and uint64 to
// float32 rounding, float32 to integers truncating and saturating).
func castOps() error {
	h := sha256.New()
	s := uint64(0x9e3779b97f4a7c15)
	ints := make([]int64, 4096)
	floats := make([]float32, 4096)
	for i := range ints {
		s = s*6364136223846793005 + 1442695040888963407
		ints[i] = int64(s >> (i % 64))
		floats[i] = math.Float32frombits(uint32(s >> 32)) // every exponent: saturation, NaN, Inf
	}
	run := func(x *runtime.Tensor, to runtime.DType) error {
		g := &runtime.Graph{Opset: 13, Initializers: map[string]*runtime.Tensor{},
			Inputs: []runtime.ValueInfo{{Name: "x", DType: x.DType, Shape: x.Shape}},
			Nodes: []*runtime.Node{{OpType: "Cast", Inputs: []string{"x"}, Outputs: []string{"y"}, Opset: 13,
				Attrs: map[string]runtime.Attr{"to": {Kind: runtime.AttrInt, I: int64(to)}}}},
			Outputs: []string{"y"}}
		p, err := runtime.Compile(g, runtime.DefaultLimits())
		if err != nil {
			return fmt.Errorf("cast %s to %s: %w", x.DType, to, err)
		}
		out, err := p.Run([]*runtime.Tensor{x}, 1, nil)
		if err != nil {
			return fmt.Errorf("cast %s to %s: %w", x.DType, to, err)
		}
		h.Write(out[0].Bytes())
		return nil
	}
	f, err := runtime.FromFloats([]int{len(floats)}, floats)
	if err != nil {
		return err
	}
	for _, to := range []runtime.DType{runtime.UInt8, runtime.Int32, runtime.UInt64, runtime.Int64, runtime.Float16, runtime.BFloat16} {
		if err := run(f, to); err != nil {
			return err
		}
	}
	for _, from := range []runtime.DType{runtime.Int64, runtime.UInt64} {
		x, err := runtime.FromTyped(from, []int{len(ints)}, ints)
		if err != nil {
			return err
		}
		if err := run(x, runtime.Float32); err != nil {
			return err
		}
	}
	fmt.Printf("cast ops sha256=%x\n", h.Sum(nil))
	return nil
}

// convTranspose digests ConvTranspose (2-D, groups, stride, dilation,
// padding) on pseudo-random data: float32 products and sums in its order.
func convTranspose() error {
	s := uint64(7)
	rnd := func(shape ...int) (*runtime.Tensor, error) {
		n := 1
		for _, d := range shape {
			n *= d
		}
		v := make([]float32, n)
		for i := range v {
			s = s*6364136223846793005 + 1442695040888963407
			v[i] = float32(int64(s>>40)-1<<23) / (1 << 20)
		}
		return runtime.FromFloats(shape, v)
	}
	x, err := rnd(2, 4, 9, 7)
	if err != nil {
		return err
	}
	w, err := rnd(4, 3, 3, 2)
	if err != nil {
		return err
	}
	b, err := rnd(6)
	if err != nil {
		return err
	}
	ints := func(v ...int64) runtime.Attr { return runtime.Attr{Kind: runtime.AttrInts, Ints: v} }
	g := &runtime.Graph{Opset: 17, Initializers: map[string]*runtime.Tensor{"w": w, "b": b},
		Inputs: []runtime.ValueInfo{{Name: "x", DType: runtime.Float32, Shape: x.Shape}},
		Nodes: []*runtime.Node{{OpType: "ConvTranspose", Inputs: []string{"x", "w", "b"}, Outputs: []string{"y"}, Opset: 17,
			Attrs: map[string]runtime.Attr{"group": {Kind: runtime.AttrInt, I: 2}, "strides": ints(2, 3), "dilations": ints(2, 1),
				"pads": ints(1, 0, 2, 1), "output_padding": ints(1, 0)}}},
		Outputs: []string{"y"}}
	p, err := runtime.Compile(g, runtime.DefaultLimits())
	if err != nil {
		return fmt.Errorf("ConvTranspose: %w", err)
	}
	out, err := p.Run([]*runtime.Tensor{x}, 2, nil)
	if err != nil {
		return fmt.Errorf("ConvTranspose: %w", err)
	}
	h := sha256.Sum256(out[0].Bytes())
	fmt.Printf("convtranspose %v sha256=%x\n", out[0].Shape, h)
	return nil
}

// resize digests Resize (nearest, linear, cubic under several coordinate
// transformations): float64 coordinates, weights and sums.
func resize() error {
	s := uint64(11)
	v := make([]float32, 2*3*7*5)
	for i := range v {
		s = s*6364136223846793005 + 1442695040888963407
		v[i] = float32(int64(s>>40)-1<<23) / (1 << 20)
	}
	x, err := runtime.FromFloats([]int{2, 3, 7, 5}, v)
	if err != nil {
		return err
	}
	h := sha256.New()
	scales, err := runtime.FromFloats([]int{4}, []float32{1, 1, 2.5, 0.6})
	if err != nil {
		return err
	}
	str := func(v string) runtime.Attr { return runtime.Attr{Kind: runtime.AttrString, S: v} }
	for _, mode := range []string{"nearest", "linear", "cubic"} {
		for _, ctm := range []string{"half_pixel", "align_corners", "asymmetric", "pytorch_half_pixel"} {
			g := &runtime.Graph{Opset: 13, Initializers: map[string]*runtime.Tensor{"s": scales},
				Inputs: []runtime.ValueInfo{{Name: "x", DType: runtime.Float32, Shape: x.Shape}},
				Nodes: []*runtime.Node{{OpType: "Resize", Inputs: []string{"x", "", "s"}, Outputs: []string{"y"}, Opset: 13,
					Attrs: map[string]runtime.Attr{"mode": str(mode), "coordinate_transformation_mode": str(ctm),
						"exclude_outside": {Kind: runtime.AttrInt, I: int64(len(ctm) % 2)}}}},
				Outputs: []string{"y"}}
			p, err := runtime.Compile(g, runtime.DefaultLimits())
			if err != nil {
				return fmt.Errorf("Resize %s %s: %w", mode, ctm, err)
			}
			out, err := p.Run([]*runtime.Tensor{x}, 2, nil)
			if err != nil {
				return fmt.Errorf("Resize %s %s: %w", mode, ctm, err)
			}
			h.Write(out[0].Bytes())
		}
	}
	fmt.Printf("resize sha256=%x\n", h.Sum(nil))
	return nil
}

// norms digests InstanceNormalization, MeanVarianceNormalization and LRN
// (float32 sums, Sqrt, detmath's pow) on pseudo-random data.
func norms() error {
	s := uint64(13)
	rnd := func(shape ...int) (*runtime.Tensor, error) {
		n := 1
		for _, d := range shape {
			n *= d
		}
		v := make([]float32, n)
		for i := range v {
			s = s*6364136223846793005 + 1442695040888963407
			v[i] = float32(int64(s>>40)-1<<23) / (1 << 21)
		}
		return runtime.FromFloats(shape, v)
	}
	x, err := rnd(2, 5, 6, 7)
	if err != nil {
		return err
	}
	scale, err := rnd(5)
	if err != nil {
		return err
	}
	bias, err := rnd(5)
	if err != nil {
		return err
	}
	h := sha256.New()
	for _, c := range []struct {
		op    string
		ins   []string
		attrs map[string]runtime.Attr
	}{
		{"InstanceNormalization", []string{"x", "s", "b"}, map[string]runtime.Attr{}},
		{"MeanVarianceNormalization", []string{"x"}, map[string]runtime.Attr{}},
		{"LRN", []string{"x"}, map[string]runtime.Attr{"size": {Kind: runtime.AttrInt, I: 3}, "beta": {Kind: runtime.AttrFloat, F: 0.6}}},
	} {
		g := &runtime.Graph{Opset: 13, Initializers: map[string]*runtime.Tensor{"s": scale, "b": bias},
			Inputs:  []runtime.ValueInfo{{Name: "x", DType: runtime.Float32, Shape: x.Shape}},
			Nodes:   []*runtime.Node{{OpType: c.op, Inputs: c.ins, Outputs: []string{"y"}, Opset: 13, Attrs: c.attrs}},
			Outputs: []string{"y"}}
		p, err := runtime.Compile(g, runtime.DefaultLimits())
		if err != nil {
			return fmt.Errorf("%s: %w", c.op, err)
		}
		out, err := p.Run([]*runtime.Tensor{x}, 2, nil)
		if err != nil {
			return fmt.Errorf("%s: %w", c.op, err)
		}
		h.Write(out[0].Bytes())
	}
	fmt.Printf("norms sha256=%x\n", h.Sum(nil))
	return nil
}

// recurrent digests RNN, GRU (both reset forms) and bidirectional LSTM
// (float32 dot products, detmath's Sigmoid and Tanh).
func recurrent() error {
	s := uint64(17)
	rnd := func(shape ...int) (*runtime.Tensor, error) {
		n := 1
		for _, d := range shape {
			n *= d
		}
		v := make([]float32, n)
		for i := range v {
			s = s*6364136223846793005 + 1442695040888963407
			v[i] = float32(int64(s>>40)-1<<23) / (1 << 22)
		}
		return runtime.FromFloats(shape, v)
	}
	const S, B, I, H = 7, 3, 5, 4
	x, err := rnd(S, B, I)
	if err != nil {
		return err
	}
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
		w, err := rnd(D, c.G*H, I)
		if err != nil {
			return err
		}
		r, err := rnd(D, c.G*H, H)
		if err != nil {
			return err
		}
		b, err := rnd(D, 2*c.G*H)
		if err != nil {
			return err
		}
		attrs := map[string]runtime.Attr{"hidden_size": {Kind: runtime.AttrInt, I: H}, "direction": {Kind: runtime.AttrString, S: c.dir}}
		if c.G == 3 {
			attrs["linear_before_reset"] = runtime.Attr{Kind: runtime.AttrInt, I: c.lbr}
		}
		g := &runtime.Graph{Opset: 14, Initializers: map[string]*runtime.Tensor{"w": w, "r": r, "b": b},
			Inputs:  []runtime.ValueInfo{{Name: "x", DType: runtime.Float32, Shape: x.Shape}},
			Nodes:   []*runtime.Node{{OpType: c.op, Inputs: []string{"x", "w", "r", "b"}, Outputs: []string{"y", "yh"}, Opset: 14, Attrs: attrs}},
			Outputs: []string{"y", "yh"}}
		p, err := runtime.Compile(g, runtime.DefaultLimits())
		if err != nil {
			return fmt.Errorf("%s: %w", c.op, err)
		}
		out, err := p.Run([]*runtime.Tensor{x}, 2, nil)
		if err != nil {
			return fmt.Errorf("%s: %w", c.op, err)
		}
		h.Write(out[0].Bytes())
		h.Write(out[1].Bytes())
	}
	fmt.Printf("recurrent sha256=%x\n", h.Sum(nil))
	return nil
}

// float64Ops digests Einsum (float32 and float64), CumSum and
// ReduceLogSumExp over float64, and Cast from float64 to float32 and
// float16: float64 arithmetic, exp64 and log64, round-to-odd.
func float64Ops() error {
	s := uint64(19)
	f32 := make([]float32, 4*5*6)
	f64s := make([]float64, 4*5*6)
	for i := range f32 {
		s = s*6364136223846793005 + 1442695040888963407
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
	str := func(v string) runtime.Attr { return runtime.Attr{Kind: runtime.AttrString, S: v} }
	for _, c := range []struct {
		op    string
		x     *runtime.Tensor
		ins   []string
		attrs map[string]runtime.Attr
	}{
		{"Einsum", x32, []string{"x", "x"}, map[string]runtime.Attr{"equation": str("abc,adc->bd")}},
		{"Einsum", x64, []string{"x", "x"}, map[string]runtime.Attr{"equation": str("abc,abc->b")}},
		{"CumSum", x64, []string{"x", "axis"}, map[string]runtime.Attr{}},
		{"ReduceLogSumExp", x64, []string{"x"}, map[string]runtime.Attr{"axes": {Kind: runtime.AttrInts, Ints: []int64{2}}}},
		{"Cast", x64, []string{"x"}, map[string]runtime.Attr{"to": {Kind: runtime.AttrInt, I: int64(runtime.Float32)}}},
		{"Cast", x64, []string{"x"}, map[string]runtime.Attr{"to": {Kind: runtime.AttrInt, I: int64(runtime.Float16)}}},
	} {
		g := &runtime.Graph{Opset: 14, Initializers: map[string]*runtime.Tensor{"axis": axis},
			Inputs:  []runtime.ValueInfo{{Name: "x", DType: c.x.DType, Shape: c.x.Shape}},
			Nodes:   []*runtime.Node{{OpType: c.op, Inputs: c.ins, Outputs: []string{"y"}, Opset: 14, Attrs: c.attrs}},
			Outputs: []string{"y"}}
		p, err := runtime.Compile(g, runtime.DefaultLimits())
		if err != nil {
			return fmt.Errorf("%s: %w", c.op, err)
		}
		out, err := p.Run([]*runtime.Tensor{c.x}, 2, nil)
		if err != nil {
			return fmt.Errorf("%s: %w", c.op, err)
		}
		h.Write(out[0].Bytes())
	}
	fmt.Printf("float64 ops sha256=%x\n", h.Sum(nil))
	return nil
}
