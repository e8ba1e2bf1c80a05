package runtime

import (
	"math/rand"
	"testing"
)

// TestCoalescedBroadcastKeepsEveryOffset: over random broadcastable shape
// pairs (dimensions of 1, missing leading dimensions, zero sizes), the
// coalesced mapping gives every output element the operand offsets the
// full one gives, so the row loops compute the same elements, and it never
// has more dimensions.
func TestCoalescedBroadcastKeepsEveryOffset(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	for n := 0; n < 3000; n++ {
		rank := r.Intn(6)
		out := make([]int, rank)
		for i := range out {
			out[i] = []int{1, 1, 2, 3, 4, 7}[r.Intn(6)]
			if r.Intn(40) == 0 {
				out[i] = 0
			}
		}
		operand := func() []int {
			lead := r.Intn(rank + 1)
			s := append([]int(nil), out[lead:]...)
			for i := range s {
				if r.Intn(3) == 0 {
					s[i] = 1
				}
			}
			return s
		}
		a, b := operand(), operand()
		bc, err := newBroadcast(a, b)
		if err != nil {
			t.Fatal(err)
		}
		c := bc.coalesced()
		if len(c.out) > len(bc.out) || numel(c.out) != numel(bc.out) {
			t.Fatalf("%v, %v: coalesced %v from %v", a, b, c.out, bc.out)
		}
		for f := 0; f < numel(bc.out); f++ {
			ia, ib := bc.offsets(f)
			ja, jb := c.offsets(f)
			if ia != ja || ib != jb {
				t.Fatalf("%v, %v: element %d at (%d, %d), coalesced (%d, %d)", a, b, f, ia, ib, ja, jb)
			}
		}
	}
	bias, _ := newBroadcast([]int{1, 8, 28, 28}, []int{8, 1, 1})
	if c := bias.coalesced(); len(c.out) != 2 || c.out[1] != 784 {
		t.Fatalf("a channel bias coalesces to %v", c.out)
	}
}

// TestCoalescedRowsSplitAcrossWorkers: a binary operator whose operands
// coalesce to one long row (a bias over whole planes, a scalar, an operand
// missing only the leading 1) is still split across workers, and every
// worker count gives each element a + b from its own operand elements.
func TestCoalescedRowsSplitAcrossWorkers(t *testing.T) {
	r := rand.New(rand.NewSource(9))
	x := NewTensor(1, 4, 64, 64)
	for i := range x.F {
		x.F[i] = float32(r.NormFloat64())
	}
	for _, bShape := range [][]int{{4, 1, 1}, {1}, {4, 64, 64}, {64}} {
		bias := NewTensor(bShape...)
		for i := range bias.F {
			bias.F[i] = float32(r.NormFloat64())
		}
		g := &Graph{Opset: 17, Initializers: map[string]*Tensor{"b": bias}, Inputs: []ValueInfo{fin("x", 1, 4, 64, 64)},
			Nodes:   []*Node{{Name: "add", OpType: "Add", Inputs: []string{"x", "b"}, Outputs: []string{"y"}, Opset: 17}},
			Outputs: []string{"y"}}
		p, err := Compile(g, DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		bc, _ := newBroadcast(x.Shape, bShape)
		for _, workers := range []int{1, 2, 3} {
			outs, err := p.Run([]*Tensor{x}, workers, nil)
			if err != nil {
				t.Fatal(err)
			}
			for f, got := range outs[0].F {
				ia, ib := bc.offsets(f)
				if want := x.F[ia] + bias.F[ib]; got != want {
					t.Fatalf("b %v, %d workers: element %d = %v, want %v", bShape, workers, f, got, want)
				}
			}
		}
	}
}
