package runtime

import "testing"

// TestPoolNDMatchesTwoD: the N-D reference (taken for MaxPool's Indices
// output) gives the 2-D kernel's bits, and its indices point at the
// maxima; 1-D and 3-D pools compute what their definitions say.
func TestPoolNDMatchesTwoD(t *testing.T) {
	x := randT(41, 2, 3, 7, 6)
	for _, isMax := range []bool{true, false} {
		op := "AveragePool"
		if isMax {
			op = "MaxPool"
		}
		attrs := map[string]Attr{"kernel_shape": ints(3, 2), "strides": ints(2, 1), "pads": ints(1, 0, 1, 1), "count_include_pad": intA(1)}
		if isMax {
			delete(attrs, "count_include_pad")
			attrs["dilations"] = ints(1, 2)
		}
		two, err := runOp(t, node(op, attrs), []*Tensor{x}, 1)
		if err != nil {
			t.Fatal(err)
		}
		nd, err := buildPoolND(&Node{OpType: op, Attrs: attrs, Outputs: []string{"y", "i"}[:map[bool]int{true: 2, false: 1}[isMax]], Opset: 13},
			[]TensorInfo{{DType: Float32, Shape: x.Shape}}, isMax)
		if err != nil {
			t.Fatal(err)
		}
		res := nd.run([]*Tensor{x}, 3)
		if OutputHash(res[0]) != OutputHash(two) {
			t.Fatalf("%s: the N-D reference differs from the 2-D kernel", op)
		}
		if isMax {
			for i, at := range res[1].I {
				if x.F[at] != res[0].F[i] {
					t.Fatalf("index %d points at %v, the maximum is %v", at, x.F[at], res[0].F[i])
				}
			}
		}
	}
	y, err := runOp(t, node("AveragePool", map[string]Attr{"kernel_shape": ints(2)}), []*Tensor{mustT(t, []int{1, 1, 4}, 1, 2, 3, 5)}, 1)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "1-D average", y, []int{1, 1, 3}, []float32{1.5, 2.5, 4})
	cube := mustT(t, []int{1, 1, 2, 2, 2}, 1, 8, 3, 4, 5, 6, 7, 2)
	y, err = runOp(t, node("MaxPool", map[string]Attr{"kernel_shape": ints(2, 2, 2)}), []*Tensor{cube}, 1)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "3-D max", y, []int{1, 1, 1, 1, 1}, []float32{8})
}
