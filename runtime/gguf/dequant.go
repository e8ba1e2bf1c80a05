package gguf

// Dequantization: ggml's reference dequantize_row_* (ggml-quants.c) in Go.
//
// The order of operations below is canonical: results reach consensus, so
// every product and sum is rounded to float32 on its own, in the C
// reference's order, as C does without contraction. Each product that
// feeds an addition is wrapped in float32(...), which stops the Go
// compiler from fusing it into a multiply-add (it would on arm64 and on
// amd64 v3). Integers become float32 exactly (all are below 2^24).
//
// In these formats every product ahead of an addition is in fact exact
// (an fp16 scale has 11 significant bits, a 6-bit scale times a 5-bit
// quant 11 more), so each element is rounded once, at its last operation:
// a fused multiply-add would give the same bits. The quantizers (quant.go,
// quant_k.go) have no such slack.

import (
	"encoding/binary"
	"fmt"
	"math"
)

// canonicalNaN is the one NaN Dequantize writes for the quantised types.
const canonicalNaN = 0x7fc00000

// Dequantize widens raw, whole blocks of ggml type typ, into out, which
// must hold exactly their elements. It gives the float32 values of ggml's
// reference dequantize_row_* for every element that is a number; where a
// block's fp16 scale is Inf or NaN, the NaN elements of that block are
// written as the quiet NaN 0x7fc00000 (C's NaN bits depend on the CPU).
// f32 and bf16 are widened bit for bit, f16 as ggml_compute_fp16_to_fp32
// does it: HalfToFloat, except that a signalling NaN comes out quiet (C's
// float multiply quiets it; Read's Data keeps it as HalfToFloat does).
//
// The arithmetic, per element, with d, m, dmin the block's fp16 fields as
// float32, q the element's quant as an integer and each step rounded:
//
//	q4_0, q5_0, q8_0: q*d
//	q4_1, q5_1:       (q*d) + m
//	q4_K, q5_K:       d1 = d*sc, m1 = dmin*mn (sc, mn the sub-block's
//	                  6-bit scale and min), then (d1*q) - m1
//	q6_K:             (d*sc)*q (sc the sub-block's int8 scale)
//	bf16:             the 16 bits shifted up into a float32
func Dequantize(typ uint32, raw []byte, out []float32) error {
	g, ok := geometries[typ]
	if !ok {
		return unsupported(typ)
	}
	n := uint64(len(out))
	if n%g.elems != 0 {
		return fmt.Errorf("%d elements are not a whole number of %s blocks of %d", n, TypeName(typ), g.elems)
	}
	if want := n / g.elems * g.bytes; uint64(len(raw)) != want {
		return fmt.Errorf("%d elements of %s take %d bytes, got %d", n, TypeName(typ), want, len(raw))
	}
	var block func(b []byte, y []float32)
	switch typ {
	case GGMLF32:
		block = func(b []byte, y []float32) { y[0] = math.Float32frombits(binary.LittleEndian.Uint32(b)) }
	case GGMLF16:
		block = func(b []byte, y []float32) { y[0] = halfQuiet(binary.LittleEndian.Uint16(b)) }
	case GGMLBF16:
		block = func(b []byte, y []float32) { y[0] = math.Float32frombits(uint32(binary.LittleEndian.Uint16(b)) << 16) }
	case GGMLQ4_0:
		block = dequantQ4_0
	case GGMLQ4_1:
		block = dequantQ4_1
	case GGMLQ5_0:
		block = dequantQ5_0
	case GGMLQ5_1:
		block = dequantQ5_1
	case GGMLQ8_0:
		block = dequantQ8_0
	case GGMLQ4_K:
		block = dequantQ4_K
	case GGMLQ5_K:
		block = dequantQ5_K
	case GGMLQ6_K:
		block = dequantQ6_K
	}
	for i := uint64(0); i < n/g.elems; i++ {
		block(raw[i*g.bytes:(i+1)*g.bytes], out[i*g.elems:(i+1)*g.elems])
	}
	return nil
}

// Floats returns t's elements as float32: Data when it is set, otherwise
// Raw dequantized into a new slice (see Dequantize).
func (t *Tensor) Floats() ([]float32, error) {
	if t.Data != nil {
		return t.Data, nil
	}
	if len(t.Dims) == 0 {
		return nil, fmt.Errorf("tensor %s has no dims", t.Name)
	}
	g, ok := geometries[t.Type]
	if !ok {
		return nil, fmt.Errorf("tensor %s: %w", t.Name, unsupported(t.Type))
	}
	// The elements follow from the bytes held, so a bad Dims cannot make
	// this allocate more than Raw justifies.
	n := uint64(len(t.Raw)) / g.bytes * g.elems
	want := uint64(1)
	for _, d := range t.Dims {
		if d == 0 || want > n/d {
			return nil, fmt.Errorf("tensor %s: dims %v do not match %d bytes of %s", t.Name, t.Dims, len(t.Raw), TypeName(t.Type))
		}
		want *= d
	}
	if want != n {
		return nil, fmt.Errorf("tensor %s: dims %v do not match %d bytes of %s", t.Name, t.Dims, len(t.Raw), TypeName(t.Type))
	}
	out := make([]float32, n)
	if err := Dequantize(t.Type, t.Raw, out); err != nil {
		return nil, fmt.Errorf("tensor %s: %w", t.Name, err)
	}
	return out, nil
}

// half reads the fp16 at b[0:2] as float32 (GGML_FP16_TO_FP32) and says
// whether it is finite.
func half(b []byte) (float32, bool) {
	h := binary.LittleEndian.Uint16(b)
	return HalfToFloat(h), h&0x7c00 != 0x7c00
}

// halfQuiet is ggml_compute_fp16_to_fp32: HalfToFloat with the quiet bit
// set on a NaN.
func halfQuiet(h uint16) float32 {
	f := HalfToFloat(h)
	if h&0x7c00 == 0x7c00 && h&0x3ff != 0 {
		f = math.Float32frombits(math.Float32bits(f) | 1<<22)
	}
	return f
}

// canonicalize rewrites the NaNs of y as canonicalNaN. NaN only arises
// from a non-finite scale, so blocks call it only then.
func canonicalize(y []float32) {
	for i, v := range y {
		if v != v {
			y[i] = math.Float32frombits(canonicalNaN)
		}
	}
}

// dequantQ4_0 is dequantize_row_q4_0 for one block: d, then 16 bytes whose
// low nibbles are elements 0..15 and high nibbles 16..31, each q-8.
func dequantQ4_0(b []byte, y []float32) {
	d, finite := half(b)
	qs := b[2:18]
	for j := 0; j < qk/2; j++ {
		x0 := int32(qs[j]&0x0f) - 8
		x1 := int32(qs[j]>>4) - 8
		y[j] = float32(x0) * d
		y[j+qk/2] = float32(x1) * d
	}
	if !finite {
		canonicalize(y)
	}
}

// dequantQ4_1 is dequantize_row_q4_1: d, m, nibbles as q4_0 unsigned.
func dequantQ4_1(b []byte, y []float32) {
	d, fd := half(b)
	m, fm := half(b[2:])
	qs := b[4:20]
	for j := 0; j < qk/2; j++ {
		x0 := int32(qs[j] & 0x0f)
		x1 := int32(qs[j] >> 4)
		y[j] = float32(float32(x0)*d) + m
		y[j+qk/2] = float32(float32(x1)*d) + m
	}
	if !fd || !fm {
		canonicalize(y)
	}
}

// dequantQ5_0 is dequantize_row_q5_0: d, qh (bit j is element j's fifth
// bit, little-endian uint32), nibbles as q4_0; each q-16.
func dequantQ5_0(b []byte, y []float32) {
	d, finite := half(b)
	qh := binary.LittleEndian.Uint32(b[2:])
	qs := b[6:22]
	for j := 0; j < qk/2; j++ {
		xh0 := uint8((qh>>uint(j))<<4) & 0x10
		xh1 := uint8(qh>>uint(j+12)) & 0x10
		x0 := int32(qs[j]&0x0f|xh0) - 16
		x1 := int32(qs[j]>>4|xh1) - 16
		y[j] = float32(x0) * d
		y[j+qk/2] = float32(x1) * d
	}
	if !finite {
		canonicalize(y)
	}
}

// dequantQ5_1 is dequantize_row_q5_1: d, m, qh, nibbles; q unsigned.
func dequantQ5_1(b []byte, y []float32) {
	d, fd := half(b)
	m, fm := half(b[2:])
	qh := binary.LittleEndian.Uint32(b[4:])
	qs := b[8:24]
	for j := 0; j < qk/2; j++ {
		xh0 := uint8((qh>>uint(j))<<4) & 0x10
		xh1 := uint8(qh>>uint(j+12)) & 0x10
		x0 := int32(qs[j]&0x0f | xh0)
		x1 := int32(qs[j]>>4 | xh1)
		y[j] = float32(float32(x0)*d) + m
		y[j+qk/2] = float32(float32(x1)*d) + m
	}
	if !fd || !fm {
		canonicalize(y)
	}
}

// dequantQ8_0 is dequantize_row_q8_0: d, then 32 int8 quants.
func dequantQ8_0(b []byte, y []float32) {
	d, finite := half(b)
	for j := 0; j < qk; j++ {
		y[j] = float32(int8(b[2+j])) * d
	}
	if !finite {
		canonicalize(y)
	}
}

// scaleMinK4 is get_scale_min_k4: the 6-bit scale and min of sub-block j
// (0..7) from the 12 packed bytes q. Sub-blocks 0..3 use the low 6 bits of
// q[j] and q[j+4]; 4..7 take their low 4 bits from q[j+4]'s nibbles and
// their top 2 bits from the top bits of q[j-4] (scale) and q[j] (min).
func scaleMinK4(j int, q []byte) (sc, m uint8) {
	if j < 4 {
		return q[j] & 63, q[j+4] & 63
	}
	return q[j+4]&0xf | (q[j-4]>>6)<<4, q[j+4]>>4 | (q[j]>>6)<<4
}

// dequantQ4_K is dequantize_row_q4_K: d, dmin, 12 bytes of scales, then
// 128 bytes: each 32-byte run holds two sub-blocks, the low nibbles the
// first, the high nibbles the second.
func dequantQ4_K(b []byte, y []float32) {
	d, fd := half(b)
	dmin, fm := half(b[2:])
	scales := b[4:16]
	q := b[16:144]
	for j, is := 0, 0; j < qkK; j, is = j+64, is+2 {
		sc, m := scaleMinK4(is, scales)
		d1 := float32(d * float32(sc))
		m1 := float32(dmin * float32(m))
		sc, m = scaleMinK4(is+1, scales)
		d2 := float32(d * float32(sc))
		m2 := float32(dmin * float32(m))
		for l := 0; l < 32; l++ {
			y[j+l] = float32(d1*float32(q[l]&0xf)) - m1
		}
		for l := 0; l < 32; l++ {
			y[j+32+l] = float32(d2*float32(q[l]>>4)) - m2
		}
		q = q[32:]
	}
	if !fd || !fm {
		canonicalize(y)
	}
}

// dequantQ5_K is dequantize_row_q5_K: as q4_K with a fifth bit per
// element from qh (32 bytes): sub-block 2k takes bit 2k of qh[l], 2k+1
// bit 2k+1, each adding 16.
func dequantQ5_K(b []byte, y []float32) {
	d, fd := half(b)
	dmin, fm := half(b[2:])
	scales := b[4:16]
	qh := b[16:48]
	ql := b[48:176]
	u1, u2 := uint8(1), uint8(2)
	for j, is := 0, 0; j < qkK; j, is = j+64, is+2 {
		sc, m := scaleMinK4(is, scales)
		d1 := float32(d * float32(sc))
		m1 := float32(dmin * float32(m))
		sc, m = scaleMinK4(is+1, scales)
		d2 := float32(d * float32(sc))
		m2 := float32(dmin * float32(m))
		for l := 0; l < 32; l++ {
			q := int32(ql[l] & 0xf)
			if qh[l]&u1 != 0 {
				q += 16
			}
			y[j+l] = float32(d1*float32(q)) - m1
		}
		for l := 0; l < 32; l++ {
			q := int32(ql[l] >> 4)
			if qh[l]&u2 != 0 {
				q += 16
			}
			y[j+32+l] = float32(d2*float32(q)) - m2
		}
		ql = ql[32:]
		u1 <<= 2
		u2 <<= 2
	}
	if !fd || !fm {
		canonicalize(y)
	}
}

// dequantQ6_K is dequantize_row_q6_K: ql (128 bytes of low nibbles), qh
// (64 bytes of 2-bit high parts), 16 int8 scales (one per 16 elements),
// d. Each half of 128 elements uses 64 ql, 32 qh and 8 scales: element l
// of its four quarters takes ql[l] low, ql[l+32] low, ql[l] high,
// ql[l+32] high nibble and bits 0-1, 2-3, 4-5, 6-7 of qh[l]; q-32.
func dequantQ6_K(b []byte, y []float32) {
	ql := b[0:128]
	qh := b[128:192]
	sc := b[192:208]
	d, finite := half(b[208:])
	for n := 0; n < qkK; n += 128 {
		for l := 0; l < 32; l++ {
			is := l / 16
			q1 := int32(int8(ql[l]&0xf|(qh[l]>>0&3)<<4)) - 32
			q2 := int32(int8(ql[l+32]&0xf|(qh[l]>>2&3)<<4)) - 32
			q3 := int32(int8(ql[l]>>4|(qh[l]>>4&3)<<4)) - 32
			q4 := int32(int8(ql[l+32]>>4|(qh[l]>>6&3)<<4)) - 32
			y[n+l] = float32(d*float32(int8(sc[is]))) * float32(q1)
			y[n+l+32] = float32(d*float32(int8(sc[is+2]))) * float32(q2)
			y[n+l+64] = float32(d*float32(int8(sc[is+4]))) * float32(q3)
			y[n+l+96] = float32(d*float32(int8(sc[is+6]))) * float32(q4)
		}
		ql = ql[64:]
		qh = qh[32:]
		sc = sc[8:]
	}
	if !finite {
		canonicalize(y)
	}
}
