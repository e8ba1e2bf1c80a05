package runtime

import (
	"strings"
	"testing"
)

// TestSqueezeAxesAttributeBeforeOpset13: until opset 13 Squeeze and
// Unsqueeze take their axes as an attribute. Squeeze at opset 11 with
// axes=[1] on a [1,1,3] tensor is [1,3]; reading only the opset-13 input
// would drop every size-1 axis and give [3], a wrong shape, not a refusal.
func TestSqueezeAxesAttributeBeforeOpset13(t *testing.T) {
	x := mustT(t, []int{1, 1, 3}, 1, 2, 3)
	run := func(op string, opset int64, attrs map[string]Attr, in ...*Tensor) (*Tensor, error) {
		n := node(op, attrs)
		n.Opset = opset
		return runOp(t, n, append([]*Tensor{x}, in...), 1)
	}
	for _, opset := range []int64{7, 11, 12} {
		for _, tc := range []struct {
			op    string
			axes  []int64
			shape []int
		}{
			{"Squeeze", []int64{1}, []int{1, 3}},
			{"Squeeze", []int64{-3}, []int{1, 3}},
			{"Squeeze", nil, []int{3}},
			{"Unsqueeze", []int64{0, 3}, []int{1, 1, 1, 1, 3}},
			{"Unsqueeze", []int64{-1}, []int{1, 1, 3, 1}},
		} {
			attrs := map[string]Attr{}
			if tc.axes != nil {
				attrs["axes"] = ints(tc.axes...)
			}
			y, err := run(tc.op, opset, attrs)
			if err != nil {
				t.Fatalf("opset %d %s %v: %v", opset, tc.op, tc.axes, err)
			}
			checkEqual(t, tc.op, y, tc.shape, []float32{1, 2, 3})
		}
		// The opset-13 form is not the operator at this opset.
		if _, err := run("Squeeze", opset, nil, int64T([]int{1}, 1)); err == nil {
			t.Fatalf("opset %d: Squeeze took an axes input", opset)
		}
		if _, err := run("Unsqueeze", opset, nil); err == nil || !strings.Contains(err.Error(), "axes") {
			t.Fatalf("opset %d: Unsqueeze without axes: %v", opset, err)
		}
		if _, err := run("Squeeze", opset, map[string]Attr{"axes": ints(2)}); err == nil {
			t.Fatalf("opset %d: squeezed an axis of size 3", opset)
		}
	}
	// From opset 13 an axes attribute is refused, not ignored.
	if _, err := run("Squeeze", 13, map[string]Attr{"axes": ints(1)}); err == nil || !strings.Contains(err.Error(), "axes") {
		t.Fatalf("opset 13 Squeeze with an axes attribute: %v", err)
	}
	y, err := run("Squeeze", 13, nil, int64T([]int{1}, 1))
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "opset 13", y, []int{1, 3}, []float32{1, 2, 3})
}

// TestSliceAttributesBeforeOpset10: Slice-1 takes starts, ends and axes as
// attributes (PaddleOCR's exports use it); it needs starts and ends.
func TestSliceAttributesBeforeOpset10(t *testing.T) {
	x := mustT(t, []int{2, 4}, 0, 1, 2, 3, 4, 5, 6, 7)
	n := node("Slice", map[string]Attr{"starts": ints(1, -3), "ends": ints(2, 100), "axes": ints(0, 1)})
	n.Opset = 9
	y, err := runOp(t, n, []*Tensor{x}, 1)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "slice-1", y, []int{1, 3}, []float32{5, 6, 7})
	n = node("Slice", map[string]Attr{"starts": ints(0)})
	n.Opset = 9
	if _, err := runOp(t, n, []*Tensor{x}, 1); err == nil || !strings.Contains(err.Error(), "ends") {
		t.Fatalf("Slice-1 without ends: %v", err)
	}
}
