package runtime

import (
	"testing"

	"google.golang.org/protobuf/proto"
)

// TestRecomputeEveryLeaf replays a traced run: for every leaf, the inputs
// named by LeafNode (taken from the run itself, the weights, or the item)
// recompute an output whose hash equals the leaf's.
func TestRecomputeEveryLeaf(t *testing.T) {
	b, err := proto.Marshal(tinyModel(13, "Sigmoid"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := LoadModel(b, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	x := mustT(t, []int{1, 2}, 0.5, -3)
	var outs []*Tensor
	if _, err := m.Program.Run([]*Tensor{x}, 1, func(_ int, t *Tensor) { outs = append(outs, t) }); err != nil {
		t.Fatal(err)
	}
	for l := 0; l < m.Program.LeavesPerItem(); l++ {
		node, ins := leafInputs(t, m.Program, l, m.Graph.Initializers, x, outs)
		got, err := m.Program.Recompute(l, ins)
		if err != nil {
			t.Fatalf("leaf %d (%s): %v", l, node.OpType, err)
		}
		if OutputHash(got) != OutputHash(outs[l]) {
			t.Fatalf("leaf %d (%s): recomputed output differs", l, node.OpType)
		}
		// a tampered input gives a different output (or a shape error)
		if len(ins) > 0 && ins[0].DType == Float32 {
			bad := &Tensor{DType: Float32, Shape: ins[0].Shape, F: append([]float32(nil), ins[0].F...)}
			bad.F[0] += 1
			if got2, err := m.Program.Recompute(l, append([]*Tensor{bad}, ins[1:]...)); err == nil && OutputHash(got2) == OutputHash(outs[l]) {
				t.Fatalf("leaf %d: tampered input recomputed to the same output", l)
			}
		}
	}
	if _, err := m.Program.Recompute(0, []*Tensor{x}); err == nil {
		t.Fatal("wrong input count accepted")
	}
	if _, err := m.Program.Recompute(0, []*Tensor{NewTensor(1, 3), m.Graph.Initializers["W"]}); err == nil {
		t.Fatal("wrong input shape accepted")
	}
	if _, _, err := m.Program.LeafNode(99); err == nil {
		t.Fatal("leaf out of range accepted")
	}
}
