package runtime

import (
	"fmt"
	"testing"
)

// longChain is a MatMul of [1,k]x[k,k] followed by n Relus: the MatMul is
// the program's largest operator (2k² FLOPs), each Relu costs k.
func longChain(k, n int) *Graph {
	w := NewTensor(k, k)
	for i := range w.F {
		w.F[i] = float32(i%7) - 3
	}
	g := &Graph{Opset: 17, Initializers: map[string]*Tensor{"w": w}, Inputs: []ValueInfo{fin("x", 1, k)}}
	g.Nodes = append(g.Nodes, &Node{Name: "mm", OpType: "MatMul", Inputs: []string{"x", "w"}, Outputs: []string{"r0"}, Opset: 17})
	for i := 1; i <= n; i++ {
		g.Nodes = append(g.Nodes, &Node{Name: fmt.Sprintf("relu%d", i), OpType: "Relu",
			Inputs: []string{fmt.Sprintf("r%d", i-1)}, Outputs: []string{fmt.Sprintf("r%d", i)}, Opset: 17})
	}
	g.Outputs = []string{fmt.Sprintf("r%d", n)}
	return g
}

// TestFusingAChainIsBoundedByTheLargestOperator: a chain of 4,000 cheap
// operators (about the node limit) behind one large one is cut into groups
// that each cost at most the large operator (the referee never recomputes
// more than version 1's largest step), and every group recomputes from its
// one external input.
func TestFusingAChainIsBoundedByTheLargestOperator(t *testing.T) {
	const k, n = 32, 4000
	p, err := Compile(longChain(k, n), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	largest := p.stepCost(0)
	if p.Version() < 2 || p.LeavesPerItem() >= n/10 {
		t.Fatalf("version %d with %d leaves for %d operators", p.Version(), p.LeavesPerItem(), n+1)
	}
	// Version 3 with room for twice the largest operator's FLOPs more: a
	// third as many groups, each within the largest plus the room.
	room := RefereeStep{FLOPs: 2 * largest}
	roomy, err := p.AtVersionWithin(3, room)
	if err != nil {
		t.Fatal(err)
	}
	if roomy.LeavesPerItem()*2 >= p.LeavesPerItem() {
		t.Fatalf("room for %d more FLOPs: %d leaves, without %d", room.FLOPs, roomy.LeavesPerItem(), p.LeavesPerItem())
	}
	x := NewTensor(1, k)
	for i := range x.F {
		x.F[i] = float32(i) - 15
	}
	for _, p := range []*Program{p, roomy} {
		var outs []*Tensor
		if _, err := p.Run([]*Tensor{x}, 1, func(_ int, t *Tensor) { outs = append(outs, t) }); err != nil {
			t.Fatal(err)
		}
		for l := range outs {
			cost, err := p.LeafFLOPs(l)
			if err != nil || cost > largest+p.Room().FLOPs {
				t.Fatalf("leaf %d costs %d, the largest operator %d, the room %d (%v)", l, cost, largest, p.Room().FLOPs, err)
			}
			_, ins := leafInputs(t, p, l, p.graph.Initializers, x, outs)
			got, err := p.Recompute(l, ins)
			if err != nil || OutputHash(got) != OutputHash(outs[l]) {
				t.Fatalf("leaf %d does not recompute (%v)", l, err)
			}
		}
	}
}

// TestInt64ItemCountedAsTheRefereeCountsIt: a classifier whose input is
// int64 token ids travels as float32 features (bench items), 4 bytes an
// element; counted at 8, the largest version 1 step looked larger to the
// fusing than it is, and a version 2 group carrying three reads of an
// output (57,392 bytes) outgrew it (38,968). Found by review.
func TestInt64ItemCountedAsTheRefereeCountsIt(t *testing.T) {
	const N = 4096
	shape := &Tensor{DType: Int64, Shape: []int{2}, I: []int64{64, N}}
	g := &Graph{Opset: 17, Initializers: map[string]*Tensor{"shape": shape},
		Inputs: []ValueInfo{{Name: "x", DType: Int64, Shape: []int{1, N}}}}
	node := func(op string, ins []string, out string, a map[string]Attr) {
		g.Nodes = append(g.Nodes, &Node{Name: out, OpType: op, Inputs: ins, Outputs: []string{out}, Attrs: a, Opset: 17})
	}
	node("Add", []string{"x", "x"}, "xx", nil) // reads the item twice
	node("Cast", []string{"xx"}, "y", map[string]Attr{"to": intA(1)})
	node("Neg", []string{"y"}, "t1", nil)
	node("Add", []string{"t1", "y"}, "t2", nil)
	node("Add", []string{"t2", "y"}, "t3", nil) // a group {t1, t2, t3} reads y three times
	node("Add", []string{"t3", "y"}, "out", nil)
	node("Expand", []string{"y", "shape"}, "e", nil) // the largest operator's FLOPs
	g.Outputs = []string{"out", "e"}
	m, err := compileModel(g, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	s1, err := m.RefereeStepAt(1)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := m.RefereeStepAt(2)
	if err != nil {
		t.Fatal(err)
	}
	if s2.Bytes > s1.Bytes || s2.FLOPs > s1.FLOPs {
		t.Fatalf("version 2 step %+v is larger than version 1's %+v", s2, s1)
	}
}
