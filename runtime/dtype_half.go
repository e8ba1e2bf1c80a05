package runtime

import "math"

// float16 and bfloat16. Their elements live in Tensor.F as the float32
// values they represent exactly (every half value is a float32), so data
// movement treats them as float32; Bytes encodes each in two bytes (its
// own bits, every NaN canonical). Rounding to them is round-to-nearest-
// even on the bits (f32ToF16, f32ToBF16), the same on every CPU. Cast
// converts to and from them; Max, Min and Mod (exact operations: the
// result is one of the operands, or an exact remainder) take them; other
// operators refuse them, naming the type.
const (
	Float16  DType = 10
	BFloat16 DType = 16
)

// half reports whether the type is float16 or bfloat16.
func (d DType) half() bool { return d == Float16 || d == BFloat16 }

// Canonical NaNs of the half types, as CanonicalNaN is float32's.
const (
	canonicalNaN16   uint16 = 0x7e00
	canonicalNaNBF16 uint16 = 0x7fc0
)

// f32ToF16 rounds f to the nearest float16 (ties to even): overflow to
// ±Inf, gradual underflow through the subnormals, NaN canonical.
func f32ToF16(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int(b>>23) & 0xff
	man := b & 0x7fffff
	switch {
	case exp == 0xff && man != 0:
		return canonicalNaN16
	case exp == 0xff:
		return sign | 0x7c00
	}
	e := exp - 127 + 15
	if e >= 0x1f {
		return sign | 0x7c00
	}
	if e >= 1 { // normal: drop 13 bits, ties to even; a carry moves into the exponent
		v := uint32(e)<<10 | man>>13
		rem := man & 0x1fff
		if rem > 0x1000 || (rem == 0x1000 && v&1 == 1) {
			v++
		}
		if v >= 0x7c00 {
			return sign | 0x7c00
		}
		return sign | uint16(v)
	}
	// subnormal: f = M·2^(exp−150) with M the 24-bit significand; in
	// units of 2^−24 that is M >> (126 − exp)
	if exp == 0 {
		return sign // float32 subnormals are far below float16's
	}
	m := man | 0x800000
	s := uint(126 - exp)
	if s > 25 {
		return sign
	}
	q := m >> s
	rem := m & (1<<s - 1)
	half := uint32(1) << (s - 1)
	if rem > half || (rem == half && q&1 == 1) {
		q++
	}
	return sign | uint16(q)
}

// f16ToF32 is the float32 a float16 represents (exact).
func f16ToF32(h uint16) float32 {
	sign := uint32(h&0x8000) << 16
	exp := uint32(h>>10) & 0x1f
	man := uint32(h & 0x3ff)
	switch {
	case exp == 0x1f:
		return math.Float32frombits(sign | 0x7f800000 | man<<13)
	case exp == 0:
		v := float32(man) * (1.0 / (1 << 24)) // exact: at most 10 bits times a power of two
		if sign != 0 {
			return -v
		}
		return v
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | man<<13)
}

// f32ToBF16 rounds f to the nearest bfloat16 (ties to even), NaN canonical.
func f32ToBF16(f float32) uint16 {
	if f != f {
		return canonicalNaNBF16
	}
	b := math.Float32bits(f)
	b += 0x7fff + (b>>16)&1
	return uint16(b >> 16)
}

// bf16ToF32 is the float32 a bfloat16 represents (exact).
func bf16ToF32(h uint16) float32 { return math.Float32frombits(uint32(h) << 16) }

// roundHalf rounds a float32 to the half type dt and back: the value a
// tensor of dt holds.
func roundHalf(dt DType, f float32) float32 {
	if dt == BFloat16 {
		return bf16ToF32(f32ToBF16(f))
	}
	return f16ToF32(f32ToF16(f))
}

// halfBits is the canonical two-byte encoding of a half value.
func halfBits(dt DType, f float32) uint16 {
	if dt == BFloat16 {
		return f32ToBF16(f)
	}
	return f32ToF16(f)
}

// fromHalfBits is the value of a half type's bits.
func fromHalfBits(dt DType, h uint16) float32 {
	if dt == BFloat16 {
		return bf16ToF32(h)
	}
	return f16ToF32(h)
}

// halfExact lets a float32 builder take float16 or bfloat16 operands when
// its result is exact (one of the operands, or an exact remainder), so it
// is a value of the half type already: the same kernel, the output tagged
// with the operands' type.
func halfExact(b builder) builder {
	return func(n *Node, in []TensorInfo) (*step, error) {
		if len(in) == 0 || !in[0].DType.half() {
			return b(n, in)
		}
		dt := in[0].DType
		f := make([]TensorInfo, len(in))
		for i := range in {
			if in[i].DType != dt {
				return nil, n.errorf("inputs are %s and %s: want one type", dt, in[i].DType)
			}
			f[i] = in[i]
			f[i].DType = Float32
		}
		st, err := b(n, f)
		if err != nil {
			return nil, err
		}
		for i := range st.outs {
			st.outs[i].DType = dt
		}
		run := st.run
		st.run = func(x []*Tensor, workers int) []*Tensor {
			res := run(x, workers)
			for i, r := range res {
				t := *r
				t.DType = dt
				res[i] = &t
			}
			return res
		}
		return st, nil
	}
}
