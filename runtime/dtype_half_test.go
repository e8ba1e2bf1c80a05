package runtime

import (
	"math"
	"strings"
	"testing"
)

// TestHalfRoundTripAndRounding: every float16 and bfloat16 value
// survives the round trip; a float32 rounds to the nearest half value,
// ties to the even one, overflow to Inf, NaN canonical.
func TestHalfRoundTripAndRounding(t *testing.T) {
	for h := 0; h < 1<<16; h++ {
		f := f16ToF32(uint16(h))
		if f == f && f32ToF16(f) != uint16(h) {
			t.Fatalf("float16 %#x -> %v -> %#x", h, f, f32ToF16(f))
		}
		if b := bf16ToF32(uint16(h)); b == b && f32ToBF16(b) != uint16(h) {
			t.Fatalf("bfloat16 %#x -> %v -> %#x", h, b, f32ToBF16(b))
		}
	}
	check := func(name string, to func(float32) uint16, from func(uint16) float32, v float32) {
		h := to(v)
		got := float64(from(h))
		if math.IsInf(got, 0) {
			return // overflow checked below
		}
		for _, nb := range []uint16{h - 1, h + 1} {
			o := float64(from(nb))
			if o != o || math.IsInf(o, 0) || (nb^h)&0x8000 != 0 {
				continue
			}
			dg, do := math.Abs(got-float64(v)), math.Abs(o-float64(v))
			if do < dg || (do == dg && h&1 == 1) {
				t.Fatalf("%s(%v) = %v (%#x), but %v (%#x) is nearer or the even tie", name, v, got, h, o, nb)
			}
		}
	}
	s := uint64(5)
	for i := 0; i < 200000; i++ {
		s = s*6364136223846793005 + 1442695040888963407
		v := math.Float32frombits(uint32(s >> 32))
		if v != v {
			continue
		}
		check("bf16", f32ToBF16, bf16ToF32, v)
		if math.Abs(float64(v)) < 65504 {
			check("f16", f32ToF16, f16ToF32, v)
		}
		w := float32(math.Ldexp(float64(uint32(s>>40)), -int(s%40))) // many subnormal float16 and ties
		check("f16", f32ToF16, f16ToF32, w)
	}
	for _, c := range []struct {
		v    float32
		want uint16
	}{
		{65504, 0x7bff}, {65519.99, 0x7bff}, {65520, 0x7c00}, {-1e10, 0xfc00},
		{float32(math.Ldexp(1, -25)), 0}, {float32(math.Ldexp(3, -26)), 1}, {float32(math.Ldexp(1, -24)), 1},
		{float32(math.NaN()), canonicalNaN16}, {float32(math.Copysign(0, -1)), 0x8000},
	} {
		if got := f32ToF16(c.v); got != c.want {
			t.Errorf("f32ToF16(%v) = %#x, want %#x", c.v, got, c.want)
		}
	}
	if f32ToBF16(float32(math.NaN())) != canonicalNaNBF16 || f32ToBF16(math.MaxFloat32) != 0x7f80 {
		t.Error("bfloat16 NaN or overflow")
	}
}

// TestHalfTensors: Cast to and from the half types, their encodings, Max
// and Mod over them, and the refusals of operators that would round.
func TestHalfTensors(t *testing.T) {
	x := mustT(t, []int{4}, 1.0009765625, 1.00048828125, -70000, 3.14159)
	h, err := runGraphOp(t, "Cast", 13, map[string]Attr{"to": intA(int64(Float16))}, x)
	if err != nil {
		t.Fatal(err)
	}
	if h.DType != Float16 || h.F[0] != 1.0009765625 || h.F[1] != 1 || !math.IsInf(float64(h.F[2]), -1) || h.F[3] != 3.140625 {
		t.Fatalf("float32 -> float16: %v %v", h.DType, h.F)
	}
	if b := h.Bytes(); len(b) != 8 || b[0] != 0x01 || b[1] != 0x3c {
		t.Fatalf("float16 bytes % x", b)
	}
	back, err := TensorFromBytes(Float16, []int{4}, h.Bytes())
	if err != nil || OutputHash(back) != OutputHash(h) {
		t.Fatalf("float16 bytes round trip: %v", err)
	}
	y, err := runGraphOp(t, "Max", 13, nil, h, h)
	if err != nil || y.DType != Float16 || y.F[3] != 3.140625 {
		t.Fatalf("Max of float16: %v %v", y, err)
	}
	m, err := runGraphOp(t, "Mod", 13, map[string]Attr{"fmod": intA(1)}, h, h)
	if err != nil || m.DType != Float16 {
		t.Fatalf("Mod of float16: %v %v", m, err)
	}
	if _, err := runGraphOp(t, "Add", 14, nil, h, h); err == nil || !strings.Contains(err.Error(), "float16") {
		t.Fatalf("Add of float16 (it would round): %v", err)
	}
	bad := &Tensor{DType: Float16, Shape: []int{1}, F: []float32{1.0001}}
	if _, err := runGraphOp(t, "Max", 13, nil, bad); err == nil || !strings.Contains(err.Error(), "not a float16 value") {
		t.Fatalf("a non-float16 value as a float16 input: %v", err)
	}
}
