package runtime

import (
	"math"
	"strings"
	"testing"
)

// TestIntArithmetic: int64 Add/Sub/Mul/Div with broadcasting (Div
// truncating, a zero divisor failing the run, overflow wrapping as Go
// defines it) and Neg/Abs/Sign, on runtime inputs.
func TestIntArithmetic(t *testing.T) {
	run := func(op string, in ...*Tensor) (*Tensor, error) {
		g := &Graph{Opset: 14, Initializers: map[string]*Tensor{}, Outputs: []string{"y"}}
		var names []string
		for i, x := range in {
			name := string(rune('a' + i))
			names = append(names, name)
			g.Inputs = append(g.Inputs, ValueInfo{Name: name, DType: Int64, Shape: x.Shape})
		}
		g.Nodes = []*Node{{OpType: op, Inputs: names, Outputs: []string{"y"}, Opset: 14, Attrs: map[string]Attr{}}}
		p, err := Compile(g, DefaultLimits())
		if err != nil {
			return nil, err
		}
		out, err := p.Run(in, 1, nil)
		if err != nil {
			return nil, err
		}
		return out[0], nil
	}
	a := int64T([]int{2, 2}, 7, -7, math.MaxInt64, 6)
	b := int64T([]int{2}, 2, -2)
	for op, want := range map[string][]int64{
		"Add": {9, -9, math.MinInt64 + 1, 4}, // MaxInt64 + 2 wraps
		"Sub": {5, -5, math.MaxInt64 - 2, 8},
		"Mul": {14, 14, -2, -12},
		"Div": {3, 3, math.MaxInt64 / 2, -3},
	} {
		y, err := run(op, a, b)
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		if y.DType != Int64 || !sameShape(y.Shape, []int{2, 2}) {
			t.Fatalf("%s: %s %v", op, y.DType, y.Shape)
		}
		for i, w := range want {
			if y.I[i] != w {
				t.Fatalf("%s: %v, want %v", op, y.I, want)
			}
		}
	}
	if _, err := run("Div", a, int64T([]int{2}, 1, 0)); err == nil || !strings.Contains(err.Error(), "by zero") {
		t.Fatalf("division by zero: %v", err)
	}
	v := int64T([]int{4}, -3, 0, 5, math.MinInt64)
	for op, want := range map[string][]int64{"Neg": {3, 0, -5, math.MinInt64}, "Abs": {3, 0, 5, math.MinInt64}, "Sign": {-1, 0, 1, -1}} {
		y, err := run(op, v)
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		for i, w := range want {
			if y.I[i] != w {
				t.Fatalf("%s: %v, want %v", op, y.I, want)
			}
		}
	}
	if _, err := run("Add", a, int64T(nil, 1)); err != nil {
		t.Fatalf("scalar broadcast: %v", err)
	}
	if _, err := runOp(t, node("Add", nil), []*Tensor{mustT(t, []int{1}, 1), int64T([]int{1}, 1)}, 1); err == nil {
		t.Fatal("float32 + int64 accepted")
	}
}
