package runtime

import (
	"math"
	"runtime"
	"testing"
)

// TestCraftedShapesAreRefusedCheaply: shapes a model can name but no
// validator can hold are refused at compile time without allocating them —
// ConstantOfShape of 2^40 elements, reductions and ArgMax over empty
// tensors with huge dimensions — and nothing panics.
func TestCraftedShapesAreRefusedCheaply(t *testing.T) {
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	compile := func(op string, attrs map[string]Attr, x ValueInfo, inits map[string]*Tensor, inputs ...string) error {
		g := &Graph{Opset: 13, Initializers: inits, Inputs: []ValueInfo{x},
			Nodes: []*Node{{OpType: op, Inputs: append([]string{x.Name}, inputs...), Outputs: []string{"y"}, Opset: 13, Attrs: attrs}}, Outputs: []string{"y"}}
		if x.Name == "" {
			g.Inputs = nil
			g.Nodes[0].Inputs = inputs
		}
		_, err := Compile(g, DefaultLimits())
		return err
	}
	huge := int64T([]int{1}, 1<<40)
	if err := compile("ConstantOfShape", nil, ValueInfo{}, map[string]*Tensor{"s": huge}, "s"); err == nil {
		t.Fatal("ConstantOfShape of 2^40 elements compiled")
	}
	for _, shape := range [][]int{{0, 1 << 24}, {0, 2, 1 << 36}, {0, 1 << 39}} {
		err := compile("ReduceSum", map[string]Attr{"keepdims": intA(0)}, ValueInfo{Name: "x", DType: Float32, Shape: shape}, map[string]*Tensor{},
			"a")
		_ = err // refused or compiled: what matters is the memory below
		if err := compile("ArgMax", map[string]Attr{"axis": intA(1)}, ValueInfo{Name: "x", DType: Float32, Shape: shape}, map[string]*Tensor{}); err == nil && shape[1] > 1<<30 {
			t.Fatalf("ArgMax over %v compiled", shape)
		}
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
		t.Fatalf("refusing crafted shapes allocated %d MiB", grew>>20)
	}
	// ArgMax along an empty axis has no answer.
	if _, err := runOp(t, node("ArgMax", map[string]Attr{"axis": intA(1)}), []*Tensor{NewTensor(3, 0)}, 1); err == nil {
		t.Fatal("ArgMax along an empty axis accepted")
	}
	// An empty tensor reduces to the identity of its reduction.
	y, err := runOp(t, node("ReduceMax", map[string]Attr{"axes": ints(1), "keepdims": intA(0)}), []*Tensor{NewTensor(2, 0)}, 1)
	if err == nil {
		if y.F[0] != float32(math.Inf(-1)) {
			t.Fatalf("max of nothing: %v", y.F)
		}
	}
}

// TestReductionsInParallel: a reduction large enough to fan out gives the
// same bits with 1 and 4 workers, keepdims over every axis keeps the rank,
// and LogSumExp honours noop_with_empty_axes.
func TestReductionsInParallel(t *testing.T) {
	x := randT(17, 64, 128, 16)
	for _, op := range []string{"ReduceSum", "ReduceMean", "ReduceL2", "ReduceLogSumExp", "ArgMax"} {
		attrs := map[string]Attr{"axes": ints(2)}
		if op == "ArgMax" {
			attrs = map[string]Attr{"axis": intA(2)}
		}
		n1, n4 := node(op, attrs), node(op, attrs)
		n1.Opset, n4.Opset = 13, 13
		if op == "ReduceSum" {
			n1.Attrs, n4.Attrs = map[string]Attr{}, map[string]Attr{}
		}
		var in []*Tensor
		in = append(in, x)
		if op == "ReduceSum" {
			in = append(in, int64T([]int{1}, 2))
		}
		a, err := runOp(t, n1, in, 1)
		if err != nil {
			t.Fatal(err)
		}
		b, err := runOp(t, n4, in, 4)
		if err != nil {
			t.Fatal(err)
		}
		if OutputHash(a) != OutputHash(b) {
			t.Fatalf("%s: 1 and 4 workers differ", op)
		}
	}
	all := node("ReduceMean", map[string]Attr{})
	all.Opset = 13
	y, err := runOp(t, all, []*Tensor{x}, 2)
	if err != nil || !sameShape(y.Shape, []int{1, 1, 1}) {
		t.Fatalf("keepdims over all axes: %v %v", y, err)
	}
	noop := node("ReduceLogSumExp", map[string]Attr{"noop_with_empty_axes": intA(1)})
	noop.Opset = 18
	y, err = runOp(t, noop, []*Tensor{x}, 1)
	if err != nil || OutputHash(y) != OutputHash(x) {
		t.Fatalf("LogSumExp with noop_with_empty_axes: %v", err)
	}
}

// TestPowSpecialCases: IEEE 754's pow special cases, which numpy follows.
func TestPowSpecialCases(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	negZero := math.Copysign(0, -1)
	for _, c := range []struct{ x, y, want float64 }{
		{-1, inf, 1}, {-1, -inf, 1}, {-2, inf, inf}, {-0.5, inf, 0}, {-2, -inf, 0}, {0.5, -inf, inf},
		{-1, 1 << 25, 1}, {-1, 1e30, 1}, {-1.0000001, 3e7, math.Pow(float64(float32(-1.0000001)), 3e7)},
		{-inf, 0.5, inf}, {-inf, -0.5, 0}, {-inf, 3, -inf}, {-inf, -3, negZero},
		{negZero, 101, negZero}, {negZero, -101, -inf}, {negZero, 2, 0}, {0, -1, inf},
		{nan, 0, 1}, {1, nan, 1}, {nan, 2, nan}, {-8, 1.0 / 3, nan}, {-2, 3, -8}, {-2, -3, -0.125},
	} {
		got := float64(powOf(float32(c.x), float32(c.y)))
		want := float64(float32(c.want))
		if math.IsNaN(want) {
			if !math.IsNaN(got) {
				t.Fatalf("pow(%v, %v) = %v, want NaN", c.x, c.y, got)
			}
			continue
		}
		if got != want && math.Abs(got-want) > 1e-6*math.Abs(want) || math.Signbit(got) != math.Signbit(want) {
			t.Fatalf("pow(%v, %v) = %v, want %v", c.x, c.y, got, want)
		}
	}
}
