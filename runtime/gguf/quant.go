package gguf

// Quantization: ggml's reference quantize_row_*_ref (ggml-quants.c) in Go,
// bit for bit. As in dequant.go every product that feeds a sum is wrapped
// in float32(...) so that nothing is fused into a multiply-add.

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Quantize encodes src, a whole number of blocks of ggml type typ, as
// ggml's reference quantizer (quantize_row_*_ref, what ggml_quantize_chunk
// runs without an importance matrix) encodes it, bit for bit: f32 as its
// bits, f16 as FloatToHalf (which is ggml_compute_fp32_to_fp16), bf16 as
// ggml_compute_fp32_to_bf16, and q4_0, q4_1, q5_0, q5_1, q8_0, q4_K, q5_K,
// q6_K block by block, each float operation rounded on its own in the C
// order (a C build that contracts into fused multiply-adds differs).
//
// The quantised types refuse non-finite values, and the 32-element types
// refuse a block in which the reference would convert a value outside the
// integer type's range to it (undefined in C, so CPUs differ): this
// happens only when a block's scale is so small (its largest magnitude,
// or its range, below about 4e-37) that the scale's reciprocal overflows.
func Quantize(typ uint32, src []float32) ([]byte, error) {
	size, err := RowBytes(typ, uint64(len(src)))
	if err != nil {
		return nil, err
	}
	g := geometries[typ]
	out := make([]byte, size)
	switch typ {
	case GGMLF32:
		for i, v := range src {
			binary.LittleEndian.PutUint32(out[4*i:], math.Float32bits(v))
		}
		return out, nil
	case GGMLF16:
		for i, v := range src {
			binary.LittleEndian.PutUint16(out[2*i:], FloatToHalf(v))
		}
		return out, nil
	case GGMLBF16:
		for i, v := range src {
			binary.LittleEndian.PutUint16(out[2*i:], floatToBF16(v))
		}
		return out, nil
	}
	for i, v := range src {
		if v-v != 0 { // NaN or ±Inf
			return nil, fmt.Errorf("%s: element %d is %v; only finite values are quantised", TypeName(typ), i, v)
		}
	}
	var block func(x []float32, y []byte) error
	switch typ {
	case GGMLQ4_0:
		block = quantQ4_0
	case GGMLQ4_1:
		block = quantQ4_1
	case GGMLQ5_0:
		block = quantQ5_0
	case GGMLQ5_1:
		block = quantQ5_1
	case GGMLQ8_0:
		block = quantQ8_0
	case GGMLQ4_K:
		block = func(x []float32, y []byte) error { quantQ4_K(x, y); return nil }
	case GGMLQ5_K:
		block = func(x []float32, y []byte) error { quantQ5_K(x, y); return nil }
	case GGMLQ6_K:
		block = func(x []float32, y []byte) error { quantQ6_K(x, y); return nil }
	}
	for i := uint64(0); i < uint64(len(src))/g.elems; i++ {
		if err := block(src[i*g.elems:(i+1)*g.elems], out[i*g.bytes:(i+1)*g.bytes]); err != nil {
			return nil, fmt.Errorf("%s block %d: %w", TypeName(typ), i, err)
		}
	}
	return out, nil
}

// floatToBF16 is ggml_compute_fp32_to_bf16: round to nearest even on the
// bits, a NaN kept (its top bits) and made quiet.
func floatToBF16(f float32) uint16 {
	u := math.Float32bits(f)
	if u&0x7fffffff > 0x7f800000 {
		return uint16(u>>16) | 64
	}
	return uint16((u + (0x7fff + (u>>16)&1)) >> 16)
}

// errRange is the refusal where C's float-to-integer conversion would be
// undefined.
var errRange = fmt.Errorf("the reference quantizer's float-to-integer conversion is undefined here (the block's scale is too small for its reciprocal)")

// toInt8 is C's (int8_t)f, which truncates toward zero; ok is false where
// C leaves it undefined (NaN, or out of range after truncation).
func toInt8(f float32) (int8, bool) {
	if !(f > -129 && f < 128) {
		return 0, false
	}
	return int8(f), true
}

// toUint8 is C's (uint8_t)f, likewise.
func toUint8(f float32) (uint8, bool) {
	if !(f > -1 && f < 256) {
		return 0, false
	}
	return uint8(f), true
}

// absmax returns the block's value of largest magnitude, the first of
// equal magnitudes (the loop of quantize_row_q4_0_ref and q5_0_ref).
func absmax(x []float32) float32 {
	var amax, m float32
	for _, v := range x {
		if a := abs32(v); amax < a {
			amax, m = a, v
		}
	}
	return m
}

// minmax is the min/max loop of quantize_row_q4_1_ref and q5_1_ref.
func minmax(x []float32) (lo, hi float32) {
	lo, hi = math.MaxFloat32, -math.MaxFloat32
	for _, v := range x {
		if v < lo {
			lo = v
		}
		if v > hi {
			hi = v
		}
	}
	return lo, hi
}

func abs32(f float32) float32 { return math.Float32frombits(math.Float32bits(f) &^ (1 << 31)) }

// reciprocal is `d ? 1.0f/d : 0.0f`.
func reciprocal(d float32) float32 {
	if d != 0 {
		return 1 / d
	}
	return 0
}

// quantQ4_0 is quantize_row_q4_0_ref for one block:
//
//	d = max / -8 (max the value of largest magnitude), id = 1/d (0 if d is 0)
//	q = MIN(15, (int8_t)(x*id + 8.5f)), x*id rounded first.
func quantQ4_0(x []float32, y []byte) error {
	d := absmax(x) / -8
	id := reciprocal(d)
	binary.LittleEndian.PutUint16(y, FloatToHalf(d))
	for j := 0; j < qk/2; j++ {
		x0 := float32(x[j] * id)
		x1 := float32(x[qk/2+j] * id)
		xi0, ok0 := toInt8(x0 + 8.5)
		xi1, ok1 := toInt8(x1 + 8.5)
		if !ok0 || !ok1 {
			return errRange
		}
		y[2+j] = uint8(minInt8(15, xi0)) | uint8(minInt8(15, xi1))<<4
	}
	return nil
}

// quantQ4_1 is quantize_row_q4_1_ref:
//
//	d = (max - min) / 15, id = 1/d (0 if d is 0), m = min
//	q = MIN(15, (int8_t)((x - min)*id + 0.5f)), each step rounded.
func quantQ4_1(x []float32, y []byte) error {
	lo, hi := minmax(x)
	d := (hi - lo) / 15
	id := reciprocal(d)
	binary.LittleEndian.PutUint16(y, FloatToHalf(d))
	binary.LittleEndian.PutUint16(y[2:], FloatToHalf(lo))
	for j := 0; j < qk/2; j++ {
		x0 := float32((x[j] - lo) * id)
		x1 := float32((x[qk/2+j] - lo) * id)
		xi0, ok0 := toInt8(x0 + 0.5)
		xi1, ok1 := toInt8(x1 + 0.5)
		if !ok0 || !ok1 {
			return errRange
		}
		y[4+j] = uint8(minInt8(15, xi0)) | uint8(minInt8(15, xi1))<<4
	}
	return nil
}

// quantQ5_0 is quantize_row_q5_0_ref:
//
//	d = max / -16, id = 1/d (0 if d is 0)
//	q = MIN(31, (int8_t)(x*id + 16.5f)); low nibbles as q4_0, fifth bits
//	in qh (bit j for element j).
func quantQ5_0(x []float32, y []byte) error {
	d := absmax(x) / -16
	id := reciprocal(d)
	binary.LittleEndian.PutUint16(y, FloatToHalf(d))
	var qh uint32
	for j := 0; j < qk/2; j++ {
		x0 := float32(x[j] * id)
		x1 := float32(x[qk/2+j] * id)
		xi0, ok0 := toInt8(x0 + 16.5)
		xi1, ok1 := toInt8(x1 + 16.5)
		if !ok0 || !ok1 {
			return errRange
		}
		q0, q1 := uint8(minInt8(31, xi0)), uint8(minInt8(31, xi1))
		y[6+j] = q0&0x0f | (q1&0x0f)<<4
		qh |= uint32(q0&0x10) >> 4 << uint(j)
		qh |= uint32(q1&0x10) >> 4 << uint(j+qk/2)
	}
	binary.LittleEndian.PutUint32(y[2:], qh)
	return nil
}

// quantQ5_1 is quantize_row_q5_1_ref:
//
//	d = (max - min) / 31, id = 1/d (0 if d is 0), m = min
//	q = (uint8_t)((x - min)*id + 0.5f), packed as q5_0.
func quantQ5_1(x []float32, y []byte) error {
	lo, hi := minmax(x)
	d := (hi - lo) / 31
	id := reciprocal(d)
	binary.LittleEndian.PutUint16(y, FloatToHalf(d))
	binary.LittleEndian.PutUint16(y[2:], FloatToHalf(lo))
	var qh uint32
	for j := 0; j < qk/2; j++ {
		x0 := float32((x[j] - lo) * id)
		x1 := float32((x[qk/2+j] - lo) * id)
		q0, ok0 := toUint8(x0 + 0.5)
		q1, ok1 := toUint8(x1 + 0.5)
		if !ok0 || !ok1 {
			return errRange
		}
		y[8+j] = q0&0x0f | (q1&0x0f)<<4
		qh |= uint32(q0&0x10) >> 4 << uint(j)
		qh |= uint32(q1&0x10) >> 4 << uint(j+qk/2)
	}
	binary.LittleEndian.PutUint32(y[4:], qh)
	return nil
}

// quantQ8_0 is quantize_row_q8_0_ref:
//
//	d = amax / 127, id = 1/d (0 if d is 0), q = roundf(x*id) (half away
//	from zero).
func quantQ8_0(x []float32, y []byte) error {
	var amax float32
	for _, v := range x {
		if a := abs32(v); !(amax > a) { // MAX(amax, fabsf(v))
			amax = a
		}
	}
	d := amax / 127
	id := reciprocal(d)
	binary.LittleEndian.PutUint16(y, FloatToHalf(d))
	for j := 0; j < qk; j++ {
		x0 := float32(x[j] * id)
		q, ok := toInt8(float32(math.Round(float64(x0))))
		if !ok {
			return errRange
		}
		y[2+j] = uint8(q)
	}
	return nil
}

func minInt8(a, b int8) int8 {
	if a < b {
		return a
	}
	return b
}
