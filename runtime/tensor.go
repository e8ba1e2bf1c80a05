package runtime

import (
	"encoding/binary"
	"fmt"
	"math"
)

// DType is the element type of a Tensor, numbered as ONNX numbers them.
// The runtime computes in float32; int64 tensors carry token ids, shapes
// and axes (Gather's indices, Reshape's second input) and integer
// arithmetic; the narrower integer types (dtype_int.go) are stored as
// int64 and wrapped to their width; bool tensors carry conditions
// (comparisons, masks for Where).
type DType uint8

const (
	// Float32 tensors hold their elements in Tensor.F.
	Float32 DType = 1
	// Int64 tensors hold their elements in Tensor.I.
	Int64 DType = 7
	// Bool tensors hold their elements in Tensor.I as 0 (false) or 1
	// (true); they encode as one byte each, as ONNX does.
	Bool DType = 9
)

// ints reports whether the type keeps its elements in Tensor.I.
func (d DType) ints() bool { return d == Bool || d.integer() || d == Float64 }

// String names the type as ONNX does.
func (d DType) String() string {
	switch d {
	case Float32:
		return "float32"
	case Int64:
		return "int64"
	case Bool:
		return "bool"
	case UInt8:
		return "uint8"
	case Int8:
		return "int8"
	case UInt16:
		return "uint16"
	case Int16:
		return "int16"
	case Int32:
		return "int32"
	case UInt32:
		return "uint32"
	case UInt64:
		return "uint64"
	case Float64:
		return "float64"
	case Float16:
		return "float16"
	case BFloat16:
		return "bfloat16"
	}
	return fmt.Sprintf("dtype(%d)", uint8(d))
}

// Tensor is a dense row-major (C order) tensor. A rank-0 tensor has an empty
// Shape and one element.
type Tensor struct {
	DType DType
	Shape []int
	F     []float32
	I     []int64
}

// NewTensor returns a zero float32 tensor of the given shape.
func NewTensor(shape ...int) *Tensor {
	return &Tensor{DType: Float32, Shape: append([]int(nil), shape...), F: make([]float32, numel(shape))}
}

// FromFloats wraps data (not copied) as a float32 tensor; it checks the size.
func FromFloats(shape []int, data []float32) (*Tensor, error) {
	if err := checkShape(shape); err != nil {
		return nil, err
	}
	if numel(shape) != len(data) {
		return nil, fmt.Errorf("shape %v needs %d elements, got %d", shape, numel(shape), len(data))
	}
	return &Tensor{DType: Float32, Shape: append([]int(nil), shape...), F: data}, nil
}

// FromInts wraps data (not copied) as an int64 tensor; it checks the size.
func FromInts(shape []int, data []int64) (*Tensor, error) {
	if err := checkShape(shape); err != nil {
		return nil, err
	}
	if numel(shape) != len(data) {
		return nil, fmt.Errorf("shape %v needs %d elements, got %d", shape, numel(shape), len(data))
	}
	return &Tensor{DType: Int64, Shape: append([]int(nil), shape...), I: data}, nil
}

// FromBools wraps data as a bool tensor; it checks the size.
func FromBools(shape []int, data []bool) (*Tensor, error) {
	if err := checkShape(shape); err != nil {
		return nil, err
	}
	if numel(shape) != len(data) {
		return nil, fmt.Errorf("shape %v needs %d elements, got %d", shape, numel(shape), len(data))
	}
	v := make([]int64, len(data))
	for i, b := range data {
		if b {
			v[i] = 1
		}
	}
	return &Tensor{DType: Bool, Shape: append([]int(nil), shape...), I: v}, nil
}

// BoolsFromBytes decodes the canonical bool encoding (one byte, 0 or 1,
// per element, as Bytes writes it) for a tensor of the given shape.
func BoolsFromBytes(shape []int, b []byte) (*Tensor, error) {
	if err := checkShape(shape); err != nil {
		return nil, err
	}
	if numel(shape) != len(b) {
		return nil, fmt.Errorf("%d bytes for %d bool elements", len(b), numel(shape))
	}
	v := make([]int64, len(b))
	for i, x := range b {
		if x > 1 {
			return nil, fmt.Errorf("bool element %d is %d, want 0 or 1", i, x)
		}
		v[i] = int64(x)
	}
	return &Tensor{DType: Bool, Shape: append([]int(nil), shape...), I: v}, nil
}

// Len is the number of elements.
func (t *Tensor) Len() int { return numel(t.Shape) }

// Rank is the number of dimensions.
func (t *Tensor) Rank() int { return len(t.Shape) }

// Bytes returns the canonical encoding of the elements: little-endian
// float32 (IEEE 754 bits, every NaN as CanonicalNaN), little-endian
// integers in their type's width (int64 8 bytes, int32 4, ...), float64 in
// eight (its IEEE bits, every NaN as CanonicalNaN64), float16
// and bfloat16 in two (their own bits, NaN canonical), or one byte (0 or 1)
// per bool, in row-major order. It is what the trace hashes and what the weight
// Merkle leaves commit to.
func (t *Tensor) Bytes() []byte {
	if t.DType == Bool {
		b := make([]byte, len(t.I))
		for i, v := range t.I {
			if v != 0 {
				b[i] = 1
			}
		}
		return b
	}
	if t.DType == Float64 {
		b := make([]byte, 8*len(t.I))
		for i, v := range t.I {
			u := uint64(v)
			if u&0x7ff0000000000000 == 0x7ff0000000000000 && u&0xfffffffffffff != 0 {
				u = CanonicalNaN64
			}
			binary.LittleEndian.PutUint64(b[8*i:], u)
		}
		return b
	}
	if t.DType.half() {
		b := make([]byte, 2*len(t.F))
		for i, v := range t.F {
			binary.LittleEndian.PutUint16(b[2*i:], halfBits(t.DType, v))
		}
		return b
	}
	if t.DType.integer() {
		w := t.DType.width()
		b := make([]byte, w*len(t.I))
		for i, v := range t.I {
			putLE(b[w*i:], w, uint64(v))
		}
		return b
	}
	b := make([]byte, 4*len(t.F))
	for i, v := range t.F {
		binary.LittleEndian.PutUint32(b[4*i:], canonicalBits(v))
	}
	return b
}

// CanonicalNaN is the one encoding every NaN has in Bytes (a positive quiet
// NaN). CPUs differ in the NaN an invalid operation produces — amd64 sets
// the sign bit (0xffc00000), arm64 does not (0x7fc00000) — so Sqrt(−1) or
// 0/0 would otherwise hash differently on two honest validators.
const CanonicalNaN uint32 = 0x7fc00000

// canonicalBits is v's IEEE bits, with every NaN as CanonicalNaN.
func canonicalBits(v float32) uint32 {
	if v != v {
		return CanonicalNaN
	}
	return math.Float32bits(v)
}

// numel multiplies the dimensions; callers validate shapes first so the
// product cannot overflow (see checkShape and Limits).
func numel(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// maxElements bounds any single tensor the runtime will describe, whatever
// the Limits: it keeps every size computation far from int overflow.
const maxElements = 1 << 40

// MaxRank bounds every tensor's rank: index arithmetic is per dimension,
// so an unbounded rank is unbounded work per element (and x/verde's
// referee takes tensors of rank 8 at most).
const MaxRank = 8

// checkShape rejects ranks above MaxRank, negative dimensions and products
// that would overflow.
func checkShape(shape []int) error {
	if len(shape) > MaxRank {
		return fmt.Errorf("rank %d: at most %d", len(shape), MaxRank)
	}
	// The product of the non-zero dimensions is bounded too: an empty
	// tensor may not carry huge dimensions into the kernels' index math.
	n := 1
	for _, d := range shape {
		if d < 0 {
			return fmt.Errorf("negative dimension in shape %v", shape)
		}
		if d == 0 {
			continue
		}
		if n > maxElements/d {
			return fmt.Errorf("shape %v has more than 2^40 elements (or non-zero dimensions whose product does)", shape)
		}
		n *= d
	}
	return nil
}

// strides returns row-major strides for shape.
func strides(shape []int) []int {
	s := make([]int, len(shape))
	acc := 1
	for i := len(shape) - 1; i >= 0; i-- {
		s[i] = acc
		acc *= shape[i]
	}
	return s
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// newOf allocates a zero tensor of type dt (its elements in F or I, as the
// type keeps them). The shape is not copied.
func newOf(dt DType, shape []int) *Tensor {
	t := &Tensor{DType: dt, Shape: shape}
	if dt.ints() {
		t.I = make([]int64, numel(shape))
	} else {
		t.F = make([]float32, numel(shape))
	}
	return t
}

// put sets element i of t to element j of src, a tensor of t's type: the
// one element copy of every data-movement operator.
func (t *Tensor) put(i int, src *Tensor, j int) {
	if t.DType.ints() {
		t.I[i] = src.I[j]
	} else {
		t.F[i] = src.F[j]
	}
}
