package runtime

import (
	"math"
	"testing"
)

// TestReductions: the documented order (ascending, float64 accumulation,
// one rounding), the axes forms of each opset, keepdims and
// noop_with_empty_axes, NaN rules for Max/Min/ArgMax/ArgMin, and worker
// counts bit-equal.
func TestReductions(t *testing.T) {
	x := randT(11, 3, 4, 5)
	run := func(op string, opset int64, attrs map[string]Attr, workers int, in ...*Tensor) (*Tensor, error) {
		n := node(op, attrs)
		n.Opset = opset
		return runOp(t, n, append([]*Tensor{x}, in...), workers)
	}
	// ReduceSum over axis 1, as an input at opset 13: float64 ascending, one rounding.
	y, err := run("ReduceSum", 13, map[string]Attr{"keepdims": intA(0)}, 1, int64T([]int{1}, 1))
	if err != nil {
		t.Fatal(err)
	}
	want := make([]float32, 15)
	for i := 0; i < 3; i++ {
		for k := 0; k < 5; k++ {
			s := 0.0
			for j := 0; j < 4; j++ {
				s += float64(x.F[i*20+j*5+k])
			}
			want[i*5+k] = float32(s)
		}
	}
	checkEqual(t, "sum axis 1", y, []int{3, 5}, want)
	y3, err := run("ReduceSum", 13, map[string]Attr{"keepdims": intA(0)}, 3, int64T([]int{1}, -2))
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "sum axis -2, 3 workers", y3, []int{3, 5}, want)

	// ReduceMean: axes attribute before 18, input from 18; keepdims keeps 1s.
	m13, err := run("ReduceMean", 13, map[string]Attr{"axes": ints(0, 2)}, 1)
	if err != nil {
		t.Fatal(err)
	}
	m18, err := run("ReduceMean", 18, nil, 2, int64T([]int{2}, 0, 2))
	if err != nil {
		t.Fatal(err)
	}
	if !sameShape(m13.Shape, []int{1, 4, 1}) || OutputHash(m13) != OutputHash(m18) {
		t.Fatalf("mean: %v vs %v", m13.Shape, m18.Shape)
	}
	if _, err := run("ReduceMean", 18, map[string]Attr{"axes": ints(0)}, 1); err == nil {
		t.Fatal("an axes attribute at opset 18 accepted")
	}
	if _, err := run("ReduceMean", 13, map[string]Attr{"axes": ints(1, -2)}, 1); err == nil {
		t.Fatal("a repeated axis accepted")
	}
	// No axes: everything, or nothing with noop_with_empty_axes.
	all, err := run("ReduceSum", 13, map[string]Attr{"keepdims": intA(0)}, 1)
	if err != nil || len(all.Shape) != 0 {
		t.Fatalf("sum of all: %v %v", all, err)
	}
	noop, err := run("ReduceSum", 13, map[string]Attr{"noop_with_empty_axes": intA(1)}, 1)
	if err != nil || OutputHash(noop) != OutputHash(x) {
		t.Fatalf("noop: %v", err)
	}

	// Max/Min propagate NaN; ArgMax/ArgMin pick the first NaN, or the first
	// (or last) best.
	nan := float32(math.NaN())
	v := mustT(t, []int{2, 4}, 1, 3, 3, 2, 5, nan, 7, nan)
	for _, tc := range []struct {
		op    string
		attrs map[string]Attr
		ints  []int64
		fl    []float32
	}{
		{"ReduceMax", map[string]Attr{"axes": ints(1), "keepdims": intA(0)}, nil, []float32{3, nan}},
		{"ReduceMin", map[string]Attr{"axes": ints(1), "keepdims": intA(0)}, nil, []float32{1, nan}},
		{"ArgMax", map[string]Attr{"axis": intA(1), "keepdims": intA(0)}, []int64{1, 1}, nil},
		{"ArgMax", map[string]Attr{"axis": intA(1), "keepdims": intA(0), "select_last_index": intA(1)}, []int64{2, 3}, nil},
		{"ArgMin", map[string]Attr{"axis": intA(1), "keepdims": intA(0)}, []int64{0, 1}, nil},
		{"ArgMin", map[string]Attr{"axis": intA(-1)}, []int64{0, 1}, nil},
	} {
		n := node(tc.op, tc.attrs)
		n.Opset = 13
		y, err := runOp(t, n, []*Tensor{v}, 1)
		if err != nil {
			t.Fatalf("%s: %v", tc.op, err)
		}
		if tc.ints != nil {
			if y.DType != Int64 || len(y.I) != 2 || y.I[0] != tc.ints[0] || y.I[1] != tc.ints[1] {
				t.Fatalf("%s %v: %v %v", tc.op, tc.attrs, y.Shape, y.I)
			}
			continue
		}
		for i, w := range tc.fl {
			if math.IsNaN(float64(w)) != math.IsNaN(float64(y.F[i])) || (!math.IsNaN(float64(w)) && w != y.F[i]) {
				t.Fatalf("%s: %v, want %v", tc.op, y.F, tc.fl)
			}
		}
	}

	// The others against their float64 definitions; LogSumExp without overflow.
	big := mustT(t, []int{3}, 1000, 999, -5)
	n := node("ReduceLogSumExp", map[string]Attr{"keepdims": intA(0)})
	n.Opset = 13
	y, err = runOp(t, n, []*Tensor{big}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if w := 1000 + math.Log(1+math.Exp(-1)); math.Abs(float64(y.F[0])-w) > 1e-4 {
		t.Fatalf("logsumexp %v, want %v", y.F[0], w)
	}
	for op, def := range map[string]func([]float64) float64{
		"ReduceProd": func(v []float64) float64 {
			p := 1.0
			for _, x := range v {
				p *= x
			}
			return p
		},
		"ReduceL1": func(v []float64) float64 {
			s := 0.0
			for _, x := range v {
				s += math.Abs(x)
			}
			return s
		},
		"ReduceL2": func(v []float64) float64 {
			s := 0.0
			for _, x := range v {
				s += x * x
			}
			return math.Sqrt(s)
		},
		"ReduceSumSquare": func(v []float64) float64 {
			s := 0.0
			for _, x := range v {
				s += x * x
			}
			return s
		},
		"ReduceLogSum": func(v []float64) float64 {
			s := 0.0
			for _, x := range v {
				s += x
			}
			return math.Log(s)
		},
	} {
		pos := randT(21, 2, 6)
		for i := range pos.F {
			pos.F[i] = float32(math.Abs(float64(pos.F[i]))) + 0.5
		}
		n := node(op, map[string]Attr{"axes": ints(1), "keepdims": intA(0)})
		n.Opset = 13
		y, err := runOp(t, n, []*Tensor{pos}, 2)
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		for r := 0; r < 2; r++ {
			row := make([]float64, 6)
			for j := range row {
				row[j] = float64(pos.F[r*6+j])
			}
			if w := def(row); math.Abs(float64(y.F[r])-w) > 1e-6*math.Abs(w)+1e-7 {
				t.Fatalf("%s row %d: %v, want %v", op, r, y.F[r], w)
			}
		}
	}
}
