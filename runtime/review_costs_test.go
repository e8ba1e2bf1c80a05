package runtime

import (
	"strings"
	"testing"
	"time"
)

// TestCraftedCostsAreRefusedBeforeWork reproduces the review's attacks on
// the new operators: cost estimates that wrapped to small numbers (Resize
// over many axes, Einsum over huge summed labels) let a run, or constant
// folding inside the referee's transaction, run for ever; a Pad node with
// no inputs panicked the compiler; an unbounded rank made per-element
// index work unbounded; float64 leaves were sized as 4 bytes for the
// referee's wire bound. Each is now refused (or sized) before any work.
func TestCraftedCostsAreRefusedBeforeWork(t *testing.T) {
	start := time.Now()
	lim := DefaultLimits()
	// Einsum "x,a,b->x": 2^24 outputs of 2^40 terms, whose product wrapped to 0.
	g := &Graph{Initializers: map[string]*Tensor{}, Opset: 13, Outputs: []string{"y"},
		Inputs: []ValueInfo{{Name: "x", DType: Float32, Shape: []int{1 << 24}}, {Name: "a", DType: Float32, Shape: []int{1 << 20}}, {Name: "b", DType: Float32, Shape: []int{1 << 20}}},
		Nodes:  []*Node{{Name: "e", OpType: "Einsum", Inputs: []string{"x", "a", "b"}, Outputs: []string{"y"}, Opset: 13, Attrs: map[string]Attr{"equation": str("x,a,b->x")}}}}
	if _, err := Compile(g, lim); err == nil {
		t.Fatal("an Einsum of 2^64 terms compiled")
	}
	// A constant Resize whose cost is beyond the item's budget is refused
	// before it is folded.
	sizes, _ := FromInts([]int{8}, []int64{1, 1, 1, 1, 16, 16, 16, 16})
	x := NewTensor(1, 1, 1, 1, 2, 2, 2, 2)
	small := lim
	small.MaxFLOPsPerItem = 1 << 20
	g = &Graph{Initializers: map[string]*Tensor{"x": x, "s": sizes}, Opset: 13, Outputs: []string{"y"},
		Nodes: []*Node{{Name: "r", OpType: "Resize", Inputs: []string{"x", "", "", "s"}, Outputs: []string{"y"}, Opset: 13, Attrs: map[string]Attr{"mode": str("cubic")}}}}
	if _, err := Compile(g, small); err == nil || !strings.Contains(err.Error(), "FLOPs") {
		t.Fatalf("a constant cubic Resize of 2^16 × 4^8 terms: %v", err)
	}
	if _, err := runOp(t, &Node{Name: "p", OpType: "Pad", Inputs: []string{"", ""}, Attrs: map[string]Attr{}}, nil, 1); err == nil {
		t.Fatal("a Pad without inputs compiled")
	}
	if _, err := FromFloats(make([]int, MaxRank+1), []float32{0}); err == nil {
		t.Fatalf("a tensor of rank %d accepted", MaxRank+1)
	}
	many := make([]*Tensor, maxEinsumOperands+1)
	for i := range many {
		many[i] = mustT(t, []int{1}, 1)
	}
	if _, err := runOp(t, node("Einsum", map[string]Attr{"equation": str(strings.Repeat("a,", maxEinsumOperands) + "a")}), many, 1); err == nil {
		t.Fatal("an Einsum of 33 operands compiled")
	}
	for dt, want := range map[DType]int{Float64: 8, UInt64: 8, Int32: 4, Float16: 2, Bool: 1, Float32: 4} {
		if elemBytes(dt) != want {
			t.Errorf("%s is %d bytes on the wire, sized %d", dt, want, elemBytes(dt))
		}
	}
	if s := satMul(1<<40, 1<<40); s <= 0 {
		t.Fatalf("satMul wrapped: %d", s)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("refusing took %v", d)
	}
}
