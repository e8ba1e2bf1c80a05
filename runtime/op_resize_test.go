package runtime

import (
	goruntime "runtime"
	"strings"
	"testing"
)

// TestResizeRefusals: every malformed or unsupported Resize is a clear
// error naming the node; scales given as a graph input are refused by
// Compile as a value it needs, and Specialize compiles them.
func TestResizeRefusals(t *testing.T) {
	x := randT(3, 1, 1, 4, 4)
	scales := mustT(t, []int{4}, 1, 1, 2, 2)
	sizes, _ := FromInts([]int{4}, []int64{1, 1, 3, 3})
	none := &Tensor{} // an omitted input
	for name, c := range map[string]struct {
		attrs map[string]Attr
		ins   []*Tensor
		want  string
	}{
		"both":        {nil, []*Tensor{x, none, scales, sizes}, "both"},
		"neither":     {nil, []*Tensor{x}, "scales or sizes"},
		"zero scale":  {nil, []*Tensor{x, none, mustT(t, []int{4}, 1, 1, 0, 2)}, "positive"},
		"scale count": {nil, []*Tensor{x, none, mustT(t, []int{2}, 2, 2)}, "4 float32"},
		"huge size":   {nil, []*Tensor{x, none, none, func() *Tensor { s, _ := FromInts([]int{4}, []int64{1, 1, 1 << 31, 2}); return s }()}, "out of range"},
		"mode":        {map[string]Attr{"mode": str("area")}, []*Tensor{x, none, scales}, "mode"},
		"antialias":   {map[string]Attr{"antialias": intA(1)}, []*Tensor{x, none, scales}, "antialias"},
		"axes":        {map[string]Attr{"axes": ints(2, 3)}, []*Tensor{x, none, scales}, "axes"},
		"no roi":      {map[string]Attr{"coordinate_transformation_mode": str("tf_crop_and_resize")}, []*Tensor{x, none, scales}, "roi"},
	} {
		// X a runtime input; roi, scales, sizes constants ("" for none).
		n := node("Resize", c.attrs, "y")
		n.Opset = 13
		g := &Graph{Initializers: map[string]*Tensor{}, Opset: 13, Outputs: []string{"y"}, Nodes: []*Node{n},
			Inputs: []ValueInfo{{Name: "x", DType: Float32, Shape: x.Shape}}}
		n.Inputs = []string{"x"}
		for i, v := range c.ins[1:] {
			name := ""
			if v != none {
				name = string(rune('a' + i))
				g.Initializers[name] = v
			}
			n.Inputs = append(n.Inputs, name)
		}
		if _, err := Compile(g, DefaultLimits()); err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "Resize") {
			t.Errorf("%s: %v, want an error naming Resize and %q", name, err, c.want)
		}
	}
	g := &Graph{Initializers: map[string]*Tensor{}, Opset: 13, Outputs: []string{"y"},
		Inputs: []ValueInfo{{Name: "x", DType: Float32, Shape: x.Shape}, {Name: "s", DType: Float32, Shape: []int{4}}},
		Nodes:  []*Node{{Name: "up", OpType: "Resize", Inputs: []string{"x", "", "s"}, Outputs: []string{"y"}, Opset: 13, Attrs: map[string]Attr{"mode": str("linear")}}}}
	if _, err := Compile(g, DefaultLimits()); err == nil || !strings.Contains(err.Error(), "scales must be a constant") {
		t.Fatalf("Compile with runtime scales: %v", err)
	}
	p, feed, err := Specialize(g, DefaultLimits(), []*Tensor{x, scales})
	if err != nil {
		t.Fatal(err)
	}
	one, err := p.Run(feed, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	four, err := p.Run(feed, 4, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !sameShape(one[0].Shape, []int{1, 1, 8, 8}) || OutputHash(one[0]) != OutputHash(four[0]) {
		t.Fatalf("shape %v, or 1 and 4 workers differ", one[0].Shape)
	}
	// half_pixel linear, 2× up: output 0 reads x[0] (clamped), output 1 is ¾·x[0] + ¼·x[1].
	want := float32(0.75*float64(x.F[0]) + 0.25*float64(x.F[1]))
	if got := one[0].F[1]; got != want {
		t.Fatalf("y[0,0,0,1] = %v, want %v", got, want)
	}
}

// TestResizeHugeOutputIsRefusedCheaply: sizes of 2^30 along one axis are
// refused by Compile's element limit before anything that size is
// allocated.
func TestResizeHugeOutputIsRefusedCheaply(t *testing.T) {
	sizes, _ := FromInts([]int{4}, []int64{1, 1, 1 << 30, 1})
	g := &Graph{Initializers: map[string]*Tensor{"s": sizes}, Opset: 13, Outputs: []string{"y"},
		Inputs: []ValueInfo{{Name: "x", DType: Float32, Shape: []int{1, 1, 2, 2}}},
		Nodes:  []*Node{{Name: "up", OpType: "Resize", Inputs: []string{"x", "", "", "s"}, Outputs: []string{"y"}, Opset: 13, Attrs: map[string]Attr{"mode": str("cubic")}}}}
	var before, after goruntime.MemStats
	goruntime.ReadMemStats(&before)
	if _, err := Compile(g, DefaultLimits()); err == nil {
		t.Fatal("a 2^30-element Resize compiled")
	}
	goruntime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 16<<20 {
		t.Fatalf("refusing it allocated %d MiB", grew>>20)
	}
}
