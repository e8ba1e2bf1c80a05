package runtime

import (
	"strings"
	"testing"
)

func TestDetReverseSequenceWindows(t *testing.T) {
	y, err := runOp(t, node("Det", nil), []*Tensor{mustT(t, []int{2, 2, 2}, 1, 2, 2, 4, 0, 1, 1, 0)}, 1)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "det", y, []int{2}, []float32{0, -1}) // singular, then a row swap
	if _, err := runOp(t, node("Det", nil), []*Tensor{randT(1, 2, 3)}, 1); err == nil {
		t.Fatal("Det of a 2×3 accepted")
	}
	x := mustT(t, []int{3, 2}, 1, 2, 3, 4, 5, 6) // time 3, batch 2
	r, err := runOp(t, node("ReverseSequence", nil), []*Tensor{x, int64T([]int{2}, 3, 1)}, 1)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "reverse", r, []int{3, 2}, []float32{5, 2, 3, 4, 1, 6})
	if _, err := runOp(t, node("ReverseSequence", nil), []*Tensor{x, int64T([]int{2}, 4, 1)}, 1); err == nil || !strings.Contains(err.Error(), "ReverseSequence") {
		t.Fatalf("a sequence longer than the time axis: %v", err)
	}
	w, err := runOp(t, node("HannWindow", nil), []*Tensor{int64T(nil, 4)}, 1)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "hann", w, []int{4}, []float32{0, 0.5, 1, 0.5})
}
