package runtime

import (
	"strings"
	"testing"
)

func TestOpsHandComputed(t *testing.T) {
	x := mustT(t, []int{1, 1, 3, 3}, 1, 2, 3, 4, 5, 6, 7, 8, 9)
	w := mustT(t, []int{1, 1, 2, 2}, 1, 0, 0, -1)
	cases := []struct {
		name  string
		node  *Node
		in    []*Tensor
		shape []int
		want  []float32
	}{
		{"conv valid", &Node{OpType: "Conv"}, []*Tensor{x, w}, []int{1, 1, 2, 2}, []float32{-4, -4, -4, -4}},
		{"conv bias pads", &Node{OpType: "Conv", Attrs: map[string]Attr{"pads": ints(1, 1, 0, 0)}},
			[]*Tensor{x, w, mustT(t, []int{1}, 10)}, []int{1, 1, 3, 3}, []float32{9, 8, 7, 6, 6, 6, 3, 6, 6}},
		{"conv stride same_upper", &Node{OpType: "Conv", Attrs: map[string]Attr{"strides": ints(2, 2), "auto_pad": str("SAME_UPPER")}},
			[]*Tensor{x, w}, []int{1, 1, 2, 2}, []float32{-4, 3, 7, 9}},
		{"conv dilation", &Node{OpType: "Conv", Attrs: map[string]Attr{"dilations": ints(2, 2)}},
			[]*Tensor{x, w}, []int{1, 1, 1, 1}, []float32{-8}},
		{"conv groups", &Node{OpType: "Conv", Attrs: map[string]Attr{"group": intA(2)}},
			[]*Tensor{mustT(t, []int{1, 2, 1, 1}, 3, 5), mustT(t, []int{2, 1, 1, 1}, 2, 10)}, []int{1, 2, 1, 1}, []float32{6, 50}},
		{"maxpool", &Node{OpType: "MaxPool", Attrs: map[string]Attr{"kernel_shape": ints(2, 2)}}, []*Tensor{x}, []int{1, 1, 2, 2}, []float32{5, 6, 8, 9}},
		{"maxpool ceil stride", &Node{OpType: "MaxPool", Attrs: map[string]Attr{"kernel_shape": ints(2, 2), "strides": ints(2, 2), "ceil_mode": intA(1)}},
			[]*Tensor{x}, []int{1, 1, 2, 2}, []float32{5, 6, 8, 9}},
		{"avgpool pads", &Node{OpType: "AveragePool", Attrs: map[string]Attr{"kernel_shape": ints(2, 2), "pads": ints(1, 1, 0, 0), "strides": ints(2, 2)}},
			[]*Tensor{x}, []int{1, 1, 2, 2}, []float32{1, 2.5, 5.5, 7}},
		{"avgpool count pad", &Node{OpType: "AveragePool", Attrs: map[string]Attr{"kernel_shape": ints(2, 2), "pads": ints(1, 1, 0, 0), "strides": ints(2, 2), "count_include_pad": intA(1)}},
			[]*Tensor{x}, []int{1, 1, 2, 2}, []float32{0.25, 1.25, 2.75, 7}},
		{"gemm", &Node{OpType: "Gemm", Attrs: map[string]Attr{"transB": intA(1), "alpha": {Kind: AttrFloat, F: 2}, "beta": {Kind: AttrFloat, F: 0.5}}},
			[]*Tensor{mustT(t, []int{1, 2}, 1, 2), mustT(t, []int{2, 2}, 3, 4, 5, 6), mustT(t, []int{2}, 2, 4)}, []int{1, 2}, []float32{23, 36}},
		{"matmul batch", &Node{OpType: "MatMul"},
			[]*Tensor{mustT(t, []int{2, 1, 2}, 1, 2, 3, 4), mustT(t, []int{2, 1}, 10, 1)}, []int{2, 1, 1}, []float32{12, 34}},
		{"matmul vector", &Node{OpType: "MatMul"},
			[]*Tensor{mustT(t, []int{2}, 1, 2), mustT(t, []int{2, 2}, 1, 2, 3, 4)}, []int{2}, []float32{7, 10}},
		{"add broadcast", &Node{OpType: "Add"}, []*Tensor{mustT(t, []int{2, 2}, 1, 2, 3, 4), mustT(t, []int{2, 1}, 10, 20)}, []int{2, 2}, []float32{11, 12, 23, 24}},
		{"sub", &Node{OpType: "Sub"}, []*Tensor{mustT(t, []int{2}, 1, 2), mustT(t, nil, 3)}, []int{2}, []float32{-2, -1}},
		{"mul", &Node{OpType: "Mul"}, []*Tensor{mustT(t, []int{1, 2}, 1, 2), mustT(t, []int{2, 1}, 3, 4)}, []int{2, 2}, []float32{3, 6, 4, 8}},
		{"div", &Node{OpType: "Div"}, []*Tensor{mustT(t, []int{2}, 1, 3), mustT(t, []int{2}, 4, 2)}, []int{2}, []float32{0.25, 1.5}},
		{"relu", &Node{OpType: "Relu"}, []*Tensor{mustT(t, []int{3}, -1, 0, 2)}, []int{3}, []float32{0, 0, 2}},
		{"softmax", &Node{OpType: "Softmax"}, []*Tensor{mustT(t, []int{2}, 0, 0)}, []int{2}, []float32{0.5, 0.5}},
		{"logsoftmax", &Node{OpType: "LogSoftmax"}, []*Tensor{mustT(t, []int{1, 1}, 7)}, []int{1, 1}, []float32{0}},
		{"flatten", &Node{OpType: "Flatten"}, []*Tensor{x}, []int{1, 9}, []float32{1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{"transpose", &Node{OpType: "Transpose"}, []*Tensor{mustT(t, []int{2, 3}, 1, 2, 3, 4, 5, 6)}, []int{3, 2}, []float32{1, 4, 2, 5, 3, 6}},
		{"transpose perm", &Node{OpType: "Transpose", Attrs: map[string]Attr{"perm": ints(1, 0, 2)}}, []*Tensor{mustT(t, []int{2, 2, 1}, 1, 2, 3, 4)}, []int{2, 2, 1}, []float32{1, 3, 2, 4}},
		{"concat", &Node{OpType: "Concat", Attrs: map[string]Attr{"axis": intA(-1)}}, []*Tensor{mustT(t, []int{2, 1}, 1, 2), mustT(t, []int{2, 2}, 3, 4, 5, 6)}, []int{2, 3}, []float32{1, 3, 4, 2, 5, 6}},
		{"batchnorm", &Node{OpType: "BatchNormalization"}, []*Tensor{mustT(t, []int{1, 2, 1, 1}, 3, 5), mustT(t, []int{2}, 2, 1), mustT(t, []int{2}, 1, -1), mustT(t, []int{2}, 1, 5), mustT(t, []int{2}, 4-1e-5, 1-1e-5)}, []int{1, 2, 1, 1}, []float32{3, -1}},
		{"identity", &Node{OpType: "Identity"}, []*Tensor{mustT(t, []int{1}, 4)}, []int{1}, []float32{4}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, w := range []int{1, 4} {
				got, err := runOp(t, c.node, c.in, w)
				if err != nil {
					t.Fatal(err)
				}
				checkEqual(t, c.name, got, c.shape, c.want)
			}
		})
	}
}

func TestReshapeConstant(t *testing.T) {
	g := &Graph{
		Initializers: map[string]*Tensor{"x": mustT(t, []int{2, 3}, 1, 2, 3, 4, 5, 6)},
		Nodes: []*Node{
			{OpType: "Constant", Outputs: []string{"s"}, Attrs: map[string]Attr{"value_ints": ints(3, -1)}},
			{OpType: "Reshape", Inputs: []string{"x", "s"}, Outputs: []string{"y"}},
		},
		Outputs: []string{"y"},
	}
	p, err := Compile(g, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	out, err := p.Run(nil, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "reshape", out[0], []int{3, 2}, []float32{1, 2, 3, 4, 5, 6})
}

// TestOpErrors checks that bad shapes and attributes are errors naming the
// node, never panics.
func TestOpErrors(t *testing.T) {
	x := randT(1, 1, 2, 4, 4)
	cases := []struct {
		name string
		node *Node
		in   []*Tensor
		msg  string
	}{
		{"conv channels", &Node{Name: "c1", OpType: "Conv"}, []*Tensor{x, randT(2, 1, 3, 2, 2)}, "channels"},
		{"conv rank", &Node{Name: "c2", OpType: "Conv"}, []*Tensor{randT(1, 2, 4), randT(2, 1, 2, 2)}, "2-D"},
		{"conv group", &Node{Name: "c3", OpType: "Conv", Attrs: map[string]Attr{"group": intA(3)}}, []*Tensor{x, randT(2, 1, 2, 2, 2)}, "group"},
		{"conv kernel too big", &Node{Name: "c4", OpType: "Conv"}, []*Tensor{x, randT(2, 1, 2, 5, 5)}, "larger"},
		{"conv bad pads", &Node{Name: "c5", OpType: "Conv", Attrs: map[string]Attr{"pads": ints(1, 1)}}, []*Tensor{x, randT(2, 1, 2, 2, 2)}, "pads"},
		{"conv bad stride", &Node{Name: "c6", OpType: "Conv", Attrs: map[string]Attr{"strides": ints(0, 1)}}, []*Tensor{x, randT(2, 1, 2, 2, 2)}, "strides"},
		{"pool no kernel", &Node{Name: "p1", OpType: "MaxPool"}, []*Tensor{x}, "kernel_shape"},
		{"gemm inner", &Node{Name: "g1", OpType: "Gemm"}, []*Tensor{randT(1, 2, 3), randT(2, 2, 3)}, "inner"},
		{"matmul inner", &Node{Name: "m1", OpType: "MatMul"}, []*Tensor{randT(1, 2, 3), randT(2, 2, 3)}, "inner"},
		{"add shapes", &Node{Name: "a1", OpType: "Add"}, []*Tensor{randT(1, 2, 3), randT(2, 2)}, "broadcast"},
		{"add arity", &Node{Name: "a2", OpType: "Add"}, []*Tensor{randT(1, 2, 3)}, "inputs"},
		{"softmax axis", &Node{Name: "s1", OpType: "Softmax", Attrs: map[string]Attr{"axis": intA(5)}}, []*Tensor{x}, "axis"},
		{"transpose perm", &Node{Name: "t1", OpType: "Transpose", Attrs: map[string]Attr{"perm": ints(0, 0, 1, 2)}}, []*Tensor{x}, "permutation"},
		{"concat shapes", &Node{Name: "k1", OpType: "Concat", Attrs: map[string]Attr{"axis": intA(0)}}, []*Tensor{randT(1, 2, 3), randT(2, 2, 2)}, "differs"},
		{"reshape non-const", &Node{Name: "r1", OpType: "Reshape"}, []*Tensor{x, randT(1, 2)}, "constant"},
		{"batchnorm shapes", &Node{Name: "b1", OpType: "BatchNormalization"}, []*Tensor{x, randT(1, 3), randT(1, 2), randT(1, 2), randT(1, 2)}, "shape"},
		{"attr type", &Node{Name: "f1", OpType: "Flatten", Attrs: map[string]Attr{"axis": str("x")}}, []*Tensor{x}, "must be an int"},
		{"unknown op", &Node{Name: "u1", OpType: "TfIdfVectorizer"}, []*Tensor{x}, "unsupported operator"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := runOp(t, c.node, c.in, 1)
			if err == nil {
				t.Fatal("expected an error")
			}
			if !strings.Contains(err.Error(), c.node.Name) || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("error %q should name %q and mention %q", err, c.node.Name, c.msg)
			}
		})
	}
}
