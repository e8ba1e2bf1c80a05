package runtime

import (
	"strings"
	"testing"
)

// TestSpecializeBindsShapesFromInputs: a Reshape whose shape is a graph
// input and a symbolic batch dimension cannot be compiled ahead of the
// run (Compile refuses it, naming the node); Specialize compiles it for
// the inputs given and computes what the graph says. Inputs that do not
// fit the declaration are refused.
func TestSpecializeBindsShapesFromInputs(t *testing.T) {
	g := &Graph{
		Initializers: map[string]*Tensor{},
		Opset:        14,
		Inputs: []ValueInfo{
			{Name: "x", DType: Float32, Shape: []int{-1, 6}}, // batch is symbolic
			{Name: "shape", DType: Int64, Shape: []int{2}},
		},
		Nodes: []*Node{
			{Name: "r", OpType: "Reshape", Inputs: []string{"x", "shape"}, Outputs: []string{"r"}, Opset: 14, Attrs: map[string]Attr{}},
			{Name: "n", OpType: "Neg", Inputs: []string{"r"}, Outputs: []string{"y"}, Opset: 14, Attrs: map[string]Attr{}},
		},
		Outputs: []string{"y"},
	}
	if _, err := Compile(g, DefaultLimits()); err == nil || !strings.Contains(err.Error(), `"r"`) {
		t.Fatalf("Compile: %v, want a refusal naming the Reshape", err)
	}
	x := mustT(t, []int{2, 6}, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
	shape, _ := FromInts([]int{2}, []int64{3, -1})
	p, feed, err := Specialize(g, DefaultLimits(), []*Tensor{x, shape})
	if err != nil {
		t.Fatal(err)
	}
	if len(feed) != 1 || feed[0] != x {
		t.Fatalf("feed %v, want x alone", feed)
	}
	out, err := p.Run(feed, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "reshaped", out[0], []int{3, 4}, []float32{-1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12})
	// Another batch size is another program.
	x1 := mustT(t, []int{1, 6}, 1, 2, 3, 4, 5, 6)
	shape1, _ := FromInts([]int{2}, []int64{2, 3})
	if p, feed, err = Specialize(g, DefaultLimits(), []*Tensor{x1, shape1}); err != nil {
		t.Fatal(err)
	}
	if out, err = p.Run(feed, 1, nil); err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "batch 1", out[0], []int{2, 3}, []float32{-1, -2, -3, -4, -5, -6})
	bad := map[string][]*Tensor{
		"declared dimension": {mustT(t, []int{1, 5}, 1, 2, 3, 4, 5), shape1},
		"rank":               {mustT(t, []int{6}, 1, 2, 3, 4, 5, 6), shape1},
		"dtype":              {shape1, shape1},
		"count":              {x1},
		"shape that does not fit": {x1, func() *Tensor {
			s, _ := FromInts([]int{2}, []int64{4, 4})
			return s
		}()},
	}
	for name, ins := range bad {
		if _, _, err := Specialize(g, DefaultLimits(), ins); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestSpecializeBindsOnlyWhatIsNeeded: the shape reaches Reshape through a
// Cast, so the int32 input behind it becomes a constant; the data input,
// also an integer, is not needed at compile time and stays a runtime
// input, as does a float32 one.
func TestSpecializeBindsOnlyWhatIsNeeded(t *testing.T) {
	g := &Graph{
		Initializers: map[string]*Tensor{},
		Opset:        14,
		Inputs: []ValueInfo{
			{Name: "data", DType: Int32, Shape: []int{-1}},
			{Name: "shape32", DType: Int32, Shape: []int{2}},
			{Name: "f", DType: Float32, Shape: []int{2}},
		},
		Nodes: []*Node{
			{Name: "c", OpType: "Cast", Inputs: []string{"shape32"}, Outputs: []string{"shape"}, Opset: 14, Attrs: map[string]Attr{"to": intA(int64(Int64))}},
			{Name: "r", OpType: "Reshape", Inputs: []string{"data", "shape"}, Outputs: []string{"y"}, Opset: 14, Attrs: map[string]Attr{}},
			{Name: "n", OpType: "Neg", Inputs: []string{"f"}, Outputs: []string{"z"}, Opset: 14, Attrs: map[string]Attr{}},
		},
		Outputs: []string{"y", "z"},
	}
	data := typed(t, Int32, 1, -2, 3, -4, 5, -6)
	shape := typed(t, Int32, 3, 2)
	f := mustT(t, []int{2}, 1, 2)
	p, feed, err := Specialize(g, DefaultLimits(), []*Tensor{data, shape, f})
	if err != nil {
		t.Fatal(err)
	}
	if len(feed) != 2 || feed[0] != data || feed[1] != f {
		t.Fatalf("feed %v, want data and f", feed)
	}
	names := []string{}
	for _, v := range p.Inputs() {
		names = append(names, v.Name)
	}
	if strings.Join(names, ",") != "data,f" {
		t.Fatalf("runtime inputs %v", names)
	}
	out, err := p.Run(feed, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantTyped(t, "reshaped", out[0], nil, Int32, 1, -2, 3, -4, 5, -6)
	if !sameShape(out[0].Shape, []int{3, 2}) {
		t.Fatalf("shape %v", out[0].Shape)
	}
}
