package runtime

import (
	"strings"
	"testing"
)

func TestGridSampleModes(t *testing.T) {
	x := mustT(t, []int{1, 1, 2, 2}, 1, 2, 3, 4)
	// the centre of the image, the top-left corner, and a point beyond the right edge
	grid := mustT(t, []int{1, 1, 3, 2}, 0, 0, -1, -1, 3, -1)
	run := func(attrs map[string]Attr) *Tensor {
		t.Helper()
		y, err := runOp(t, node("GridSample", attrs), []*Tensor{x, grid}, 1)
		if err != nil {
			t.Fatal(err)
		}
		return y
	}
	ac := map[string]Attr{"align_corners": intA(1)}
	checkEqual(t, "bilinear, align_corners, zeros", run(ac), []int{1, 1, 1, 3}, []float32{2.5, 1, 0})
	ac["padding_mode"] = str("border")
	checkEqual(t, "border", run(ac), []int{1, 1, 1, 3}, []float32{2.5, 1, 2})
	ac["padding_mode"] = str("reflection")
	checkEqual(t, "reflection", run(ac), []int{1, 1, 1, 3}, []float32{2.5, 1, 1})
	if _, err := runOp(t, node("GridSample", map[string]Attr{"mode": str("area")}), []*Tensor{x, grid}, 1); err == nil || !strings.Contains(err.Error(), "GridSample") {
		t.Fatalf("mode area: %v", err)
	}
	if _, err := runOp(t, node("GridSample", nil), []*Tensor{x, mustT(t, []int{1, 1, 1, 3}, 0, 0, 0)}, 1); err == nil {
		t.Fatal("a grid of triples accepted")
	}
}
