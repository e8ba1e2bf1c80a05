package gguf

import (
	"encoding/binary"
	"math"
	"testing"
)

// The expectations here are computed from hand-built blocks: the test
// packs chosen integer quants and scales by the layouts of ggml-common.h,
// decodes fp16 with its own float64 formula and does the arithmetic in
// float64, rounding to float32 after every step of the C reference (exact
// for one product or sum of float32s: double rounding through float64 is
// harmless for +, -, *). The tests also confirm that every product before
// an addition is exact, so a fused multiply-add gives the same bits.

// halfF64 decodes a binary16 independently of HalfToFloat.
func halfF64(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp, mant := int(h>>10&0x1f), float64(h&0x3ff)
	switch {
	case exp == 0x1f && mant == 0:
		return math.Inf(int(sign))
	case exp == 0x1f:
		return math.NaN()
	case exp == 0:
		return sign * math.Ldexp(mant, -24)
	}
	return sign * math.Ldexp(1024+mant, exp-25)
}

// r32 rounds a float64 to float32 (one C operation's rounding).
func r32(x float64) float64 { return float64(float32(x)) }

// testScales are fp16 scales of every kind: ±1, ±subnormal (smallest and
// largest), smallest normal, largest finite, inexact, zero, -0.
var testScales = []uint16{0x3c00, 0xbc00, 0x0001, 0x8001, 0x03ff, 0x83ff, 0x0400, 0x7bff, 0xfbff, 0x3555, 0xb0e3, 0x1234, 0x0000, 0x8000}

func le16(b []byte, v uint16) { binary.LittleEndian.PutUint16(b, v) }

// checkBlock dequantizes one block and compares every element's bits.
func checkBlock(t *testing.T, typ uint32, block []byte, want []float64) {
	t.Helper()
	got := make([]float32, len(want))
	if err := Dequantize(typ, block, got); err != nil {
		t.Fatal(err)
	}
	for i, w := range want {
		if math.Float32bits(got[i]) != math.Float32bits(float32(w)) {
			t.Fatalf("%s element %d = %v (%#08x), want %v (%#08x)", TypeName(typ), i, got[i], math.Float32bits(got[i]), float32(w), math.Float32bits(float32(w)))
		}
	}
}

// packLegacy builds a q4_0/q4_1/q5_0/q5_1 block from quants q[0..31]
// (unbiased, 0..15 or 0..31): element j<16 in byte j's low nibble,
// element j+16 in its high nibble, fifth bits at bit j of qh.
func packLegacy(typ uint32, d, m uint16, q []int) []byte {
	_, size, _ := Geometry(typ)
	b := make([]byte, size)
	le16(b, d)
	off := 2
	if typ == GGMLQ4_1 || typ == GGMLQ5_1 {
		le16(b[2:], m)
		off = 4
	}
	if typ == GGMLQ5_0 || typ == GGMLQ5_1 {
		var qh uint32
		for j, v := range q {
			qh |= uint32(v>>4&1) << j
		}
		binary.LittleEndian.PutUint32(b[off:], qh)
		off += 4
	}
	for j := 0; j < 16; j++ {
		b[off+j] = byte(q[j]&0xf) | byte(q[j+16]&0xf)<<4
	}
	return b
}

func TestDequantizeLegacy(t *testing.T) {
	for _, typ := range []uint32{GGMLQ4_0, GGMLQ4_1, GGMLQ5_0, GGMLQ5_1} {
		levels, bias := 16, 8
		if typ == GGMLQ5_0 || typ == GGMLQ5_1 {
			levels, bias = 32, 16
		}
		withMin := typ == GGMLQ4_1 || typ == GGMLQ5_1
		for si, d := range testScales {
			m := testScales[(si+5)%len(testScales)]
			// Over `levels` blocks every element position sees every quant.
			for k := 0; k < levels; k++ {
				q := make([]int, 32)
				for j := range q {
					q[j] = (j*7 + k) % levels
				}
				want := make([]float64, 32)
				for j, v := range q {
					if withMin {
						p := r32(float64(v) * halfF64(d))
						want[j] = r32(p + halfF64(m))
						if float32(math.FMA(float64(v), halfF64(d), halfF64(m))) != float32(want[j]) {
							t.Fatalf("%s: q*d is not exact for q %d, d %#04x", TypeName(typ), v, d)
						}
					} else {
						want[j] = r32(float64(v-bias) * halfF64(d))
					}
				}
				checkBlock(t, typ, packLegacy(typ, d, m, q), want)
			}
		}
	}
}

func TestDequantizeQ8_0(t *testing.T) {
	for _, d := range testScales {
		for k := 0; k < 8; k++ { // 8 blocks of 32: every int8 value
			b := make([]byte, 34)
			le16(b, d)
			want := make([]float64, 32)
			for j := 0; j < 32; j++ {
				v := int8(k*32 + j)
				b[2+j] = byte(v)
				want[j] = r32(float64(v) * halfF64(d))
			}
			checkBlock(t, GGMLQ8_0, b, want)
		}
	}
}

// packScalesK packs eight 6-bit scales and mins as get_scale_min_k4 reads
// them: sub-blocks 0..3 in the low 6 bits of bytes j and j+4; 4..7 with
// the low 4 bits in byte j+4's nibbles and the top 2 bits in the top bits
// of bytes j-4 (scale) and j (min).
func packScalesK(sc, mn [8]int) []byte {
	b := make([]byte, 12)
	for j := 0; j < 4; j++ {
		b[j] = byte(sc[j]) | byte(sc[j+4]>>4)<<6
		b[j+4] = byte(mn[j]) | byte(mn[j+4]>>4)<<6
		b[j+8] = byte(sc[j+4]&0xf) | byte(mn[j+4]&0xf)<<4
	}
	return b
}

// TestDequantizeQ4Q5K covers every 6-bit scale and min at every sub-block
// index (64 blocks), every quant at every position, and every kind of
// d and dmin.
func TestDequantizeQ4Q5K(t *testing.T) {
	for _, typ := range []uint32{GGMLQ4_K, GGMLQ5_K} {
		levels := 16
		if typ == GGMLQ5_K {
			levels = 32
		}
		for k := 0; k < 64; k++ {
			d, dmin := testScales[k%len(testScales)], testScales[(k*3+1)%len(testScales)]
			var sc, mn [8]int
			for j := range sc {
				sc[j] = (k + 7*j) % 64
				mn[j] = (3*k + 5*j + 1) % 64
			}
			q := make([]int, 256)
			for e := range q {
				q[e] = (e*5 + k) % levels
			}
			_, size, _ := Geometry(typ)
			b := make([]byte, size)
			le16(b, d)
			le16(b[2:], dmin)
			copy(b[4:16], packScalesK(sc, mn))
			// Element e: 64-element chunk c, half h (low or high nibble),
			// position l: nibble of qs[32c+l], fifth bit 2c+h of qh[l].
			qs := b[16:]
			if typ == GGMLQ5_K {
				qs = b[48:]
			}
			want := make([]float64, 256)
			for e, v := range q {
				c, h, l := e/64, e%64/32, e%32
				qs[32*c+l] |= byte(v&0xf) << (4 * h)
				if v >= 16 {
					b[16+l] |= 1 << (2*c + h)
				}
				d1 := r32(halfF64(d) * float64(sc[2*c+h]))
				m1 := r32(halfF64(dmin) * float64(mn[2*c+h]))
				want[e] = r32(r32(d1*float64(v)) - m1)
				if float32(math.FMA(d1, float64(v), -m1)) != float32(want[e]) {
					t.Fatalf("%s: d1*q is not exact for q %d, d1 %v", TypeName(typ), v, d1)
				}
			}
			checkBlock(t, typ, b, want)
		}
	}
}

// TestDequantizeQ6K covers every int8 scale (-128..127 over the 256
// blocks, at every one of the 16 positions) and every 6-bit quant at
// every position.
func TestDequantizeQ6K(t *testing.T) {
	for k := 0; k < 256; k++ {
		d := testScales[k%len(testScales)]
		b := make([]byte, 210)
		le16(b[208:], d)
		var sc [16]int8
		for s := range sc {
			sc[s] = int8(k + s*17) // over the blocks every value at every s
			b[192+s] = byte(sc[s])
		}
		want := make([]float64, 256)
		for e := range want {
			v := (e*3 + k) % 64 // stored quant; the value is v-32
			// Element e: half hf, quarter qd, position l: nibble of
			// ql[64hf + l + 32(qd&1)] (low for qd<2), bits 2qd of qh[32hf+l],
			// scale 8hf + 2qd + l/16.
			hf, qd, l := e/128, e%128/32, e%32
			b[64*hf+l+32*(qd&1)] |= byte(v&0xf) << (4 * (qd / 2))
			b[128+32*hf+l] |= byte(v>>4) << (2 * qd)
			s := sc[8*hf+2*qd+l/16]
			want[e] = r32(r32(halfF64(d)*float64(s)) * float64(v-32))
		}
		checkBlock(t, GGMLQ6_K, b, want)
	}
}

// Inf and NaN scales give Inf where C does and the one canonical NaN
// where C gives a NaN.
func TestDequantizeNonFinite(t *testing.T) {
	inf := math.Inf(1)
	for _, c := range []struct {
		typ  uint32
		d, m uint16
	}{{GGMLQ4_0, 0x7c00, 0}, {GGMLQ4_0, 0x7e01, 0}, {GGMLQ8_0, 0xfc00, 0}, {GGMLQ4_1, 0x3c00, 0x7d00}, {GGMLQ5_1, 0x7c00, 0xfc00}} {
		q := make([]int, 32)
		for j := range q {
			q[j] = j % 16
		}
		var b []byte
		if c.typ == GGMLQ8_0 {
			b = make([]byte, 34)
			le16(b, c.d)
			for j := range q {
				b[2+j] = byte(int8(q[j] - 8))
			}
		} else {
			b = packLegacy(c.typ, c.d, c.m, q)
		}
		got := make([]float32, 32)
		if err := Dequantize(c.typ, b, got); err != nil {
			t.Fatal(err)
		}
		for j, v := range got {
			qv := float64(q[j])
			if c.typ == GGMLQ4_0 || c.typ == GGMLQ8_0 {
				qv -= 8
			}
			want := qv * halfF64(c.d)
			if c.typ == GGMLQ4_1 || c.typ == GGMLQ5_1 {
				want += halfF64(c.m)
			}
			if want != want {
				if math.Float32bits(v) != canonicalNaN {
					t.Errorf("%s d %#x m %#x [%d] = %#08x, want the canonical NaN", TypeName(c.typ), c.d, c.m, j, math.Float32bits(v))
				}
			} else if float64(v) != want || math.Abs(want) != inf {
				t.Errorf("%s d %#x m %#x [%d] = %v, want %v", TypeName(c.typ), c.d, c.m, j, v, want)
			}
		}
	}
}

// A K-quant block with a NaN or Inf super-block scale gives Inf or the
// canonical NaN, never another NaN.
func TestDequantizeNonFiniteK(t *testing.T) {
	for _, c := range []struct {
		typ uint32
		off int
		d   uint16
	}{{GGMLQ4_K, 0, 0x7c00}, {GGMLQ5_K, 2, 0xfe00}, {GGMLQ6_K, 208, 0x7c01}} {
		_, size, _ := Geometry(c.typ)
		b := make([]byte, size)
		for i := range b {
			b[i] = byte(i * 37)
		}
		le16(b[c.off:], c.d)
		got := make([]float32, 256)
		if err := Dequantize(c.typ, b, got); err != nil {
			t.Fatal(err)
		}
		nans := 0
		for i, v := range got {
			switch {
			case v != v && math.Float32bits(v) != canonicalNaN:
				t.Fatalf("%s [%d] = %#08x", TypeName(c.typ), i, math.Float32bits(v))
			case v != v:
				nans++
			case !math.IsInf(float64(v), 0) && c.off != 2: // q5_K: finite d, NaN dmin: all NaN
				t.Fatalf("%s [%d] = %v, want ±Inf or NaN", TypeName(c.typ), i, v)
			}
		}
		if nans == 0 {
			t.Errorf("%s with scale %#04x gave no NaN", TypeName(c.typ), c.d)
		}
	}
}

// HalfToFloat agrees with the independent decoding on every binary16,
// and with ggml's ggml_compute_fp16_to_fp32 (transcribed below) on every
// one, NaNs included once made quiet (halfQuiet).
func TestHalfToFloatMatchesGGML(t *testing.T) {
	for h := 0; h < 1<<16; h++ {
		f := HalfToFloat(uint16(h))
		want := halfF64(uint16(h))
		if want == want && float64(f) != want || want == want && math.Signbit(float64(f)) != math.Signbit(want) {
			t.Fatalf("HalfToFloat(%#04x) = %v, want %v", h, f, want)
		}
		if want != want && (f == f || math.Float32bits(f)>>31 != uint32(h)>>15) {
			t.Fatalf("HalfToFloat(%#04x) = %#08x, want a NaN of the same sign", h, math.Float32bits(f))
		}
		if g, c := math.Float32bits(halfQuiet(uint16(h))), ggmlHalfToFloat(uint16(h)); g != c {
			t.Fatalf("halfQuiet(%#04x) = %#08x, ggml gives %#08x", h, g, c)
		}
	}
}

// ggmlHalfToFloat transcribes ggml_compute_fp16_to_fp32 (ggml-impl.h);
// its multiply quiets a signalling NaN on IEEE hardware, as in C.
func ggmlHalfToFloat(h uint16) uint32 {
	w := uint32(h) << 16
	sign := w & 0x80000000
	twoW := w + w
	normBits := twoW>>4 + 0xe0<<23
	norm := math.Float32bits(math.Float32frombits(normBits) * 0x1p-112)
	denorm := math.Float32bits(math.Float32frombits(twoW>>17|126<<23) - 0.5)
	if twoW < 1<<27 {
		return sign | denorm
	}
	return sign | norm
}

// f32 and bf16 are widened bit for bit, NaN payloads included.
func TestDequantizeWide(t *testing.T) {
	raw := []byte{0x01, 0x00, 0x80, 0x7f, 0x00, 0x00, 0x80, 0xbf}
	got := make([]float32, 2)
	if err := Dequantize(GGMLF32, raw, got); err != nil || math.Float32bits(got[0]) != 0x7f800001 || got[1] != -1 {
		t.Fatalf("f32: %v %v", got, err)
	}
	got = make([]float32, 4)
	if err := Dequantize(GGMLBF16, raw, got); err != nil ||
		math.Float32bits(got[0]) != 0x00010000 || math.Float32bits(got[1]) != 0x7f800000 || got[2] != 0 || got[3] != -1 {
		t.Fatalf("bf16: %v %v", got, err)
	}
	// f16: a signalling NaN (0x7c01) comes out quiet, as in ggml.
	if err := Dequantize(GGMLF16, []byte{0x01, 0x7c, 0x00, 0x3c, 0x01, 0x00, 0x00, 0xfc}, got); err != nil ||
		math.Float32bits(got[0]) != 0x7fc02000 || got[1] != 1 || got[2] != float32(math.Ldexp(1, -24)) || !math.IsInf(float64(got[3]), -1) {
		t.Fatalf("f16: %v %v", got, err)
	}
}

func TestDequantizeSizes(t *testing.T) {
	out := make([]float32, 64)
	for _, c := range []struct {
		typ uint32
		raw int
		out []float32
	}{
		{GGMLQ4_0, 36, out[:48]},  // not whole blocks
		{GGMLQ4_0, 35, out[:64]},  // a byte short
		{GGMLQ4_0, 37, out[:64]},  // a byte over
		{GGMLQ6_K, 210, out[:64]}, // a super-block needs 256
		{10, 84, out[:64]},        // q2_K
		{GGMLQ8_0, 0, out[:0]},    // nothing: fine
	} {
		err := Dequantize(c.typ, make([]byte, c.raw), c.out)
		if (err == nil) != (c.raw == 0) {
			t.Errorf("%s with %d bytes into %d floats: %v", TypeName(c.typ), c.raw, len(c.out), err)
		}
	}
	// Floats checks Dims against Raw before allocating.
	for _, tt := range []Tensor{
		{Name: "short", Dims: []uint64{256}, Type: GGMLQ5_K, Raw: make([]byte, 175)},
		{Name: "dims", Dims: []uint64{256, 2}, Type: GGMLQ5_K, Raw: make([]byte, 176)},
		{Name: "huge", Dims: []uint64{1 << 40, 1 << 40}, Type: GGMLQ8_0, Raw: make([]byte, 34)},
		{Name: "zero", Dims: []uint64{0}, Type: GGMLQ8_0, Raw: nil},
		{Name: "type", Dims: []uint64{256}, Type: 10, Raw: make([]byte, 84)},
	} {
		if _, err := tt.Floats(); err == nil {
			t.Errorf("Floats of %s succeeded", tt.Name)
		}
	}
	tt := Tensor{Name: "ok", Dims: []uint64{32, 2}, Type: GGMLQ8_0, Raw: make([]byte, 68)}
	tt.Raw[0], tt.Raw[1], tt.Raw[2] = 0x00, 0x3c, 5 // d = 1, first quant 5
	if f, err := tt.Floats(); err != nil || len(f) != 64 || f[0] != 5 || f[1] != 0 {
		t.Errorf("Floats: %v %v", f, err)
	}
}
