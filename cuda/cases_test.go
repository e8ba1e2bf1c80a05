package cuda

import (
	"fmt"
	"math"
	"testing"

	"github.com/delphi-network/delphi/runtime"
)

// The operator cases both the GPU test (backend_test.go, -tags cuda) and the
// host emulation test (emulate_test.go) run against the CPU reference.

// opCase is one operator applied to generated inputs. Inputs listed in
// weights become initializers (uploaded once, like model weights); the others
// are runtime inputs, so the node is not constant-folded.
type opCase struct {
	name    string
	node    *runtime.Node
	shapes  [][]int
	weights map[int]bool
	gen     func(seed uint64, n int) []float32
}

func ints(v ...int64) runtime.Attr { return runtime.Attr{Kind: runtime.AttrInts, Ints: v} }
func integer(v int64) runtime.Attr { return runtime.Attr{Kind: runtime.AttrInt, I: v} }
func float(v float32) runtime.Attr { return runtime.Attr{Kind: runtime.AttrFloat, F: v} }
func str(v string) runtime.Attr    { return runtime.Attr{Kind: runtime.AttrString, S: v} }
func node(op string, opset int64, attrs map[string]runtime.Attr) *runtime.Node {
	return &runtime.Node{OpType: op, Attrs: attrs, Opset: opset, Outputs: []string{"y"}}
}

// values is a reproducible mix of ordinary values in [-span, span] with signed
// zeros, subnormals and values near the detmath range thresholds.
func values(span float32) func(seed uint64, n int) []float32 {
	special := []float32{0, float32(math.Copysign(0, -1)), 1e-40, -3e-39, 1.0 / 4096, -1.0 / 8192, 10.5, -10.5, 89, -89}
	return func(seed uint64, n int) []float32 {
		out := make([]float32, n)
		s := seed*0x9e3779b97f4a7c15 + 1
		for i := range out {
			s = s*6364136223846793005 + 1442695040888963407
			if s>>60 == 0 {
				out[i] = special[int(s>>32)%len(special)]
				continue
			}
			out[i] = (float32(s>>40)/float32(1<<24)*2 - 1) * span
		}
		return out
	}
}

// positive is values in (0.5, 1.5+span): variances and divisors, never zero.
func positive(span float32) func(seed uint64, n int) []float32 {
	return func(seed uint64, n int) []float32 {
		v := values(span)(seed, n)
		for i := range v {
			v[i] = float32(math.Abs(float64(v[i]))) + 0.5
		}
		return v
	}
}

func opCases() []opCase {
	w := func(i ...int) map[int]bool {
		m := map[int]bool{}
		for _, k := range i {
			m[k] = true
		}
		return m
	}
	return []opCase{
		{"conv-group-pad-stride-dil-bias", node("Conv", 13, map[string]runtime.Attr{"group": integer(2),
			"pads": ints(1, 0, 2, 1), "strides": ints(2, 1), "dilations": ints(1, 2)}),
			[][]int{{2, 4, 9, 8}, {6, 2, 3, 3}, {6}}, w(1, 2), values(3)},
		{"conv-same-upper-no-bias", node("Conv", 13, map[string]runtime.Attr{"auto_pad": str("SAME_UPPER"), "strides": ints(2, 2)}),
			[][]int{{1, 3, 10, 7}, {5, 3, 4, 4}}, w(1), values(2)},
		{"conv-runtime-weights", node("Conv", 13, nil), [][]int{{1, 2, 6, 6}, {3, 2, 3, 3}, {3}}, nil, values(2)},
		{"maxpool-ceil-pad-dil", node("MaxPool", 13, map[string]runtime.Attr{"kernel_shape": ints(3, 3),
			"strides": ints(2, 2), "pads": ints(1, 1, 1, 1), "ceil_mode": integer(1), "dilations": ints(1, 2)}),
			[][]int{{2, 3, 11, 12}}, nil, values(5)},
		{"avgpool-pad", node("AveragePool", 13, map[string]runtime.Attr{"kernel_shape": ints(3, 2), "pads": ints(1, 0, 1, 1)}),
			[][]int{{2, 2, 7, 6}}, nil, values(5)},
		{"avgpool-count-include-pad", node("AveragePool", 13, map[string]runtime.Attr{"kernel_shape": ints(3, 3),
			"pads": ints(1, 1, 2, 2), "strides": ints(2, 2), "count_include_pad": integer(1)}),
			[][]int{{1, 3, 8, 9}}, nil, values(5)},
		{"gemm-transB-rowC", node("Gemm", 13, map[string]runtime.Attr{"transB": integer(1), "alpha": float(0.5), "beta": float(2)}),
			[][]int{{5, 7}, {6, 7}, {6}}, w(1, 2), values(2)},
		{"gemm-transA-noC", node("Gemm", 13, map[string]runtime.Attr{"transA": integer(1)}),
			[][]int{{7, 5}, {7, 6}}, w(1), values(2)},
		{"gemm-colC", node("Gemm", 13, nil), [][]int{{5, 33}, {33, 4}, {5, 1}}, w(1), values(2)},
		{"matmul-batch-broadcast", node("MatMul", 13, nil), [][]int{{2, 1, 4, 3}, {3, 3, 5}}, nil, values(2)},
		{"matmul-vector-matrix", node("MatMul", 13, nil), [][]int{{6}, {6, 4}}, w(1), values(2)},
		{"matmul-matrix-vector", node("MatMul", 13, nil), [][]int{{3, 6}, {6}}, w(1), values(2)},
		{"add-broadcast", node("Add", 13, nil), [][]int{{2, 3, 4}, {3, 1}}, nil, values(4)},
		{"sub-broadcast", node("Sub", 13, nil), [][]int{{4}, {2, 3, 4}}, nil, values(4)},
		{"mul-broadcast", node("Mul", 13, nil), [][]int{{2, 3, 4}, {1}}, w(1), values(4)},
		{"div-same", node("Div", 13, nil), [][]int{{3, 5}, {3, 5}}, nil, positive(4)},
		{"relu", node("Relu", 13, nil), [][]int{{1000}}, nil, values(30)},
		{"sigmoid", node("Sigmoid", 13, nil), [][]int{{4000}}, nil, values(40)},
		{"tanh", node("Tanh", 13, nil), [][]int{{4000}}, nil, values(12)},
		{"softmax-axis1-opset13", node("Softmax", 13, map[string]runtime.Attr{"axis": integer(1)}),
			[][]int{{3, 5, 4}}, nil, values(20)},
		{"softmax-opset11-flatten", node("Softmax", 11, nil), [][]int{{2, 3, 4}}, nil, values(20)},
		{"logsoftmax-last", node("LogSoftmax", 13, nil), [][]int{{4, 10}}, nil, values(20)},
		{"batchnorm", node("BatchNormalization", 13, map[string]runtime.Attr{"epsilon": float(1e-3)}),
			[][]int{{2, 3, 4, 5}, {3}, {3}, {3}, {3}}, w(1, 2, 3, 4), positive(3)},
	}
}

// compileCase builds the case's one-node graph and its runtime inputs.
func compileCase(t *testing.T, ci int, c opCase) (*runtime.Program, []*runtime.Tensor) {
	t.Helper()
	g := &runtime.Graph{Initializers: map[string]*runtime.Tensor{}, Opset: c.node.Opset, Outputs: []string{"y"}}
	var feed []*runtime.Tensor
	c.node.Inputs = nil
	for i, shape := range c.shapes {
		name := fmt.Sprintf("in%d", i)
		c.node.Inputs = append(c.node.Inputs, name)
		x, err := runtime.FromFloats(shape, c.gen(uint64(100*ci+i), numel(shape)))
		if err != nil {
			t.Fatal(err)
		}
		if c.weights[i] {
			g.Initializers[name] = x
			continue
		}
		g.Inputs = append(g.Inputs, runtime.ValueInfo{Name: name, DType: runtime.Float32, Shape: shape})
		feed = append(feed, x)
	}
	g.Nodes = []*runtime.Node{c.node}
	p, err := runtime.Compile(g, runtime.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	return p, feed
}

// sameBits runs p and q on feed and requires bit-identical outputs.
func sameBits(t *testing.T, p, q *runtime.Program, feed []*runtime.Tensor) {
	t.Helper()
	want, err := p.Run(feed, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := q.Run(feed, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	w, h := want[0].F, got[0].F
	if len(w) != len(h) {
		t.Fatalf("%d elements, reference has %d", len(h), len(w))
	}
	for i := range w {
		if math.Float32bits(w[i]) != math.Float32bits(h[i]) {
			t.Fatalf("element %d: %v (%08x), reference %v (%08x)", i, h[i], math.Float32bits(h[i]), w[i], math.Float32bits(w[i]))
		}
	}
	if runtime.OutputHash(want[0]) != runtime.OutputHash(got[0]) {
		t.Fatal("output hashes differ")
	}
}
