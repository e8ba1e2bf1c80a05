package runtime

import (
	"fmt"
	"math"
)

// ScatterElements (and Scatter, its opset 9–10 name), GatherND and
// ScatterND: data movement by index tensors (int64 or int32; negative
// indices count from the end; an index outside its axis fails the item's
// run, naming the node). The scatters copy the data, then apply the
// updates in row-major order of the updates (ScatterND: of its update
// slices), so with reduction "none" the last of duplicate indices wins;
// a reduction (add, mul from opset 16; max, min from 18) folds each update
// into the element as it comes, float32 rounding each step, integers
// wrapping to their type, max/min propagating NaN.

func init() {
	register("ScatterElements", buildScatterElements)
	register("Scatter", func(n *Node, in []TensorInfo) (*step, error) {
		if n.Opset >= 11 {
			return nil, n.errorf("Scatter is deprecated from opset 11: use ScatterElements")
		}
		return buildScatterElements(n, in)
	})
	register("ScatterND", buildScatterND)
	register("GatherND", buildGatherND)
}

// indexType reports whether dt may index (int64, or int32 as ONNX allows).
func indexType(dt DType) bool { return dt == Int64 || dt == Int32 }

// fixIndex resolves a possibly negative index into [0, dim) or panics
// with the error Run reports.
func fixIndex(v int64, dim int) int {
	w := v
	if w < 0 {
		w += int64(dim)
	}
	if w < 0 || w >= int64(dim) {
		panic(fmt.Sprintf("index %d out of range for axis of size %d", v, dim))
	}
	return int(w)
}

// scatterReduce returns how an update combines with the element it lands
// on, for the reduction attribute.
func scatterReduce(n *Node, dt DType) (func(t *Tensor, i int, u *Tensor, j int), error) {
	red, err := n.attrString("reduction", "none")
	if err != nil {
		return nil, err
	}
	since := map[string]int64{"none": 0, "add": 16, "mul": 16, "max": 18, "min": 18}
	v, ok := since[red]
	if !ok {
		return nil, n.errorf("reduction %q: want none, add, mul, max or min", red)
	}
	if n.Opset < v {
		return nil, n.errorf("reduction %s needs opset %d (opset %d)", red, v, n.Opset)
	}
	if red != "none" && dt != Float32 && !dt.integer() {
		return nil, n.errorf("reduction %s of %s", red, dt)
	}
	ff := map[string]func(a, b float32) float32{
		"add": func(a, b float32) float32 { return a + b },
		"mul": func(a, b float32) float32 { return float32(a * b) },
		"max": func(a, b float32) float32 {
			if a != a || b != b {
				return float32(math.NaN())
			}
			return max(a, b)
		},
		"min": func(a, b float32) float32 {
			if a != a || b != b {
				return float32(math.NaN())
			}
			return min(a, b)
		},
	}[red]
	fi := map[string]func(a, b int64) int64{
		"add": func(a, b int64) int64 { return dt.wrap(a + b) },
		"mul": func(a, b int64) int64 { return dt.wrap(a * b) },
		"max": func(a, b int64) int64 {
			if compareOf(dt, b, a) > 0 {
				return b
			}
			return a
		},
		"min": func(a, b int64) int64 {
			if compareOf(dt, b, a) < 0 {
				return b
			}
			return a
		},
	}[red]
	return func(t *Tensor, i int, u *Tensor, j int) {
		switch {
		case red == "none":
			t.put(i, u, j)
		case dt == Float32:
			t.F[i] = ff(t.F[i], u.F[j])
		default:
			t.I[i] = fi(t.I[i], u.I[j])
		}
	}, nil
}

func buildScatterElements(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 3, 3); err != nil {
		return nil, err
	}
	dt, shape, ishape := in[0].DType, in[0].Shape, in[1].Shape
	if !indexType(in[1].DType) || in[2].DType != dt || !sameShape(in[2].Shape, ishape) {
		return nil, n.errorf("data %s %v, indices %s %v, updates %s %v: want int64/int32 indices and updates of the data's type, shaped as the indices",
			dt, shape, in[1].DType, ishape, in[2].DType, in[2].Shape)
	}
	geo, err := elementsGeometryOf(n, shape, ishape)
	if err != nil {
		return nil, err
	}
	combine, err := scatterReduce(n, dt)
	if err != nil {
		return nil, err
	}
	size := numel(ishape)
	return &step{outs: []TensorInfo{{DType: dt, Shape: shape}}, flops: i64(numel(shape) + size), run: func(x []*Tensor, _ int) []*Tensor {
		t := newOf(dt, shape)
		copy(t.F, x[0].F)
		copy(t.I, x[0].I)
		for e := 0; e < size; e++ {
			combine(t, geo.offset(e, x[1].I[e]), x[2], e)
		}
		return []*Tensor{t}
	}}, nil
}

// ndGeometry checks GatherND/ScatterND's data and indices shapes: q index
// tuples of length k into data after batch_dims b, each selecting a slice
// of `slice` elements.
func ndGeometry(n *Node, data, idx []int, b int) (k, slice int, err error) {
	if len(idx) < 1 || b < 0 || b >= len(idx) || b > len(data) {
		return 0, 0, n.errorf("indices %v, data %v, batch_dims %d", idx, data, b)
	}
	for d := 0; d < b; d++ {
		if idx[d] != data[d] {
			return 0, 0, n.errorf("batch dimension %d: indices %v, data %v", d, idx, data)
		}
	}
	k = idx[len(idx)-1]
	if k < 1 || b+k > len(data) {
		return 0, 0, n.errorf("index tuples of length %d into data %v after %d batch dimensions", k, data, b)
	}
	return k, numel(data[b+k:]), nil
}

func buildGatherND(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 2, 2); err != nil {
		return nil, err
	}
	if !indexType(in[1].DType) {
		return nil, n.errorf("indices are %s, want int64 or int32", in[1].DType)
	}
	bd, err := n.attrInt("batch_dims", 0)
	if err != nil {
		return nil, err
	}
	data, idx := in[0].Shape, in[1].Shape
	k, slice, err := ndGeometry(n, data, idx, int(bd))
	if err != nil {
		return nil, err
	}
	b := int(bd)
	out := append(append([]int{}, idx[:len(idx)-1]...), data[b+k:]...)
	if err := checkShape(out); err != nil {
		return nil, n.errorf("output: %v", err)
	}
	dt := in[0].DType
	tuples := numel(idx[:len(idx)-1])
	perBatch := max(1, tuples/max(1, numel(idx[:b])))
	dstr := strides(data)
	return &step{outs: []TensorInfo{{DType: dt, Shape: out}}, flops: i64(numel(out)), run: func(x []*Tensor, _ int) []*Tensor {
		t := newOf(dt, out)
		for q := 0; q < tuples; q++ {
			off := (q / perBatch) * numel(data[b:])
			for j := 0; j < k; j++ {
				off += fixIndex(x[1].I[q*k+j], data[b+j]) * dstr[b+j]
			}
			for s := 0; s < slice; s++ {
				t.put(q*slice+s, x[0], off+s)
			}
		}
		return []*Tensor{t}
	}}, nil
}

func buildScatterND(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 3, 3); err != nil {
		return nil, err
	}
	dt, data, idx := in[0].DType, in[0].Shape, in[1].Shape
	if !indexType(in[1].DType) || in[2].DType != dt {
		return nil, n.errorf("indices %s and updates %s: want int64/int32 indices and updates of the data's type %s", in[1].DType, in[2].DType, dt)
	}
	k, slice, err := ndGeometry(n, data, idx, 0)
	if err != nil {
		return nil, err
	}
	want := append(append([]int{}, idx[:len(idx)-1]...), data[k:]...)
	if !sameShape(in[2].Shape, want) {
		return nil, n.errorf("updates %v, want %v", in[2].Shape, want)
	}
	combine, err := scatterReduce(n, dt)
	if err != nil {
		return nil, err
	}
	tuples := numel(idx[:len(idx)-1])
	dstr := strides(data)
	return &step{outs: []TensorInfo{{DType: dt, Shape: data}}, flops: i64(numel(data) + numel(want)), run: func(x []*Tensor, _ int) []*Tensor {
		t := newOf(dt, data)
		copy(t.F, x[0].F)
		copy(t.I, x[0].I)
		for q := 0; q < tuples; q++ {
			off := 0
			for j := 0; j < k; j++ {
				off += fixIndex(x[1].I[q*k+j], data[j]) * dstr[j]
			}
			for s := 0; s < slice; s++ {
				combine(t, off+s, x[2], q*slice+s)
			}
		}
		return []*Tensor{t}
	}}, nil
}
