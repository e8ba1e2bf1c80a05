package runtime

import (
	"fmt"
	"math"
)

// Operators over every integer type (dtype_int.go), each exact: Max and
// Min of one or more integer operands and Clip (registered with their
// float32 forms in op_nary.go),
// BitShift (unsigned types; a shift of the width or more gives 0), Mod
// (integers: fmod=0 takes the divisor's sign as Python's %, fmod=1 the
// dividend's as C's %; float32 needs fmod=1: math.Mod, whose result is
// exact, so every CPU agrees).
func init() {
	register("BitShift", buildBitShift)
	register("Mod", byFloat64(float64Mod, halfExact(buildMod)))
}

// sameIntegerType requires every input to be of in[0]'s integer type.
func sameIntegerType(n *Node, in []TensorInfo) (DType, error) {
	dt := in[0].DType
	for i := range in {
		if i > 0 && in[i].absent() {
			continue // an omitted optional input (Clip's min)
		}
		if !in[i].DType.integer() || in[i].DType != dt {
			return 0, n.errorf("input %d is %s: want every input of one integer type (%s)", i, in[i].DType, dt)
		}
	}
	return dt, nil
}

// intExtreme is Max (want 1) or Min (want −1) of one or more operands of
// one integer type, broadcast together.
func intExtreme(want int) builder {
	return func(n *Node, in []TensorInfo) (*step, error) {
		if len(in) < 1 {
			return nil, n.errorf("needs at least one input")
		}
		dt, err := sameIntegerType(n, in)
		if err != nil {
			return nil, err
		}
		shapes := make([][]int, len(in))
		for i := range in {
			shapes[i] = in[i].Shape
		}
		return broadcastStep(n, shapes, dt, len(in), func(t *Tensor, x []*Tensor, i int, off []int) {
			v := x[0].I[off[0]]
			for k := 1; k < len(x); k++ {
				if w := x[k].I[off[k]]; compareOf(dt, w, v) == want {
					v = w
				}
			}
			t.I[i] = v
		})
	}
}

// intClip clamps integers to optional scalar bounds of their type
// (inputs, as Clip takes them from opset 11; integer types from 12).
func intClip(n *Node, in []TensorInfo) (*step, error) {
	if n.Opset < 12 {
		return nil, n.errorf("integer Clip needs opset 12 or later (opset %d)", n.Opset)
	}
	if err := wantInputs(n, in, 1, 3); err != nil {
		return nil, err
	}
	dt, err := sameIntegerType(n, in)
	if err != nil {
		return nil, err
	}
	for i := 1; i < len(in); i++ {
		if !in[i].absent() && numel(in[i].Shape) != 1 {
			return nil, n.errorf("bound %d must be a scalar, got shape %v", i, in[i].Shape)
		}
	}
	shape := in[0].Shape
	size := numel(shape)
	return &step{outs: []TensorInfo{{DType: dt, Shape: shape}}, flops: i64(size), run: func(x []*Tensor, _ int) []*Tensor {
		t := newOf(dt, shape)
		for i, v := range x[0].I {
			if len(x) > 1 && x[1] != nil && compareOf(dt, v, x[1].I[0]) < 0 {
				v = x[1].I[0]
			}
			if len(x) > 2 && x[2] != nil && compareOf(dt, v, x[2].I[0]) > 0 {
				v = x[2].I[0]
			}
			t.I[i] = v
		}
		return []*Tensor{t}
	}}, nil
}

func buildBitShift(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 2, 2); err != nil {
		return nil, err
	}
	dt, err := sameIntegerType(n, in)
	if err != nil {
		return nil, err
	}
	if !dt.unsigned() {
		return nil, n.errorf("input is %s: BitShift takes unsigned types", dt)
	}
	dir, err := n.attrString("direction", "")
	if err != nil {
		return nil, err
	}
	if dir != "LEFT" && dir != "RIGHT" {
		return nil, n.errorf("direction %q: want LEFT or RIGHT", dir)
	}
	bits := uint64(8 * dt.width())
	return broadcastStep(n, [][]int{in[0].Shape, in[1].Shape}, dt, 1, func(t *Tensor, x []*Tensor, i int, off []int) {
		v, s := uint64(x[0].I[off[0]]), uint64(x[1].I[off[1]])
		switch {
		case s >= bits:
			v = 0
		case dir == "LEFT":
			v <<= s
		default:
			v >>= s
		}
		t.I[i] = dt.wrap(int64(v))
	})
}

func buildMod(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 2, 2); err != nil {
		return nil, err
	}
	fmod, err := n.attrInt("fmod", 0)
	if err != nil {
		return nil, err
	}
	if fmod != 0 && fmod != 1 {
		return nil, n.errorf("fmod is %d: want 0 or 1", fmod)
	}
	if in[0].DType == Float32 {
		if in[1].DType != Float32 {
			return nil, n.errorf("inputs are %s and %s: want one type", in[0].DType, in[1].DType)
		}
		if fmod != 1 {
			return nil, n.errorf("float inputs need fmod=1")
		}
		return broadcastStep(n, [][]int{in[0].Shape, in[1].Shape}, Float32, 1, func(t *Tensor, x []*Tensor, i int, off []int) {
			t.F[i] = float32(math.Mod(float64(x[0].F[off[0]]), float64(x[1].F[off[1]])))
		})
	}
	dt, err := sameIntegerType(n, in)
	if err != nil {
		return nil, err
	}
	return broadcastStep(n, [][]int{in[0].Shape, in[1].Shape}, dt, 1, func(t *Tensor, x []*Tensor, i int, off []int) {
		t.I[i] = intMod(dt, x[0].I[off[0]], x[1].I[off[1]], fmod == 1)
	})
}

// intMod is a mod b with the sign of a (fmod) or of b; b = 0 fails the
// item's run as division by zero does.
func intMod(dt DType, a, b int64, fmod bool) int64 {
	if b == 0 {
		panic(fmt.Sprintf("integer modulo of %d by zero", a))
	}
	if dt == UInt64 {
		return int64(uint64(a) % uint64(b))
	}
	if b == -1 {
		return 0 // MinInt64 % -1 is 0 as well; spelled out for clarity
	}
	r := a % b
	if !fmod && r != 0 && (r < 0) != (b < 0) {
		r += b
	}
	return r
}
