package runtime

import "testing"

// TestLayerNormStatistics: LayerNormalization's optional Mean and
// InvStdDev outputs are each block's mean and 1/Sqrt(var + eps) as the Y
// computation has them, shaped with the normalised axes as 1; RMS
// normalization has no such outputs.
func TestLayerNormStatistics(t *testing.T) {
	x := mustT(t, []int{2, 3}, 1, 2, 3, -4, 0, 4)
	scale := mustT(t, []int{3}, 1, 1, 1)
	g := &Graph{Opset: 17, Initializers: map[string]*Tensor{"s": scale},
		Inputs:  []ValueInfo{{Name: "x", DType: Float32, Shape: []int{2, 3}}},
		Nodes:   []*Node{{OpType: "LayerNormalization", Inputs: []string{"x", "s"}, Outputs: []string{"y", "mean", "inv"}, Opset: 17, Attrs: map[string]Attr{}}},
		Outputs: []string{"y", "mean", "inv"}}
	p, err := Compile(g, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	outs, err := p.Run([]*Tensor{x}, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	inv0 := 1 / Sqrt(float32(2.0/3)+1e-5)
	inv1 := 1 / Sqrt(float32(32.0/3)+1e-5)
	checkEqual(t, "mean", outs[1], []int{2, 1}, []float32{2, 0})
	checkEqual(t, "inv", outs[2], []int{2, 1}, []float32{inv0, inv1})
	checkEqual(t, "y", outs[0], []int{2, 3}, []float32{float32(-1 * inv0), 0, inv0, float32(-4 * inv1), 0, float32(4 * inv1)})
	rms := node("RMSNormalization", nil, "y", "extra")
	if _, err := runOp(t, rms, []*Tensor{x, scale}, 1); err == nil {
		t.Fatal("RMSNormalization with a second output accepted")
	}
}
