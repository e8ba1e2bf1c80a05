package runtime

import (
	"math"
	"testing"
)

// TestMiscOps: Hardmax (both opset forms, NaN), DepthToSpace in DCR and
// CRD and SpaceToDepth as its inverse, Tile, Expand, IsNaN/IsInf, Shrink.
func TestMiscOps(t *testing.T) {
	run := func(op string, opset int64, attrs map[string]Attr, in ...*Tensor) *Tensor {
		t.Helper()
		n := node(op, attrs)
		n.Opset = opset
		y, err := runOp(t, n, in, 1)
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		return y
	}
	nan := float32(math.NaN())
	h := mustT(t, []int{2, 3}, 1, 3, 3, 2, nan, 5)
	checkEqual(t, "hardmax 13", run("Hardmax", 13, nil, h), []int{2, 3}, []float32{0, 1, 0, 0, 1, 0})
	checkEqual(t, "hardmax 11 (flattened from axis 0)", run("Hardmax", 11, map[string]Attr{"axis": intA(0)}, h), []int{2, 3}, []float32{0, 0, 0, 0, 1, 0})

	x := randT(4, 1, 8, 2, 3)
	d := run("DepthToSpace", 13, map[string]Attr{"blocksize": intA(2)}, x)
	if !sameShape(d.Shape, []int{1, 2, 4, 6}) {
		t.Fatalf("depth to space: %v", d.Shape)
	}
	// DCR: out[0, c, 2h+i, 2w+j] = in[0, (2i+j)·2 + c, h, w]
	if d.F[(0*4+1)*6+0] != x.F[((2*1+0)*2+0)*6+0] {
		t.Fatal("DCR order")
	}
	back := run("SpaceToDepth", 13, map[string]Attr{"blocksize": intA(2)}, d)
	if OutputHash(back) != OutputHash(x) {
		t.Fatal("SpaceToDepth does not invert DepthToSpace (DCR)")
	}
	c := run("DepthToSpace", 13, map[string]Attr{"blocksize": intA(2), "mode": str("CRD")}, x)
	// CRD: out[0, c, 2h+i, 2w+j] = in[0, c·4 + 2i + j, h, w]
	if c.F[(1*4+1)*6+1] != x.F[(1*4+2+1)*6+0] {
		t.Fatal("CRD order")
	}

	v := mustT(t, []int{2, 1}, 1, 2)
	checkEqual(t, "tile", run("Tile", 13, nil, v, int64T([]int{2}, 2, 3)), []int{4, 3}, []float32{1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2})
	checkEqual(t, "expand", run("Expand", 13, nil, v, int64T([]int{3}, 2, 1, 3)), []int{2, 2, 3},
		[]float32{1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2})
	n := node("Tile", nil)
	n.Opset = 13
	if _, err := runOp(t, n, []*Tensor{v, int64T([]int{2}, 1<<40, 1<<40)}, 1); err == nil {
		t.Fatal("a tile beyond every limit accepted")
	}

	inf := float32(math.Inf(1))
	cls := mustT(t, []int{4}, inf, -inf, nan, 1)
	for op, want := range map[string][]int64{"IsNaN": {0, 0, 1, 0}, "IsInf": {1, 1, 0, 0}} {
		y := run(op, 13, nil, cls)
		for i, w := range want {
			if y.DType != Bool || y.I[i] != w {
				t.Fatalf("%s: %v", op, y.I)
			}
		}
	}
	pos := run("IsInf", 13, map[string]Attr{"detect_negative": intA(0)}, cls)
	if pos.I[0] != 1 || pos.I[1] != 0 {
		t.Fatalf("IsInf positive only: %v", pos.I)
	}
	checkEqual(t, "shrink", run("Shrink", 13, map[string]Attr{"lambd": {Kind: AttrFloat, F: 1}, "bias": {Kind: AttrFloat, F: 0.5}},
		mustT(t, []int{4}, -2, -0.5, 0.5, 3)), []int{4}, []float32{-1.5, 0, 0, 2.5})
}
