package runtime

import (
	"encoding/binary"
	"fmt"
	"math"
)

// The integer types besides int64. Their elements live in Tensor.I in
// canonical form: a signed type's value sign-extended, an unsigned type's
// value zero-extended (uint64 keeps its 64 bits, so a value of 2^63 or more
// reads as a negative int64). Every operator that makes one wraps its
// result to the type's width, as two's-complement hardware does; Bytes
// encodes each element in the type's own width, little-endian.
const (
	UInt8  DType = 2
	Int8   DType = 3
	UInt16 DType = 4
	Int16  DType = 5
	Int32  DType = 6
	UInt32 DType = 12
	UInt64 DType = 13
)

// integer reports whether the type is one of the integer types, int64
// included (not bool).
func (d DType) integer() bool {
	switch d {
	case Int64, UInt8, Int8, UInt16, Int16, Int32, UInt32, UInt64:
		return true
	}
	return false
}

// unsigned reports whether the integer type is unsigned.
func (d DType) unsigned() bool { return d == UInt8 || d == UInt16 || d == UInt32 || d == UInt64 }

// width is the bytes of one element in the canonical encoding.
func (d DType) width() int {
	switch d {
	case UInt8, Int8, Bool:
		return 1
	case UInt16, Int16, Float16, BFloat16:
		return 2
	case Int32, UInt32, Float32:
		return 4
	}
	return 8
}

// wrap reduces v to the type's width: the value two's-complement hardware
// of that width holds after computing v.
func (d DType) wrap(v int64) int64 {
	switch d {
	case UInt8:
		return int64(uint8(v))
	case Int8:
		return int64(int8(v))
	case UInt16:
		return int64(uint16(v))
	case Int16:
		return int64(int16(v))
	case Int32:
		return int64(int32(v))
	case UInt32:
		return int64(uint32(v))
	}
	return v
}

// checkCanonical refuses integer elements outside their type's range (a
// tensor built in Go with an int8 of 300, say): kernels rely on it.
func checkCanonical(t *Tensor) error {
	if t.DType.half() {
		for i, v := range t.F {
			if v == v && roundHalf(t.DType, v) != v {
				return fmt.Errorf("element %d is %v, not a %s value", i, v, t.DType)
			}
		}
		return nil
	}
	if !t.DType.integer() && t.DType != Bool {
		return nil
	}
	for i, v := range t.I {
		ok := t.DType.wrap(v) == v
		if t.DType == Bool {
			ok = v == 0 || v == 1
		}
		if !ok {
			return fmt.Errorf("element %d is %d, out of range for %s", i, v, t.DType)
		}
	}
	return nil
}

// FromTyped wraps data (not copied) as a tensor of integer type dt; it
// checks the size and that every element is within the type's range.
func FromTyped(dt DType, shape []int, data []int64) (*Tensor, error) {
	if !dt.integer() {
		return nil, fmt.Errorf("%s is not an integer type", dt)
	}
	t, err := FromInts(shape, data)
	if err != nil {
		return nil, err
	}
	t.DType = dt
	return t, checkCanonical(t)
}

// TensorFromBytes decodes the canonical encoding that Bytes writes
// (little-endian, each type in its own width; bool one byte of 0 or 1) for
// a tensor of the given type and shape. Every float32 bit pattern is
// accepted as it is.
func TensorFromBytes(dt DType, shape []int, b []byte) (*Tensor, error) {
	if err := checkShape(shape); err != nil {
		return nil, err
	}
	n := numel(shape)
	switch {
	case dt == Bool:
		return BoolsFromBytes(shape, b)
	case dt == Float32:
		if len(b) != 4*n {
			return nil, fmt.Errorf("%d bytes for %d float32 elements", len(b), n)
		}
		f := make([]float32, n)
		for i := range f {
			f[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		}
		return FromFloats(shape, f)
	case dt.half():
		if len(b) != 2*n {
			return nil, fmt.Errorf("%d bytes for %d %s elements", len(b), n, dt)
		}
		f := make([]float32, n)
		for i := range f {
			f[i] = fromHalfBits(dt, binary.LittleEndian.Uint16(b[2*i:]))
		}
		return &Tensor{DType: dt, Shape: append([]int(nil), shape...), F: f}, nil
	case dt.integer() || dt == Float64:
		w := dt.width()
		if len(b) != w*n {
			return nil, fmt.Errorf("%d bytes for %d %s elements", len(b), n, dt)
		}
		v := make([]int64, n)
		for i := range v {
			v[i] = dt.wrap(int64(readLE(b[w*i:], w)))
		}
		if dt == Float64 {
			return &Tensor{DType: Float64, Shape: append([]int(nil), shape...), I: v}, nil
		}
		return FromTyped(dt, shape, v)
	}
	return nil, fmt.Errorf("dtype %d is not supported (float32, float64, float16, bfloat16, bool and the integer types)", uint8(dt))
}

// readLE reads a w-byte little-endian unsigned integer.
func readLE(b []byte, w int) uint64 {
	switch w {
	case 1:
		return uint64(b[0])
	case 2:
		return uint64(binary.LittleEndian.Uint16(b))
	case 4:
		return uint64(binary.LittleEndian.Uint32(b))
	}
	return binary.LittleEndian.Uint64(b)
}

// putLE writes v's low w bytes little-endian.
func putLE(b []byte, w int, v uint64) {
	switch w {
	case 1:
		b[0] = byte(v)
	case 2:
		binary.LittleEndian.PutUint16(b, uint16(v))
	case 4:
		binary.LittleEndian.PutUint32(b, uint32(v))
	default:
		binary.LittleEndian.PutUint64(b, v)
	}
}

// SupportedDType reports whether tensors of the ONNX element type t load:
// float32, float64, float16, bfloat16, bool and the integer types.
func SupportedDType(t int32) bool {
	dt := DType(t)
	return t >= 0 && t <= 255 && (dt == Float32 || dt == Float64 || dt.half() || dt == Bool || dt.integer())
}
