package runtime

import (
	"testing"
	"time"
)

func TestZZResizeRank(t *testing.T) {
	for _, r := range []int{20, 30, 31, 32} {
		shape := make([]int, r)
		sizes := make([]int64, r)
		for i := range shape {
			shape[i] = 1
			sizes[i] = 1
		}
		g := &Graph{Opset: 13, Initializers: map[string]*Tensor{"sz": {DType: Int64, Shape: []int{r}, I: sizes}},
			Inputs: []ValueInfo{{Name: "x", DType: Float32, Shape: shape}},
			Nodes: []*Node{{OpType: "Resize", Inputs: []string{"x", "", "", "sz"}, Outputs: []string{"y"}, Opset: 13,
				Attrs: map[string]Attr{"mode": {Kind: AttrString, S: "cubic"}}}},
			Outputs: []string{"y"}}
		p, err := Compile(g, DefaultLimits())
		if err != nil {
			t.Logf("rank %d: %v", r, err)
			continue
		}
		t.Logf("rank %d compiled, FLOPs %d, leaf FLOPs", r, p.FLOPs())
		lf, _ := p.LeafFLOPs(0)
		t.Logf("  LeafFLOPs %d", lf)
		if r >= 31 {
			done := make(chan bool)
			go func() {
				p.Run([]*Tensor{NewTensor(shape...)}, 1, nil)
				close(done)
			}()
			select {
			case <-done:
				t.Logf("  run finished")
			case <-time.After(5 * time.Second):
				t.Logf("  run still going after 5s (4^%d terms)", r)
			}
		}
	}
}

func TestZZEinsumNeg(t *testing.T) {
	const s = 1 << 21
	mk := func() *Tensor { return &Tensor{DType: Int64, Shape: []int{s}, I: make([]int64, s)} }
	g := &Graph{Opset: 13, Initializers: map[string]*Tensor{"a": mk(), "b": mk(), "c": mk()},
		Inputs: []ValueInfo{{Name: "x", DType: Float32, Shape: []int{4096, 4096}}},
		Nodes: []*Node{
			{OpType: "Einsum", Inputs: []string{"a", "b", "c"}, Outputs: []string{"e"}, Opset: 13, Attrs: map[string]Attr{"equation": {Kind: AttrString, S: "a,b,c->"}}},
			{OpType: "MatMul", Inputs: []string{"x", "x"}, Outputs: []string{"m1"}, Opset: 13, Attrs: map[string]Attr{}},
			{OpType: "MatMul", Inputs: []string{"m1", "x"}, Outputs: []string{"y"}, Opset: 13, Attrs: map[string]Attr{}},
		},
		Outputs: []string{"y"}}
	lim := DefaultLimits()
	p, err := Compile(g, lim)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("compiled; program FLOPs %d (limit %d); two 4096^3 MatMuls = %d", p.FLOPs(), lim.MaxFLOPsPerItem, 2*2*int64(4096*4096*4096))
}
