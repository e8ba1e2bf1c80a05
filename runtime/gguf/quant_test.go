package gguf

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"
)

var quantTypes = []uint32{GGMLQ4_0, GGMLQ4_1, GGMLQ5_0, GGMLQ5_1, GGMLQ8_0, GGMLQ4_K, GGMLQ5_K, GGMLQ6_K}

// testValues are n values of one of several shapes, from the LCG.
func testValues(shape int, n int) []float32 {
	g := lcg(uint64(7 + shape))
	src := make([]float32, n)
	for i := range src {
		u := float64(int32(g.next())) / (1 << 31)
		switch shape {
		case 0: // uniform in (-1, 1)
			src[i] = float32(u)
		case 1: // heavy tails
			src[i] = float32(u * u * u * 100)
		case 2: // all positive, offset: the min matters
			src[i] = float32(math.Abs(u) + 3)
		case 3: // magnitudes over ten octaves
			src[i] = float32(u * math.Ldexp(1, int(g.next()%10)))
		case 4: // sparse, with exact zeros
			if g.next()%4 == 0 {
				src[i] = float32(u * 1e-3)
			}
		}
	}
	return src
}

func spread(x []float32) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range x {
		lo, hi = math.Min(lo, float64(v)), math.Max(hi, float64(v))
	}
	return lo, hi
}

// halfErr bounds the error of storing x as fp16: half a unit in the last
// place, relative for normal halves, 2^-25 for subnormal ones.
func halfErr(x float64) float64 { return math.Max(math.Abs(x)/2048, 0x1p-25) }

// Quantizing then dequantizing stays within the type's step: for the
// 32-element types half a step (a whole one where the reference clamps
// the top quant: q4_0, q5_0), plus the fp16 rounding of the scale and
// min; for the K-quants a step of the sub-block plus half a step of the
// super-block (the 6- or 8-bit sub-block scales are relative to the
// super-block's largest), and every fp16 rounding.
func TestQuantizeError(t *testing.T) {
	const n = 1 << 13
	for _, typ := range quantTypes {
		blockElems, _, _ := Geometry(typ)
		sub := map[uint32]int{GGMLQ4_K: 32, GGMLQ5_K: 32, GGMLQ6_K: 16}[typ]
		for shape := 0; shape < 5; shape++ {
			src := testValues(shape, n)
			raw, err := Quantize(typ, src)
			if err != nil {
				t.Fatalf("%s shape %d: %v", TypeName(typ), shape, err)
			}
			out := make([]float32, n)
			if err := Dequantize(typ, raw, out); err != nil {
				t.Fatal(err)
			}
			var worst float64
			for b := 0; b < n; b += int(blockElems) {
				lo, hi := spread(src[b : b+int(blockElems)])
				amax := math.Max(hi, -lo)
				for i := b; i < b+int(blockElems); i++ {
					var bound float64
					switch typ {
					case GGMLQ4_0:
						bound = amax/8 + 8*halfErr(amax/8)
					case GGMLQ5_0:
						bound = amax/16 + 16*halfErr(amax/16)
					case GGMLQ8_0:
						bound = amax/127/2 + 127*halfErr(amax/127)
					case GGMLQ4_1:
						bound = (hi-lo)/15/2 + 15*halfErr((hi-lo)/15) + halfErr(lo)
					case GGMLQ5_1:
						bound = (hi-lo)/31/2 + 31*halfErr((hi-lo)/31) + halfErr(lo)
					default:
						s := i / sub * sub
						slo, shi := spread(src[s : s+sub])
						if typ == GGMLQ6_K {
							bound = 2*math.Max(shi, -slo)/63 + math.Max(hi, -lo)/63
						} else {
							nmax := map[uint32]float64{GGMLQ4_K: 15, GGMLQ5_K: 31}[typ]
							bound = (shi-math.Min(slo, 0))/nmax + (hi-math.Min(lo, 0))/nmax/2
						}
						// The fp16 super-block scale (about amax/4096 for q6_K, more
						// for the others) times scale and quant, up to 4096.
						bound += 4096 * halfErr(amax/4096)
					}
					e := math.Abs(float64(src[i]) - float64(out[i]))
					if e > bound {
						t.Fatalf("%s shape %d [%d]: %v became %v, error %g over %g", TypeName(typ), shape, i, src[i], out[i], e, bound)
					}
					if bound > 0 {
						worst = math.Max(worst, e/bound)
					}
				}
			}
			if shape != 4 && worst < 0.1 {
				t.Errorf("%s shape %d: error at most %.3f of the bound: the bound tells nothing", TypeName(typ), shape, worst)
			}
		}
	}
}

// Hand-worked blocks for the 32-element types: roundf halves away from
// zero, the (int8_t) casts truncate, q4_0 and q5_0 clamp the top quant.
func TestQuantizeByHand(t *testing.T) {
	block := func(head ...float32) []float32 {
		x := make([]float32, 32)
		copy(x, head)
		return x
	}
	for _, c := range []struct {
		name string
		typ  uint32
		src  []float32
		want []byte // the block's first bytes
	}{
		// amax 127: d = 1 (0x3c00); 63.5 -> 64, -63.5 -> -64, 0.5 -> 1, 2.5 -> 3, -0.4 -> 0.
		{"q8_0 roundf", GGMLQ8_0, block(127, 63.5, -63.5, 0.5, 2.5, -0.4, -127), []byte{0x00, 0x3c, 127, 64, 0xc0, 1, 3, 0, 0x81}},
		// max -8 (the first of largest magnitude): d = 1; x+8.5 truncated:
		// -8 -> 0, 7.9 -> 16 -> 15 (clamped), 8 -> 15, -0.5 -> 8, 0 -> 8, -0.6 -> 7;
		// elements j and j+16 share byte j, low nibble and high.
		{"q4_0 clamp", GGMLQ4_0, append(block(-8, 7.9, -0.5, -0.6)[:16], block(8, 0.49)[:16]...), []byte{0x00, 0x3c, 0xf0, 0x8f, 0x88, 0x87}},
		// min 0, max 15: d = 1, m = 0; (x-0)*1+0.5 truncated: 2.5 -> 3, 2.49 -> 2, 15 -> 15.
		{"q4_1", GGMLQ4_1, append(block(0, 2.5, 2.49, 15)[:16], block(14.6)[:16]...), []byte{0x00, 0x3c, 0x00, 0x00, 0xf0, 0x03, 0x02, 0x0f}},
		// max -16: d = 1; -16 -> 0, 15.9+16.5 -> 32 -> 31, 1 -> 17, 0 -> 16:
		// every fifth bit but element 0's is set.
		{"q5_0", GGMLQ5_0, block(-16, 15.9, 0, 1), []byte{0x00, 0x3c, 0xfe, 0xff, 0xff, 0xff, 0x00, 0x0f, 0x00, 0x01}},
		// min 0, max 31: d = 1; 31 -> 31 with no clamp needed; 16.5 -> 17.
		{"q5_1", GGMLQ5_1, block(0, 31, 16.5), []byte{0x00, 0x3c, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x0f, 0x01}},
	} {
		got, err := Quantize(c.typ, c.src)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if string(got[:len(c.want)]) != string(c.want) {
			t.Errorf("%s: % x, want % x", c.name, got[:len(c.want)], c.want)
		}
	}
	// Integers within ±127 with amax 127 round-trip exactly through q8_0.
	x := make([]float32, 256)
	for i := range x {
		x[i] = float32(i%255 - 127)
	}
	x[0], x[32], x[64], x[96], x[128], x[160], x[192], x[224] = 127, 127, -127, 127, -127, 127, 127, -127
	raw, _ := Quantize(GGMLQ8_0, x)
	y := make([]float32, 256)
	if err := Dequantize(GGMLQ8_0, raw, y); err != nil {
		t.Fatal(err)
	}
	for i := range x {
		if x[i] != y[i] {
			t.Fatalf("q8_0 [%d]: %v became %v", i, x[i], y[i])
		}
	}
}

// All-zero blocks quantize to blocks that give zeros back, for every type.
func TestQuantizeZeros(t *testing.T) {
	for _, typ := range append(quantTypes, GGMLF16, GGMLBF16, GGMLF32) {
		raw, err := Quantize(typ, make([]float32, 512))
		if err != nil {
			t.Fatal(err)
		}
		out := make([]float32, 512)
		for i := range out {
			out[i] = 1
		}
		if err := Dequantize(typ, raw, out); err != nil {
			t.Fatal(err)
		}
		for i, v := range out {
			if v != 0 {
				t.Fatalf("%s: zero [%d] became %v", TypeName(typ), i, v)
			}
		}
	}
}

func TestQuantizeRefusals(t *testing.T) {
	ok := make([]float32, 256)
	for _, c := range []struct {
		name string
		typ  uint32
		src  []float32
		want string
	}{
		{"partial block", GGMLQ4_0, ok[:48], "whole number of q4_0 blocks"},
		{"partial super-block", GGMLQ6_K, ok[:128], "whole number of q6_K blocks"},
		{"q2_K", 10, ok, "ggml type 10 (q2_K) is not supported"},
		{"NaN", GGMLQ8_0, append([]float32{float32(math.NaN())}, ok[:31]...), "element 0 is NaN"},
		{"Inf", GGMLQ4_K, append(append([]float32(nil), ok[:255]...), float32(math.Inf(-1))), "element 255 is -Inf"},
		// A block whose largest magnitude is subnormal: 1/d overflows to
		// Inf and the reference's (int8_t) conversion is undefined.
		{"tiny q4_0", GGMLQ4_0, append([]float32{1e-39, 5e-40}, ok[:30]...), "undefined"},
		{"tiny q4_1", GGMLQ4_1, append([]float32{1e-39, 5e-40}, ok[:30]...), "undefined"},
		{"tiny q5_0", GGMLQ5_0, append([]float32{-1e-39}, ok[:31]...), "undefined"},
		{"tiny q5_1", GGMLQ5_1, append([]float32{1e-39}, ok[:31]...), "undefined"},
		{"tiny q8_0", GGMLQ8_0, append([]float32{1e-39}, ok[:31]...), "undefined"},
	} {
		if _, err := Quantize(c.typ, c.src); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	// Not refused: tiny values the K-quants and float types handle, and
	// tiny values whose block scale is still invertible.
	for _, typ := range []uint32{GGMLQ4_K, GGMLQ5_K, GGMLQ6_K, GGMLF16, GGMLBF16} {
		if _, err := Quantize(typ, append([]float32{1e-39}, ok[:255]...)); err != nil {
			t.Errorf("%s of a tiny value: %v", TypeName(typ), err)
		}
	}
	if _, err := Quantize(GGMLQ8_0, append([]float32{1e-36}, ok[:31]...)); err != nil {
		t.Errorf("q8_0 of 1e-36: %v", err)
	}
	// NaN and Inf are converted, not refused, by the float types.
	if raw, err := Quantize(GGMLF16, []float32{float32(math.NaN()), float32(math.Inf(1))}); err != nil ||
		binary.LittleEndian.Uint16(raw) != 0x7e00 || binary.LittleEndian.Uint16(raw[2:]) != 0x7c00 {
		t.Errorf("f16 of NaN, Inf: % x %v", raw, err)
	}
}

func TestBF16(t *testing.T) {
	for _, c := range []struct {
		bits uint32
		want uint16
	}{
		{0x3f800000, 0x3f80},
		{0x3f808000, 0x3f80}, // tie: to even
		{0x3f818000, 0x3f82}, // tie: to even, up
		{0x3f808001, 0x3f81}, // above the tie
		{0x7f7fffff, 0x7f80}, // rounds up to Inf
		{0xff800000, 0xff80},
		{0x7f800001, 0x7fc0}, // signalling NaN: top bits kept, made quiet
		{0xffc12345, 0xffc1},
		{0x00000001, 0x0000}, // the smallest subnormal rounds to 0
	} {
		raw, err := Quantize(GGMLBF16, []float32{math.Float32frombits(c.bits)})
		if err != nil || binary.LittleEndian.Uint16(raw) != c.want {
			t.Errorf("bf16 of %#08x = % x %v, want %#04x", c.bits, raw, err, c.want)
		}
	}
}

// FloatToHalf (the fp16 of every quantizer's scales) agrees with ggml's
// ggml_compute_fp32_to_fp16, transcribed below, over every exponent and
// sign with mantissas around each rounding boundary.
func TestFloatToHalfMatchesGGML(t *testing.T) {
	tails := []uint32{0, 1, 0xfff, 0x1000, 0x1001, 0x1fff, 0x2000, 0x3000, 0x7fffff, 0x400000, 0x7ff000, 0x7fefff}
	for hi := uint32(0); hi < 1<<9; hi++ { // sign and exponent
		for m := uint32(0); m < 1<<10; m++ { // the mantissa bits a half keeps
			for _, tail := range tails {
				bits := hi<<23 | (m<<13|tail)&0x7fffff
				f := math.Float32frombits(bits)
				if got, want := FloatToHalf(f), ggmlFloatToHalf(f); got != want {
					t.Fatalf("FloatToHalf(%#08x) = %#04x, ggml gives %#04x", bits, got, want)
				}
			}
		}
	}
}

// ggmlFloatToHalf transcribes ggml_compute_fp32_to_fp16 (ggml-impl.h).
func ggmlFloatToHalf(f float32) uint16 {
	base := float32(float32(abs32(f)*0x1p+112) * 0x1p-110)
	w := math.Float32bits(f)
	shl1W := w + w
	sign := w & 0x80000000
	bias := shl1W & 0xff000000
	if bias < 0x71000000 {
		bias = 0x71000000
	}
	base = math.Float32frombits(bias>>1+0x07800000) + base
	bits := math.Float32bits(base)
	expBits := bits >> 13 & 0x00007c00
	mantissaBits := bits & 0x00000fff
	nonsign := expBits + mantissaBits
	if shl1W > 0xff000000 {
		return uint16(sign>>16) | 0x7e00
	}
	return uint16(sign>>16) | uint16(nonsign)
}
