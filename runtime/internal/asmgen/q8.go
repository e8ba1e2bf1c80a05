package main

import (
	"bytes"
	"fmt"
)

// q8 describes one amd64 matrix-vector tile over Q8_0 weights: vecs
// vectors of output columns (16 lanes in Z registers, 8 in Y). For each
// term t the tile broadcasts x[t], widens the t-th row of int8 quants to
// int32 and then float32 (exact), multiplies by the block's scales (exact:
// an 8-bit quant times a binary16 scale fits a float32 mantissa), so each
// lane holds exactly the dequantized weight w, and then does
// acc = acc + (x·w) as a multiply and an add, as the float kernels do.
type q8 struct {
	name  string
	vecs  int
	reg   string
	lanes int
}

// emit writes func name(y, x *float32, q *int8, d *float32, k, ld int):
// k terms (a positive multiple of 32, one scale row per 32), ld the
// quants' and scales' row stride in elements. Registers: accumulators
// 0..vecs-1, scales 8..8+vecs-1 (reloaded every 32 terms), the broadcast
// in 16 (Z) or 12 (Y), the widened weights in 17/18 (Z) or 13/14 (Y).
// General: y AX, x R8, q SI, d DI, k CX, ld R9, ld·4 R10, t BX, the
// block's countdown DX.
func (k q8) emit(b *bytes.Buffer) {
	p := func(format string, a ...any) { fmt.Fprintf(b, "\t"+format+"\n", a...) }
	fmt.Fprintf(b, "// func %s(y, x *float32, q *int8, d *float32, k, ld int)\nTEXT ·%s(SB), NOSPLIT, $0-48\n", k.name, k.name)
	bc, t0 := 16, 17
	if k.reg == "Y" {
		bc, t0 = 12, 13
	}
	r := func(i int) string { return fmt.Sprintf("%s%d", k.reg, i) }
	off := func(i, size int) string {
		if i == 0 {
			return ""
		}
		return fmt.Sprint(i * size)
	}
	p("MOVQ y+0(FP), AX")
	for v := 0; v < k.vecs; v++ {
		p("VMOVUPS %s(AX), %s", off(v, 4*k.lanes), r(v))
	}
	p("MOVQ x+8(FP), R8")
	p("MOVQ q+16(FP), SI")
	p("MOVQ d+24(FP), DI")
	p("MOVQ k+32(FP), CX")
	p("MOVQ ld+40(FP), R9")
	p("LEAQ (R9*4), R10")
	p("XORQ BX, BX")
	fmt.Fprintf(b, "block:\n")
	for v := 0; v < k.vecs; v++ {
		p("VMOVUPS %s(DI), %s", off(v, 4*k.lanes), r(8+v))
	}
	p("MOVQ $32, DX")
	fmt.Fprintf(b, "term:\n")
	p("VBROADCASTSS (R8)(BX*4), %s", r(bc))
	for v := 0; v < k.vecs; v++ {
		t := r(t0 + v%2)
		p("VPMOVSXBD %s(SI), %s", off(v, k.lanes), t)
		p("VCVTDQ2PS %s, %s", t, t)
		p("VMULPS %s, %s, %s", r(8+v), t, t)
		p("VMULPS %s, %s, %s", r(bc), t, t)
		p("VADDPS %s, %s, %s", t, r(v), r(v))
	}
	p("ADDQ R9, SI")
	p("INCQ BX")
	p("DECQ DX")
	p("JNZ term")
	p("ADDQ R10, DI")
	p("CMPQ BX, CX")
	p("JLT block")
	for v := 0; v < k.vecs; v++ {
		p("VMOVUPS %s, %s(AX)", r(v), off(v, 4*k.lanes))
	}
	p("VZEROUPPER")
	p("RET")
	b.WriteString("\n")
}

// q8Tiles are the Q8_0 tiles: 128 and 16 columns on AVX-512, 32 and 8 on
// AVX2 (16 registers: 4 accumulators and 4 scale vectors at most).
var q8Tiles = []q8{
	{"q8x128avx512", 8, "Z", 16},
	{"q8x16avx512", 1, "Z", 16},
	{"q8x32avx2", 4, "Y", 8},
	{"q8x8avx2", 1, "Y", 8},
}
