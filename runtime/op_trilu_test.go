package runtime

import (
	"strings"
	"testing"
)

// TestTriluAndGatherElements: triangles with k and upper, on float32 and
// int64; GatherElements along an axis with negative indices, and an index
// out of range failing the run.
func TestTriluAndGatherElements(t *testing.T) {
	x := mustT(t, []int{3, 3}, 1, 2, 3, 4, 5, 6, 7, 8, 9)
	run := func(op string, attrs map[string]Attr, in ...*Tensor) (*Tensor, error) {
		n := node(op, attrs)
		n.Opset = 14
		return runOp(t, n, in, 1)
	}
	y, err := run("Trilu", nil, x)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "upper", y, []int{3, 3}, []float32{1, 2, 3, 0, 5, 6, 0, 0, 9})
	y, err = run("Trilu", map[string]Attr{"upper": intA(0)}, x, int64T(nil, -1))
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "lower k=-1", y, []int{3, 3}, []float32{0, 0, 0, 4, 0, 0, 7, 8, 0})
	y, err = run("Trilu", nil, x, int64T(nil, 1))
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "upper k=1", y, []int{3, 3}, []float32{0, 2, 3, 0, 0, 6, 0, 0, 0})
	if _, err := run("Trilu", nil, mustT(t, []int{3}, 1, 2, 3)); err == nil {
		t.Fatal("Trilu of a vector accepted")
	}

	y, err = run("GatherElements", map[string]Attr{"axis": intA(1)}, x, int64T([]int{3, 2}, 0, -1, 1, 1, 2, 0))
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "gather axis 1", y, []int{3, 2}, []float32{1, 3, 5, 5, 9, 7})
	y, err = run("GatherElements", nil, x, int64T([]int{1, 3}, 2, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "gather axis 0", y, []int{1, 3}, []float32{7, 2, 6})
	if _, err := run("GatherElements", nil, x, int64T([]int{1, 3}, 3, 0, 0)); err == nil || !strings.Contains(err.Error(), "out of range") {
		t.Fatalf("index 3 of 3: %v", err)
	}
	if _, err := run("GatherElements", nil, x, int64T([]int{3}, 0, 0, 0)); err == nil {
		t.Fatal("indices of another rank accepted")
	}
}
