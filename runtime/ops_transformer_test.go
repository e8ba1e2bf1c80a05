package runtime

import (
	"math"
	"strings"
	"testing"
)

// Transformer operators against naive float64 references, bit-identical
// across worker counts, and their compile-time refusals.

func node(op string, attrs map[string]Attr, outputs ...string) *Node {
	if attrs == nil {
		attrs = map[string]Attr{}
	}
	return &Node{OpType: op, Attrs: attrs, Outputs: outputs, Opset: 23}
}

func int64T(shape []int, v ...int64) *Tensor {
	t, err := FromInts(shape, v)
	if err != nil {
		panic(err)
	}
	return t
}

func sameBits(t *testing.T, name string, a, b *Tensor) {
	t.Helper()
	for i := range a.F {
		if math.Float32bits(a.F[i]) != math.Float32bits(b.F[i]) {
			t.Fatalf("%s: element %d differs across worker counts", name, i)
		}
	}
}

func TestNormOps(t *testing.T) {
	const N = 512 // large enough that 4 workers really split the groups
	x := randT(1, 8, 8, N)
	scale, bias := randT(2, N), randT(3, N)
	for _, rms := range []bool{false, true} {
		op, ins := "LayerNormalization", []*Tensor{x, scale, bias}
		if rms {
			op, ins = "RMSNormalization", []*Tensor{x, scale}
		}
		y1, err := runOp(t, node(op, map[string]Attr{"epsilon": {Kind: AttrFloat, F: 1e-5}}), ins, 1)
		if err != nil {
			t.Fatal(err)
		}
		y4, _ := runOp(t, node(op, map[string]Attr{"epsilon": {Kind: AttrFloat, F: 1e-5}}), ins, 4)
		sameBits(t, op, y1, y4)
		for g := 0; g < 64; g++ {
			xs := x.F[g*N : (g+1)*N]
			var mean, q float64
			if !rms {
				for _, v := range xs {
					mean += float64(v)
				}
				mean /= N
			}
			for _, v := range xs {
				q += (float64(v) - mean) * (float64(v) - mean)
			}
			inv := 1 / math.Sqrt(q/N+1e-5)
			for j, v := range xs {
				want := (float64(v) - mean) * inv * float64(scale.F[j])
				if !rms {
					want += float64(bias.F[j])
				}
				if !near(float64(y1.F[g*N+j]), want, 1e-4) {
					t.Fatalf("%s[%d,%d] = %v, want %v", op, g, j, y1.F[g*N+j], want)
				}
			}
		}
	}
	var err error
	_, err = runOp(t, node("RMSNormalization", map[string]Attr{"axis": intA(3)}), []*Tensor{x, scale}, 1)
	if err == nil || !strings.Contains(err.Error(), "out of range") {
		t.Fatalf("axis 3 of a rank-3 input: %v", err)
	}
	_, err = runOp(t, node("LayerNormalization", nil), []*Tensor{randT(1, 3, 4, 16), randT(4, 8)}, 1)
	if err == nil || !strings.Contains(err.Error(), "normalised block") {
		t.Fatalf("a scale of the wrong shape: %v", err)
	}
}

func TestGeluAndErfOps(t *testing.T) {
	x := randT(5, 2, 64)
	for _, c := range []struct {
		op     string
		approx string
		f      func(float32) float32
	}{{"Erf", "", Erf}, {"Gelu", "none", Gelu}, {"Gelu", "tanh", GeluTanh}} {
		attrs := map[string]Attr{}
		if c.approx != "" {
			attrs["approximate"] = str(c.approx)
		}
		y, err := runOp(t, node(c.op, attrs), []*Tensor{x}, 3)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range x.F {
			if y.F[i] != c.f(v) {
				t.Fatalf("%s(%s)[%d]", c.op, c.approx, i)
			}
		}
	}
	if _, err := runOp(t, node("Gelu", map[string]Attr{"approximate": str("fast")}), []*Tensor{x}, 1); err == nil {
		t.Fatal("Gelu accepted approximate=fast")
	}
}

func TestGatherOp(t *testing.T) {
	table := randT(6, 10, 4)
	// Indices as a runtime input: one int64 graph input per item.
	g := &Graph{Initializers: map[string]*Tensor{"E": table}, Opset: 23,
		Inputs:  []ValueInfo{{Name: "ids", DType: Int64, Shape: []int{1, 3}}},
		Nodes:   []*Node{{OpType: "Gather", Inputs: []string{"E", "ids"}, Outputs: []string{"y"}, Opset: 23}},
		Outputs: []string{"y"}}
	p, err := Compile(g, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	out, err := p.Run([]*Tensor{int64T([]int{1, 3}, 7, 0, -1)}, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	y := out[0]
	if !sameShape(y.Shape, []int{1, 3, 4}) {
		t.Fatalf("shape %v", y.Shape)
	}
	for j, row := range []int{7, 0, 9} {
		for k := 0; k < 4; k++ {
			if y.F[j*4+k] != table.F[row*4+k] {
				t.Fatalf("row %d col %d", j, k)
			}
		}
	}
	if _, err := p.Run([]*Tensor{int64T([]int{1, 3}, 1, 10, 2)}, 1, nil); err == nil || !strings.Contains(err.Error(), "out of range") {
		t.Fatalf("an index past the table: %v", err)
	}
	if _, err := p.Run([]*Tensor{mustT(t, []int{1, 3}, 1, 2, 3)}, 1, nil); err == nil || !strings.Contains(err.Error(), "int64") {
		t.Fatalf("float ids: %v", err)
	}
	// Along axis 1, with constant indices checked at compile time.
	y, err = runOp(t, node("Gather", map[string]Attr{"axis": intA(1)}), []*Tensor{table, int64T([]int{2}, 3, 1)}, 1)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "gather axis 1", y, []int{10, 2}, []float32{table.F[3], table.F[1], table.F[7], table.F[5]})
	if _, err := runOp(t, node("Gather", nil), []*Tensor{table, int64T([]int{1}, 10)}, 1); err == nil {
		t.Fatal("a constant index past the table compiled")
	}
}

func TestSliceSplitSqueezeCast(t *testing.T) {
	x := randT(7, 2, 6)
	y, err := runOp(t, node("Slice", nil), []*Tensor{x, int64T([]int{1}, 1), int64T([]int{1}, -1), int64T([]int{1}, 1), int64T([]int{1}, 2)}, 1)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "slice", y, []int{2, 2}, []float32{x.F[1], x.F[3], x.F[7], x.F[9]})
	y, err = runOp(t, node("Slice", nil), []*Tensor{x, int64T([]int{1}, -1), int64T([]int{1}, math.MinInt64), int64T([]int{1}, 1), int64T([]int{1}, -2)}, 1)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "reverse slice", y, []int{2, 3}, []float32{x.F[5], x.F[3], x.F[1], x.F[11], x.F[9], x.F[7]})
	// start after end with a positive step: an empty tensor, as ONNX has it.
	if y, err := runOp(t, node("Slice", nil), []*Tensor{x, int64T([]int{1}, 4), int64T([]int{1}, 2), int64T([]int{1}, 1)}, 1); err != nil || !sameShape(y.Shape, []int{2, 0}) || len(y.F) != 0 {
		t.Fatalf("an empty slice: %v, %v", y, err)
	}

	n := node("Split", map[string]Attr{"axis": intA(1), "num_outputs": intA(3)}, "a", "b", "c")
	g := &Graph{Opset: 23, Inputs: []ValueInfo{{Name: "x", DType: Float32, Shape: []int{2, 6}}},
		Nodes: []*Node{{OpType: "Split", Inputs: []string{"x"}, Outputs: n.Outputs, Attrs: n.Attrs, Opset: 23}}, Outputs: []string{"a", "b", "c"}}
	p, err := Compile(g, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	outs, err := p.Run([]*Tensor{x}, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "split c", outs[2], []int{2, 2}, []float32{x.F[4], x.F[5], x.F[10], x.F[11]})

	y, err = runOp(t, node("Unsqueeze", nil), []*Tensor{x, int64T([]int{2}, 0, -1)}, 1)
	if err != nil || !sameShape(y.Shape, []int{1, 2, 6, 1}) {
		t.Fatalf("unsqueeze: %v %v", y, err)
	}
	y, err = runOp(t, node("Squeeze", nil), []*Tensor{mustT(t, []int{1, 3, 1}, 1, 2, 3)}, 1)
	if err != nil || !sameShape(y.Shape, []int{3}) {
		t.Fatalf("squeeze: %v %v", y, err)
	}

	c := &Graph{Opset: 23, Inputs: []ValueInfo{{Name: "x", DType: Float32, Shape: []int{5}}},
		Nodes:   []*Node{{OpType: "Cast", Inputs: []string{"x"}, Outputs: []string{"y"}, Attrs: map[string]Attr{"to": intA(7)}, Opset: 23}},
		Outputs: []string{"y"}}
	p, err = Compile(c, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	outs, err = p.Run([]*Tensor{mustT(t, []int{5}, -2.7, 2.7, nan, inf, -inf)}, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []int64{-2, 2, 0, math.MaxInt64, math.MinInt64}
	for i, v := range want {
		if outs[0].I[i] != v {
			t.Fatalf("cast %d = %d, want %d", i, outs[0].I[i], v)
		}
	}
}

func TestRotaryEmbeddingOp(t *testing.T) {
	const B, H, S, D = 1, 2, 3, 8
	x := randT(8, B, H, S, D)
	maxPos, half := 16, D/2
	cos, sin := NewTensor(maxPos, half), NewTensor(maxPos, half)
	for p := 0; p < maxPos; p++ {
		for i := 0; i < half; i++ {
			theta := float64(p) / math.Pow(10000, float64(2*i)/D)
			cos.F[p*half+i], sin.F[p*half+i] = float32(math.Cos(theta)), float32(math.Sin(theta))
		}
	}
	pos := int64T([]int{B, S}, 4, 5, 6)
	for _, inter := range []int64{0, 1} {
		y, err := runOp(t, node("RotaryEmbedding", map[string]Attr{"interleaved": intA(inter)}), []*Tensor{x, cos, sin, pos}, 1)
		if err != nil {
			t.Fatal(err)
		}
		for h := 0; h < H; h++ {
			for s := 0; s < S; s++ {
				base := (h*S + s) * D
				for i := 0; i < half; i++ {
					i1, i2 := i, i+half
					if inter == 1 {
						i1, i2 = 2*i, 2*i+1
					}
					c, sn := float64(cos.F[(4+s)*half+i]), float64(sin.F[(4+s)*half+i])
					x1, x2 := float64(x.F[base+i1]), float64(x.F[base+i2])
					if !near(float64(y.F[base+i1]), x1*c-x2*sn, 1e-6) || !near(float64(y.F[base+i2]), x2*c+x1*sn, 1e-6) {
						t.Fatalf("interleaved=%d h=%d s=%d i=%d", inter, h, s, i)
					}
				}
			}
		}
	}
	// The 3-D form with num_heads gives the same numbers as the 4-D form on the transposed layout.
	x3 := NewTensor(B, S, H*D)
	for h := 0; h < H; h++ {
		for s := 0; s < S; s++ {
			copy(x3.F[(s*H+h)*D:(s*H+h+1)*D], x.F[(h*S+s)*D:(h*S+s+1)*D])
		}
	}
	y4, _ := runOp(t, node("RotaryEmbedding", nil), []*Tensor{x, cos, sin, pos}, 1)
	y3, err := runOp(t, node("RotaryEmbedding", map[string]Attr{"num_heads": intA(H)}), []*Tensor{x3, cos, sin, pos}, 1)
	if err != nil {
		t.Fatal(err)
	}
	for h := 0; h < H; h++ {
		for s := 0; s < S; s++ {
			for d := 0; d < D; d++ {
				if y3.F[(s*H+h)*D+d] != y4.F[(h*S+s)*D+d] {
					t.Fatal("3-D and 4-D layouts disagree")
				}
			}
		}
	}
	if _, err := runOp(t, node("RotaryEmbedding", map[string]Attr{"rotary_embedding_dim": intA(3)}), []*Tensor{x, cos, sin, pos}, 1); err == nil {
		t.Fatal("an odd rotary dimension compiled")
	}
}

// Hostile shapes are refused at compile time, never a panic or a negative
// or wrapped dimension.
func TestShapeOpsRefuseOverflow(t *testing.T) {
	x := randT(7, 2, 6)
	c := func(v ...int64) *Tensor { return int64T([]int{len(v)}, v...) }
	for _, steps := range []int64{math.MaxInt64 - 2, math.MinInt64 + 1, math.MinInt64} {
		y, err := runOp(t, node("Slice", nil), []*Tensor{x, c(0), c(6), c(1), c(steps)}, 1)
		want := 1 // a huge positive step takes the first element
		if steps < 0 {
			want = 0 // from 0 backwards to 6: nothing
		}
		if err == nil && y.Shape[1] != want {
			t.Fatalf("step %d gave shape %v", steps, y.Shape)
		}
	}
	n := node("Split", map[string]Attr{"axis": intA(1)}, "a", "b", "c", "d")
	big := int64(1)<<62 + 1
	if _, err := runOp(t, n, []*Tensor{x, c(big, big, big, 6-3*big)}, 1); err == nil {
		t.Fatal("split sizes that wrap around were accepted")
	}
	// Constant position ids outside the cache: refused while compiling.
	cos, sin := NewTensor(4, 2), NewTensor(4, 2)
	g := &Graph{Opset: 23, Initializers: map[string]*Tensor{"x": randT(1, 1, 1, 2, 4), "c": cos, "s": sin, "p": int64T([]int{1, 2}, 0, 9)},
		Nodes:   []*Node{{OpType: "RotaryEmbedding", Inputs: []string{"x", "c", "s", "p"}, Outputs: []string{"y"}, Attrs: map[string]Attr{}, Opset: 23}},
		Outputs: []string{"y"}}
	if _, err := Compile(g, DefaultLimits()); err == nil || !strings.Contains(err.Error(), "position 9") {
		t.Fatalf("constant positions past the cache: %v", err)
	}
}
