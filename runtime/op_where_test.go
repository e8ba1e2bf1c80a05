package runtime

import (
	"math"
	"testing"

	"github.com/delphi-network/delphi/runtime/onnxpb"
)

func boolT(shape []int, v ...bool) *Tensor {
	t, err := FromBools(shape, v)
	if err != nil {
		panic(err)
	}
	return t
}

func wantBools(t *testing.T, name string, got *Tensor, shape []int, want ...int64) {
	t.Helper()
	if got.DType != Bool || !sameShape(got.Shape, shape) {
		t.Fatalf("%s: %s %v, want bool %v", name, got.DType, got.Shape, shape)
	}
	for i, w := range want {
		if got.I[i] != w {
			t.Fatalf("%s: element %d = %d, want %d (all %v)", name, i, got.I[i], w, got.I)
		}
	}
}

// TestComparisons: IEEE semantics (NaN compares false, -0 equals +0),
// int64 operands, broadcasting, and refused operand types.
func TestComparisons(t *testing.T) {
	nan := float32(math.NaN())
	negZero := float32(math.Copysign(0, -1))
	a := mustT(t, []int{5}, 1, 2, nan, negZero, 3)
	b := mustT(t, []int{5}, 2, 2, nan, 0, 1)
	for _, c := range []struct {
		op   string
		want []int64
	}{
		{"Equal", []int64{0, 1, 0, 1, 0}},
		{"Less", []int64{1, 0, 0, 0, 0}},
		{"LessOrEqual", []int64{1, 1, 0, 1, 0}},
		{"Greater", []int64{0, 0, 0, 0, 1}},
		{"GreaterOrEqual", []int64{0, 1, 0, 1, 1}},
	} {
		y, err := runOp(t, node(c.op, nil), []*Tensor{a, b}, 1)
		if err != nil {
			t.Fatal(err)
		}
		wantBools(t, c.op, y, []int{5}, c.want...)
	}

	// a causal mask from positions: column > row, [3,1] against [1,3]
	rows, cols := int64T([]int{3, 1}, 0, 1, 2), int64T([]int{1, 3}, 0, 1, 2)
	y, err := runOp(t, node("Greater", nil), []*Tensor{cols, rows}, 1)
	if err != nil {
		t.Fatal(err)
	}
	wantBools(t, "causal", y, []int{3, 3}, 0, 1, 1, 0, 0, 1, 0, 0, 0)

	not, err := runOp(t, node("Not", nil), []*Tensor{y}, 1)
	if err != nil {
		t.Fatal(err)
	}
	wantBools(t, "not", not, []int{3, 3}, 1, 0, 0, 1, 1, 0, 1, 1, 1)

	for _, bad := range [][]*Tensor{
		{a, rows}, // float32 with int64
		{boolT([]int{1}, true), boolT([]int{1}, true)}, // bools are not ordered here
		{a, mustT(t, []int{3}, 1, 2, 3)},               // 5 against 3
	} {
		if _, err := runOp(t, node("Less", nil), bad, 1); err == nil {
			t.Fatalf("Less accepted %s %v and %s %v", bad[0].DType, bad[0].Shape, bad[1].DType, bad[1].Shape)
		}
	}
	if _, err := runOp(t, node("Not", nil), []*Tensor{a}, 1); err == nil {
		t.Fatal("Not accepted a float32 input")
	}
}

// TestWhere: the three operands broadcast together; X and Y may be
// float32, int64 or bool; a non-bool condition or mixed X and Y is refused.
func TestWhere(t *testing.T) {
	mask := boolT([]int{2, 1, 3}, true, false, true, false, false, true)
	x := mustT(t, []int{2, 3}, 1, 2, 3, 4, 5, 6)
	neg := mustT(t, nil, float32(math.Inf(-1)))
	y, err := runOp(t, node("Where", nil), []*Tensor{mask, x, neg}, 1)
	if err != nil {
		t.Fatal(err)
	}
	inf := float32(math.Inf(-1))
	checkEqual(t, "where", y, []int{2, 2, 3}, []float32{1, inf, 3, 4, inf, 6, inf, inf, 3, inf, inf, 6})

	yi, err := runOp(t, node("Where", nil), []*Tensor{boolT([]int{3}, false, true, false), int64T([]int{3}, 7, 8, 9), int64T(nil, -1)}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if yi.DType != Int64 || yi.I[0] != -1 || yi.I[1] != 8 || yi.I[2] != -1 {
		t.Fatalf("where int64: %v", yi.I)
	}
	yb, err := runOp(t, node("Where", nil), []*Tensor{boolT([]int{2}, true, false), boolT([]int{2}, false, false), boolT([]int{2}, true, true)}, 1)
	if err != nil {
		t.Fatal(err)
	}
	wantBools(t, "where bool", yb, []int{2}, 0, 1)

	for _, bad := range [][]*Tensor{
		{x, x, x}, // float32 condition
		{boolT([]int{1}, true), x, int64T(nil, 1)},      // mixed X and Y
		{boolT([]int{4}, true, true, true, true), x, x}, // 4 against 3
	} {
		if _, err := runOp(t, node("Where", nil), bad, 1); err == nil {
			t.Fatalf("Where accepted %s %v, %s, %s", bad[0].DType, bad[0].Shape, bad[1].DType, bad[2].DType)
		}
	}
	if _, err := runOp(t, node("Where", nil), []*Tensor{mask, x}, 1); err == nil {
		t.Fatal("Where accepted two inputs")
	}
}

// TestBoolTensors: casts to and from bool, bools through data movement,
// their canonical one-byte encoding, and bool ONNX and weight-leaf data.
func TestBoolTensors(t *testing.T) {
	nan := float32(math.NaN())
	x := mustT(t, []int{4}, 0, -2.5, nan, float32(math.Copysign(0, -1)))
	b, err := runOp(t, node("Cast", map[string]Attr{"to": intA(9)}), []*Tensor{x}, 1)
	if err != nil {
		t.Fatal(err)
	}
	wantBools(t, "cast float→bool", b, []int{4}, 0, 1, 1, 0)
	if got := b.Bytes(); len(got) != 4 || got[0] != 0 || got[1] != 1 || got[2] != 1 || got[3] != 0 {
		t.Fatalf("bool bytes %v, want one byte each", got)
	}
	f, err := runOp(t, node("Cast", map[string]Attr{"to": intA(1)}), []*Tensor{b}, 1)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "cast bool→float", f, []int{4}, []float32{0, 1, 1, 0})
	i, err := runOp(t, node("Cast", map[string]Attr{"to": intA(7)}), []*Tensor{b}, 1)
	if err != nil || i.DType != Int64 || i.I[1] != 1 || i.I[3] != 0 {
		t.Fatalf("cast bool→int64: %v %v", i, err)
	}
	bi, err := runOp(t, node("Cast", map[string]Attr{"to": intA(9)}), []*Tensor{int64T([]int{3}, 0, -5, 2)}, 1)
	if err != nil {
		t.Fatal(err)
	}
	wantBools(t, "cast int64→bool", bi, []int{3}, 0, 1, 1)

	// data movement keeps bool elements
	m := boolT([]int{2, 3}, true, false, false, false, true, true)
	tr, err := runOp(t, node("Transpose", map[string]Attr{"perm": ints(1, 0)}), []*Tensor{m}, 1)
	if err != nil {
		t.Fatal(err)
	}
	wantBools(t, "transpose", tr, []int{3, 2}, 1, 0, 0, 1, 0, 1)
	cat, err := runOp(t, node("Concat", map[string]Attr{"axis": intA(0)}), []*Tensor{m, m}, 1)
	if err != nil {
		t.Fatal(err)
	}
	wantBools(t, "concat", cat, []int{4, 3}, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1)
	sl, err := runOp(t, node("Slice", nil), []*Tensor{m, int64T([]int{1}, 1), int64T([]int{1}, 3), int64T([]int{1}, 1)}, 1)
	if err != nil {
		t.Fatal(err)
	}
	wantBools(t, "slice", sl, []int{2, 2}, 0, 0, 1, 1)

	// ONNX bool initializers: raw bytes or int32_data, 0 or 1 only
	for _, tp := range []*onnxpb.TensorProto{
		{Dims: []int64{3}, DataType: int32(onnxpb.TensorProto_BOOL), RawData: []byte{1, 0, 1}},
		{Dims: []int64{3}, DataType: int32(onnxpb.TensorProto_BOOL), Int32Data: []int32{1, 0, 1}},
	} {
		got, err := TensorFromProto(tp, DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		wantBools(t, "onnx bool", got, []int{3}, 1, 0, 1)
	}
	for _, tp := range []*onnxpb.TensorProto{
		{Dims: []int64{3}, DataType: int32(onnxpb.TensorProto_BOOL), RawData: []byte{1, 2, 1}},
		{Dims: []int64{3}, DataType: int32(onnxpb.TensorProto_BOOL), RawData: []byte{1, 0}},
		{Dims: []int64{2}, DataType: int32(onnxpb.TensorProto_BOOL), Int32Data: []int32{1, 5}},
		{Dims: []int64{2}, DataType: int32(onnxpb.TensorProto_BOOL)},
	} {
		if _, err := TensorFromProto(tp, DefaultLimits()); err == nil {
			t.Fatalf("bool tensor %v accepted", tp)
		}
	}

	// the weight leaf of a bool initializer round-trips; a byte above 1 is refused
	leaf := WeightLeafData("mask", m)
	name, back, err := ParseWeightLeafData(leaf, 1<<20)
	if err != nil || name != "mask" {
		t.Fatalf("%q %v", name, err)
	}
	wantBools(t, "weight leaf", back, []int{2, 3}, 1, 0, 0, 0, 1, 1)
	leaf[len(leaf)-1] = 2
	if _, _, err := ParseWeightLeafData(leaf, 1<<20); err == nil {
		t.Fatal("bool weight leaf with a 2 accepted")
	}
}

// TestRecomputeWhereLeaves: a graph that masks its input with a computed
// condition (Less, Where, Cast of the bool) is traced, and every leaf,
// bool ones included, recomputes from its named inputs to the same hash.
func TestRecomputeWhereLeaves(t *testing.T) {
	zero, neg := mustT(t, nil, 0), mustT(t, nil, -1e9)
	g := &Graph{Opset: 23, Initializers: map[string]*Tensor{"zero": zero, "neg": neg},
		Inputs: []ValueInfo{{Name: "x", DType: Float32, Shape: []int{2, 3}}},
		Nodes: []*Node{
			{OpType: "Less", Inputs: []string{"x", "zero"}, Outputs: []string{"c"}, Opset: 23},
			{OpType: "Where", Inputs: []string{"c", "neg", "x"}, Outputs: []string{"y"}, Opset: 23},
			{OpType: "Cast", Inputs: []string{"c"}, Outputs: []string{"z"}, Attrs: map[string]Attr{"to": intA(1)}, Opset: 23},
		},
		Outputs: []string{"y", "z"}}
	p, err := Compile(g, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	x := mustT(t, []int{2, 3}, 1, -2, 3, -4, 5, 0)
	var outs []*Tensor
	res, err := p.Run([]*Tensor{x}, 1, func(_ int, t *Tensor) { outs = append(outs, t) })
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "masked", res[0], []int{2, 3}, []float32{1, -1e9, 3, -1e9, 5, 0})
	checkEqual(t, "mask as float", res[1], []int{2, 3}, []float32{0, 1, 0, 1, 0, 0})
	if p.LeavesPerItem() != 3 || outs[0].DType != Bool {
		t.Fatalf("%d leaves, first %s", p.LeavesPerItem(), outs[0].DType)
	}
	for l := 0; l < p.LeavesPerItem(); l++ {
		_, ins := leafInputs(t, p, l, g.Initializers, x, outs)
		got, err := p.Recompute(l, ins)
		if err != nil {
			t.Fatalf("leaf %d: %v", l, err)
		}
		if OutputHash(got) != OutputHash(outs[l]) {
			t.Fatalf("leaf %d: recomputed output differs", l)
		}
	}
	// a flipped condition recomputes Where to a different output
	_, srcs, _ := p.LeafNode(1)
	if srcs[0].Kind != FromLeaf {
		t.Fatalf("Where's condition comes from %v", srcs[0])
	}
	flipped := &Tensor{DType: Bool, Shape: outs[0].Shape, I: append([]int64(nil), outs[0].I...)}
	flipped.I[0] = 1 - flipped.I[0]
	got, err := p.Recompute(1, []*Tensor{flipped, neg, x})
	if err != nil {
		t.Fatal(err)
	}
	if OutputHash(got) == OutputHash(outs[1]) {
		t.Fatal("a flipped condition recomputed to the same output")
	}
	if _, err := p.Recompute(1, []*Tensor{{DType: Bool, Shape: []int{2, 3}, I: []int64{1}}, neg, x}); err == nil {
		t.Fatal("a short bool input was accepted")
	}
}
