package runtime

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestRecycledRunsKeepReturnedValues: a recycling run hands back its
// intermediate buffers but never one a returned tensor uses — directly (a
// fresh step's output is a graph output) or through a view (a Reshape of
// one) — so the values a run returned survive the runs after it, and every
// run computes what a plain Run does.
func TestRecycledRunsKeepReturnedValues(t *testing.T) {
	const n = 1024 // above minPooled
	g := &Graph{Opset: 13, Initializers: map[string]*Tensor{
		"shape": {DType: Int64, Shape: []int{2}, I: []int64{32, 32}},
	},
		Inputs: []ValueInfo{{Name: "x", DType: Float32, Shape: []int{n}}},
		Nodes: []*Node{
			{OpType: "Relu", Inputs: []string{"x"}, Outputs: []string{"r"}, Opset: 13},
			{OpType: "Add", Inputs: []string{"r", "x"}, Outputs: []string{"a"}, Opset: 13},
			{OpType: "Relu", Inputs: []string{"a"}, Outputs: []string{"direct"}, Opset: 13},
			{OpType: "Add", Inputs: []string{"a", "a"}, Outputs: []string{"b"}, Opset: 13},
			{OpType: "Reshape", Inputs: []string{"b", "shape"}, Outputs: []string{"view"}, Opset: 13},
		},
		Outputs: []string{"direct", "view"}}
	p, err := Compile(g, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 26))
	input := func() *Tensor {
		x := &Tensor{DType: Float32, Shape: []int{n}, F: make([]float32, n)}
		for i := range x.F {
			x.F[i] = float32(r.NormFloat64())
		}
		return x
	}
	var kept [][]*Tensor
	var want [][][]float32
	for range 6 {
		x := input()
		plain, err := p.Run([]*Tensor{x}, 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := p.RunRecycled([]*Tensor{x}, 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := range got {
			if firstDiff(got[i].F, plain[i].F) >= 0 {
				t.Fatalf("output %d of a recycling run differs from Run's", i)
			}
		}
		kept = append(kept, got)
		want = append(want, [][]float32{slices.Clone(got[0].F), slices.Clone(got[1].F)})
	}
	for k, outs := range kept {
		for i, o := range outs {
			if firstDiff(o.F, want[k][i]) >= 0 {
				t.Fatalf("run %d's output %d changed after later runs: its buffer was recycled", k, i)
			}
		}
	}
}

// TestRecycledBuffersAreReused: the intermediates of one recycling run
// serve the next (the point of it), zeroed.
func TestRecycledBuffersAreReused(t *testing.T) {
	const n = 4096 + 17
	buf := newFloats(n)
	for i := range buf {
		buf[i] = 1
	}
	recycleFloats(buf)
	again := newFloats(n)
	if firstDiff(again, make([]float32, n)) >= 0 {
		t.Fatal("a reused buffer is not zeroed")
	}
	if spanOf(again) != spanOf(buf) {
		t.Log("the pool dropped the buffer (a GC ran); nothing to check") // sync.Pool may
	}
}
