package runtime

import (
	"math"
	"strings"
	"testing"
)

func TestScatterOrderAndErrors(t *testing.T) {
	data := mustT(t, []int{4}, 1, 2, 3, 4)
	idx := int64T([]int{3}, 1, 1, -1)
	upd := mustT(t, []int{3}, 10, 20, float32(math.NaN()))
	run := func(opset int64, red string, d, i, u *Tensor) (*Tensor, error) {
		n := node("ScatterElements", map[string]Attr{"reduction": str(red)})
		n.Opset = opset
		return runOp(t, n, []*Tensor{d, i, u}, 1)
	}
	y, err := run(13, "none", data, idx, upd)
	if err != nil {
		t.Fatal(err)
	}
	// the last of the duplicate index 1 wins; −1 is the last element
	if y.F[0] != 1 || y.F[1] != 20 || y.F[2] != 3 || y.F[3] == y.F[3] {
		t.Fatalf("none: %v", y.F)
	}
	y, err = run(16, "add", data, idx, mustT(t, []int{3}, 10, 20, 5))
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "add", y, []int{4}, []float32{1, 32, 3, 9})
	y, err = run(18, "max", data, idx, upd)
	if err != nil || y.F[1] != 20 || y.F[3] == y.F[3] {
		t.Fatalf("max: %v %v (NaN propagates)", y, err)
	}
	i8, _ := FromTyped(Int8, []int{2}, []int64{100, -3})
	u8, _ := FromTyped(Int8, []int{2}, []int64{100, 5})
	yi, err := run(16, "add", i8, int64T([]int{2}, 0, 1), u8)
	wantTyped(t, "int8 add wraps", yi, err, Int8, -56, 2)
	if _, err := run(13, "add", data, idx, upd); err == nil || !strings.Contains(err.Error(), "opset 16") {
		t.Fatalf("add at opset 13: %v", err)
	}
	if _, err := run(13, "none", data, int64T([]int{1}, 4), mustT(t, []int{1}, 1)); err == nil || !strings.Contains(err.Error(), "out of range") {
		t.Fatalf("index 4 of 4: %v", err)
	}
	// GatherND with a batch dimension; ScatterND refuses misshaped updates.
	d2 := mustT(t, []int{2, 2, 2}, 0, 1, 2, 3, 4, 5, 6, 7)
	n := node("GatherND", map[string]Attr{"batch_dims": intA(1)})
	y, err = runOp(t, n, []*Tensor{d2, int64T([]int{2, 1}, 1, 0)}, 1)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "gathernd", y, []int{2, 2}, []float32{2, 3, 4, 5})
	if _, err := runOp(t, node("ScatterND", nil), []*Tensor{d2, int64T([]int{1, 1}, 0), mustT(t, []int{2}, 1, 2)}, 1); err == nil || !strings.Contains(err.Error(), "updates") {
		t.Fatalf("misshaped updates: %v", err)
	}
}
