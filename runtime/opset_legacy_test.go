package runtime

import (
	"math"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
)

// TestOpsetsBefore7: a file of opset 1..6 loads when every node's operator
// means at that opset what it means at opset 7 (Elu, Softplus, Not, the
// global pools...), and is refused, naming the node, when one's meaning
// changed at 7: Add before 7 broadcasts only with its `broadcast`
// attribute, so reading it with opset 7's numpy rules would accept a file
// its authors' engine refuses and compute what they did not write.
func TestOpsetsBefore7(t *testing.T) {
	for _, tc := range []struct {
		opset int64
		op    string
		want  []float32 // Y for X = [1, 2]: h = [5, 0], z = [6, 0]
		err   string
	}{
		{6, "Relu", nil, `node "add" (Add): opset 6`},
		{1, "Relu", nil, `node "add" (Add): opset 1`},
		{0, "Relu", nil, "opset 0"},
		{7, "Relu", []float32{6, 0}, ""},
	} {
		b, err := proto.Marshal(tinyModel(tc.opset, tc.op))
		if err != nil {
			t.Fatal(err)
		}
		m, err := LoadModel(b, DefaultLimits())
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("opset %d: error %v, want one mentioning %q", tc.opset, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("opset %d: %v", tc.opset, err)
		}
		y, err := m.Predict(mustT(t, []int{1, 2}, 1, 2), 1)
		if err != nil {
			t.Fatal(err)
		}
		checkEqual(t, "tiny", y, []int{1, 2}, tc.want)
	}
	// Operators unchanged since opset 1 or 6 run at those opsets.
	x := mustT(t, []int{1, 2, 1, 1}, -1, 2)
	for _, tc := range []struct {
		op    string
		opset int64
		attrs map[string]Attr
		want  []float32
	}{
		{"Elu", 6, nil, []float32{float32(math.Expm1(-1)), 2}},
		{"Elu", 1, map[string]Attr{"consumed_inputs": ints(0)}, []float32{float32(math.Expm1(-1)), 2}},
		{"HardSigmoid", 6, nil, []float32{0.3, 0.9}},
		{"GlobalAveragePool", 1, nil, []float32{-1, 2}},
		{"Softsign", 1, nil, []float32{-0.5, float32(2) / 3}},
	} {
		n := node(tc.op, tc.attrs)
		n.Opset = tc.opset
		y, err := runOp(t, n, []*Tensor{x}, 1)
		if err != nil {
			t.Fatalf("%s at opset %d: %v", tc.op, tc.opset, err)
		}
		for i, w := range tc.want {
			if !near(float64(y.F[i]), float64(w), 1e-6) {
				t.Fatalf("%s at opset %d: %v, want %v", tc.op, tc.opset, y.F, tc.want)
			}
		}
	}
	for _, op := range []string{"Add", "Gemm", "BatchNormalization", "Dropout", "Reshape", "Concat", "Tile", "Cast", "Pad", "Upsample"} {
		n := node(op, nil)
		n.Opset = 6
		if _, err := runOp(t, n, []*Tensor{x, x}, 1); err == nil || !strings.Contains(err.Error(), "changed at opset 7") && !strings.Contains(err.Error(), "unsupported operator") {
			t.Fatalf("%s at opset 6: error %v, want a refusal", op, err)
		}
	}
}
