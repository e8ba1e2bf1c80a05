package runtime

import (
	"math"
	"testing"
)

// TestUnclearedOutputsAreOverwritten runs every operator that takes an
// uncleared buffer (Transpose, Softmax, Sigmoid, Relu, Add on a broadcast
// row and on equal shapes, Mul, the two norms, MatMul) on buffers a
// previous run left full of NaNs: each recycled run must equal a plain
// run on newly allocated buffers bit for bit, on one and two workers.
func TestUnclearedOutputsAreOverwritten(t *testing.T) {
	SetPoisonRecycled(true)
	defer SetPoisonRecycled(false)
	defer SetNoReuse(false)
	g := &Graph{Opset: 23, Initializers: map[string]*Tensor{
		"bias": randT(5, 16), "scale": randT(6, 16), "w": randT(7, 16, 24),
	},
		Inputs: []ValueInfo{{Name: "x", DType: Float32, Shape: []int{2, 3, 8, 16}}},
		Nodes: []*Node{
			{OpType: "Transpose", Inputs: []string{"x"}, Outputs: []string{"t"}, Attrs: map[string]Attr{"perm": ints(0, 2, 1, 3)}},
			{OpType: "Softmax", Inputs: []string{"t"}, Outputs: []string{"s"}},
			{OpType: "Sigmoid", Inputs: []string{"s"}, Outputs: []string{"g"}},
			{OpType: "Add", Inputs: []string{"g", "bias"}, Outputs: []string{"a"}},
			{OpType: "Mul", Inputs: []string{"a", "t"}, Outputs: []string{"m"}},
			{OpType: "RMSNormalization", Inputs: []string{"m", "scale"}, Outputs: []string{"n"}},
			{OpType: "LayerNormalization", Inputs: []string{"n", "scale", "bias"}, Outputs: []string{"l"}},
			{OpType: "MatMul", Inputs: []string{"l", "w"}, Outputs: []string{"mm"}},
			{OpType: "Relu", Inputs: []string{"mm"}, Outputs: []string{"y"}},
		},
		Outputs: []string{"y"}}
	for _, n := range g.Nodes {
		n.Opset = 23
	}
	p, err := Compile(g, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	const items = 4
	var want [2][items]*Tensor
	SetNoReuse(true) // the reference: newly allocated buffers only
	for w := range 2 {
		for item := range items {
			out, err := p.Run([]*Tensor{randT(uint64(10+item), 2, 3, 8, 16)}, w+1, nil)
			if err != nil {
				t.Fatal(err)
			}
			want[w][item] = out[0]
		}
	}
	SetNoReuse(false)
	for pass := range 2 {
		for w := range 2 {
			for item := range items {
				got, err := p.RunRecycled([]*Tensor{randT(uint64(10+item), 2, 3, 8, 16)}, w+1, nil)
				if err != nil {
					t.Fatal(err)
				}
				for i, v := range got[0].F {
					if math.Float32bits(v) != math.Float32bits(want[w][item].F[i]) {
						t.Fatalf("pass %d workers=%d item %d: element %d is %v on reused buffers, %v on new ones", pass, w+1, item, i, v, want[w][item].F[i])
					}
				}
			}
		}
	}
}
