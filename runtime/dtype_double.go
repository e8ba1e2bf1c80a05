package runtime

import (
	"fmt"
	"math"
)

// float64 (ONNX DOUBLE). Its elements live in Tensor.I as their IEEE 754
// bits, so data movement copies them as it copies integers; Bytes writes
// the bits little-endian, every NaN as CanonicalNaN64. The operators that
// compute with float64 do it exactly as IEEE defines each + − × ÷ (every
// product wrapped in float64(...) so no compiler fuses it) and with
// detmath's exp64 and log64: Cast, CastLike, Max, Min, Mod, CumSum,
// ReduceLogSumExp, Einsum, EyeLike. Every other operator refuses float64,
// naming the type (its builders check for float32 or an integer type).
const Float64 DType = 11

// CanonicalNaN64 is the one encoding of every float64 NaN in Bytes.
const CanonicalNaN64 uint64 = 0x7ff8000000000000

// f64 is element i of a float64 tensor.
func f64(t *Tensor, i int) float64 { return math.Float64frombits(uint64(t.I[i])) }

// f64bits is v as a float64 tensor element.
func f64bits(v float64) int64 { return int64(math.Float64bits(v)) }

// FromFloat64s makes a float64 tensor of shape from data (copied).
func FromFloat64s(shape []int, data []float64) (*Tensor, error) {
	if err := checkShape(shape); err != nil {
		return nil, err
	}
	if numel(shape) != len(data) {
		return nil, fmt.Errorf("shape %v needs %d elements, got %d", shape, numel(shape), len(data))
	}
	t := &Tensor{DType: Float64, Shape: append([]int(nil), shape...), I: make([]int64, len(data))}
	for i, v := range data {
		t.I[i] = f64bits(v)
	}
	return t, nil
}

// Float64s returns a float64 tensor's elements.
func (t *Tensor) Float64s() []float64 {
	out := make([]float64, len(t.I))
	for i := range t.I {
		out[i] = f64(t, i)
	}
	return out
}

// uint64ToFloat64 rounds v to nearest even once, through the signed
// conversion, as uint64ToFloat32 does.
func uint64ToFloat64(v uint64) float64 {
	if v < 1<<63 {
		return float64(int64(v))
	}
	return 2 * float64(int64(v>>1|v&1))
}

// f64ToF32Odd rounds v to float32 toward zero and sets the last bit when
// that was inexact ("round to odd"): a second rounding to a format with
// at least two bits fewer (float16, bfloat16) then rounds v correctly,
// where two nearest-even roundings could not.
func f64ToF32Odd(v float64) float32 {
	f := float32(v)
	if v != v || float64(f) == v {
		return f
	}
	if math.Abs(float64(f)) > math.Abs(v) {
		f = math.Nextafter32(f, 0)
	}
	if float64(f) != v {
		f = math.Float32frombits(math.Float32bits(f) | 1)
	}
	return f
}

// valueAsFloat64 is element i of a float32, half, float64 or integer
// tensor as a float64 (exact, except integers beyond 2^53, rounded once).
func valueAsFloat64(t *Tensor, i int) float64 {
	switch {
	case t.DType == Float64:
		return f64(t, i)
	case !t.DType.ints():
		return float64(t.F[i])
	case t.DType == UInt64:
		return uint64ToFloat64(uint64(t.I[i]))
	}
	return float64(t.I[i])
}

// float64Fold builds Max or Min of one or more float64 operands,
// broadcast together, NaN propagating.
func float64Fold(pick func(a, b float64) bool) builder {
	return func(n *Node, in []TensorInfo) (*step, error) {
		if len(in) < 1 {
			return nil, n.errorf("needs at least one input")
		}
		shapes := make([][]int, len(in))
		for i := range in {
			if in[i].DType != Float64 {
				return nil, n.errorf("input %d is %s: want every input float64", i, in[i].DType)
			}
			shapes[i] = in[i].Shape
		}
		return broadcastStep(n, shapes, Float64, len(in), func(t *Tensor, x []*Tensor, i int, off []int) {
			v := f64(x[0], off[0])
			for k := 1; k < len(x); k++ {
				w := f64(x[k], off[k])
				if v != v || w != w {
					v = math.NaN()
				} else if pick(w, v) {
					v = w
				}
			}
			t.I[i] = f64bits(v)
		})
	}
}

// byFloat64 builds f64 for float64 inputs and other for the rest.
func byFloat64(f64b, other builder) builder {
	return func(n *Node, in []TensorInfo) (*step, error) {
		if len(in) > 0 && in[0].DType == Float64 {
			return f64b(n, in)
		}
		return other(n, in)
	}
}

// float64Mod is Mod of two float64 operands (fmod=1): math.Mod, exact.
func float64Mod(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 2, 2); err != nil {
		return nil, err
	}
	if in[1].DType != Float64 {
		return nil, n.errorf("inputs are float64 and %s: want one type", in[1].DType)
	}
	if fmod, err := n.attrInt("fmod", 0); err != nil {
		return nil, err
	} else if fmod != 1 {
		return nil, n.errorf("float inputs need fmod=1")
	}
	return broadcastStep(n, [][]int{in[0].Shape, in[1].Shape}, Float64, 1, func(t *Tensor, x []*Tensor, i int, off []int) {
		t.I[i] = f64bits(math.Mod(f64(x[0], off[0]), f64(x[1], off[1])))
	})
}
