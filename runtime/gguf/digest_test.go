package gguf

import "testing"

// The digests of ggml's own reference functions over the same inputs:
// ggml-quants.c (dequantize_row_*, quantize_row_*_ref) and ggml-impl.h's
// fp16/bf16 conversions from llama.cpp commit 80fb11ac, compiled with
// gcc 12 -O2 -ffp-contract=off for x86-64, fed the LCG streams of
// digest.go, the NaNs of the quantised types' outputs canonicalised as
// Dequantize does. The same values come out of GOAMD64=v1, v3 and arm64.
const (
	ggmlDequantDigest = "1f7308dafc738dfed7446aa6cadff344cacb2d5cdeb8a0ff4a4bca242b61898a"
	ggmlQuantDigest   = "11f351976034f87be37c670a7a1391dc70e9b4f98caee17c5261926b68721ac4"
)

func TestDigestsMatchGGML(t *testing.T) {
	if got := DequantDigest(); got != ggmlDequantDigest {
		t.Errorf("DequantDigest() = %s, ggml's reference gives %s", got, ggmlDequantDigest)
	}
	if got := QuantDigest(); got != ggmlQuantDigest {
		t.Errorf("QuantDigest() = %s, ggml's reference gives %s", got, ggmlQuantDigest)
	}
}

// The digest inputs reach the cases they are meant to: non-finite and
// subnormal fp16 scales among the random blocks, and quantizer inputs
// that all quantize (no refusal text hashed).
func TestDigestInputs(t *testing.T) {
	g := lcg(1)
	var inf, nan, sub int
	for _, typ := range digestTypes {
		raw := digestBytes(&g, typ, 4096)
		if typ != GGMLQ4_0 {
			continue
		}
		for b := 0; b < len(raw); b += 18 {
			h := uint16(raw[b]) | uint16(raw[b+1])<<8
			switch {
			case h&0x7c00 == 0x7c00 && h&0x3ff == 0:
				inf++
			case h&0x7c00 == 0x7c00:
				nan++
			case h&0x7c00 == 0 && h&0x3ff != 0:
				sub++
			}
		}
	}
	if inf == 0 || nan == 0 || sub == 0 {
		t.Errorf("q4_0 scales of DequantDigest: %d Inf, %d NaN, %d subnormal", inf, nan, sub)
	}
	src := digestValues(1 << 16)
	for _, typ := range digestTypes {
		if _, err := Quantize(typ, src); err != nil {
			t.Errorf("%s: %v", TypeName(typ), err)
		}
	}
}
