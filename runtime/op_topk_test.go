package runtime

import (
	"math"
	"testing"
)

// TestTopKOrder: equal values keep index order and NaN comes after every
// number, largest or smallest, so every validator picks the same k.
func TestTopKOrder(t *testing.T) {
	nan := float32(math.NaN())
	x := mustT(t, []int{6}, 2, nan, 5, 2, 5, -1)
	for _, c := range []struct {
		largest int64
		vals    []float32
		idx     []int64
	}{
		{1, []float32{5, 5, 2, 2}, []int64{2, 4, 0, 3}},
		{0, []float32{-1, 2, 2, 5}, []int64{5, 0, 3, 2}},
	} {
		n := node("TopK", map[string]Attr{"largest": intA(c.largest)}, "v", "i")
		g := &Graph{Initializers: map[string]*Tensor{"k": int64T([]int{1}, 4)}, Opset: 11, Outputs: []string{"v", "i"},
			Inputs: []ValueInfo{{Name: "x", DType: Float32, Shape: x.Shape}}, Nodes: []*Node{n}}
		n.Inputs, n.Opset = []string{"x", "k"}, 11
		p, err := Compile(g, DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		out, err := p.Run([]*Tensor{x}, 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		checkEqual(t, "values", out[0], []int{4}, c.vals)
		wantTyped(t, "indices", out[1], nil, Int64, c.idx...)
	}
	all := node("TopK", nil, "v", "i")
	all.Opset = 9
	all.Attrs["k"] = intA(6)
	y, err := runOp(t, all, []*Tensor{x}, 1)
	if err != nil || y.F[5] == y.F[5] {
		t.Fatalf("k = 6: %v %v, want NaN last", y, err)
	}
	big := node("TopK", nil, "v", "i")
	big.Opset = 9
	big.Attrs["k"] = intA(7)
	if _, err := runOp(t, big, []*Tensor{x}, 1); err == nil {
		t.Fatal("k beyond the axis accepted")
	}
}
