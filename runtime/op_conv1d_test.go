package runtime

import "testing"

// TestConv1DIsConv2DOverHeightOne: the same terms in the same order.
func TestConv1DIsConv2DOverHeightOne(t *testing.T) {
	x, w, b := randT(51, 2, 4, 17), randT(52, 6, 2, 3), randT(53, 6)
	one, err := runOp(t, node("Conv", map[string]Attr{"group": intA(2), "strides": ints(2), "dilations": ints(3), "pads": ints(1, 2)}), []*Tensor{x, w, b}, 2)
	if err != nil {
		t.Fatal(err)
	}
	x2 := &Tensor{DType: Float32, Shape: []int{2, 4, 1, 17}, F: x.F}
	w2 := &Tensor{DType: Float32, Shape: []int{6, 2, 1, 3}, F: w.F}
	two, err := runOp(t, node("Conv", map[string]Attr{"group": intA(2), "strides": ints(1, 2), "dilations": ints(1, 3), "pads": ints(0, 1, 0, 2)}), []*Tensor{x2, w2, b}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !sameShape(one.Shape, []int{2, 6, two.Shape[3]}) || string(one.Bytes()) != string(two.Bytes()) {
		t.Fatalf("1-D %v differs from 2-D %v", one.Shape, two.Shape)
	}
	if _, err := runOp(t, node("Conv", map[string]Attr{"strides": ints(1, 1, 1)}), []*Tensor{x, w}, 1); err == nil {
		t.Fatal("three strides for a 1-D convolution accepted")
	}
}
