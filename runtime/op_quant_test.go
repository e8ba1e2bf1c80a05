package runtime

import (
	"math"
	"strings"
	"testing"
)

func TestQuantizeRoundsAndSaturates(t *testing.T) {
	x := mustT(t, []int{6}, 0.5, 1.5, 2.5, -300, 1000, float32(math.NaN()))
	g := &Graph{Initializers: map[string]*Tensor{"s": mustT(t, nil, 1)}, Opset: 13, Outputs: []string{"y"},
		Inputs: []ValueInfo{{Name: "x", DType: Float32, Shape: x.Shape}},
		Nodes:  []*Node{{Name: "q", OpType: "QuantizeLinear", Inputs: []string{"x", "s", "z"}, Outputs: []string{"y"}, Opset: 13, Attrs: map[string]Attr{}}}}
	g.Initializers["z"] = &Tensor{DType: Int8, Shape: []int{}, I: []int64{-1}}
	p, err := Compile(g, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	out, err := p.Run([]*Tensor{x}, 1, nil)
	// half to even: 0, 2, 2; −1 added; saturated to int8; NaN gives the zero point
	wantTyped(t, "quantize", out[0], err, Int8, -1, 1, 1, -128, 127, -1)
	d, err := runGraphOp(t, "DequantizeLinear", 13, nil, typed(t, UInt8, 0, 255), mustT(t, nil, 0.5), &Tensor{DType: UInt8, Shape: []int{}, I: []int64{128}})
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "dequantize", d, []int{2}, []float32{-64, 63.5})
	if _, err := runGraphOp(t, "QuantizeLinear", 13, nil, x, mustT(t, nil, 1), typed(t, Int32, 0)); err == nil || !strings.Contains(err.Error(), "uint8 or int8") {
		t.Fatalf("an int32 zero point: %v", err)
	}
	// An all-zero input has scale 0: every q and the zero point are 0.
	z := mustT(t, []int{3}, 0, 0, 0)
	dg := &Graph{Initializers: map[string]*Tensor{}, Opset: 11, Outputs: []string{"y", "s", "zp"},
		Inputs: []ValueInfo{{Name: "x", DType: Float32, Shape: z.Shape}},
		Nodes:  []*Node{{Name: "d", OpType: "DynamicQuantizeLinear", Inputs: []string{"x"}, Outputs: []string{"y", "s", "zp"}, Opset: 11, Attrs: map[string]Attr{}}}}
	dp, err := Compile(dg, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	dq, err := dp.Run([]*Tensor{z}, 1, nil)
	wantTyped(t, "all-zero input", dq[0], err, UInt8, 0, 0, 0)
	if dq[1].F[0] != 0 || dq[2].I[0] != 0 {
		t.Fatalf("scale %v, zero point %v", dq[1].F, dq[2].I)
	}
}
