#include "textflag.h"

// MaxPool's 2×2 window at stride 2, eight outputs at a time (AVX2). Output
// j takes r0[2j], r0[2j+1], r1[2j], r1[2j+1] in that order (op_pool.go's
// tap order: window rows ascending, then columns), each folded as
// maxTap does: the tap replaces the running maximum where it is greater
// (ordered compare) or a NaN. The first tap starts the fold (maxTap(−Inf,
// v) is v's bits).
//
// Even and odd columns are split with VSHUFPS, which leaves the outputs in
// the order 0,1,4,5,2,3,6,7 within the vector; every tap vector is split
// alike, so the fold is per output, and VPERMPD puts them back in order.

// fold m with tap v: m = (v > m || v ≠ v) ? v : m.
#define FOLD(v, m) \
	VCMPPS    $0x1e, m, v, Y12 \
	VCMPPS    $3, v, v, Y13    \
	VORPS     Y13, Y12, Y12    \
	VBLENDVPS Y12, v, m, m

// func maxPool2AVX2(dst, r0, r1 *float32, n int)
// n is a positive multiple of 8; r0 and r1 hold at least 2n floats.
TEXT ·maxPool2AVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ r0+8(FP), SI
	MOVQ r1+16(FP), DX
	MOVQ n+24(FP), CX

loop:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VSHUFPS $0x88, Y1, Y0, Y6 // r0's even columns: the running maxima
	VSHUFPS $0xDD, Y1, Y0, Y3 // r0's odd columns
	VMOVUPS (DX), Y0
	VMOVUPS 32(DX), Y1
	VSHUFPS $0x88, Y1, Y0, Y4
	VSHUFPS $0xDD, Y1, Y0, Y5
	FOLD(Y3, Y6)
	FOLD(Y4, Y6)
	FOLD(Y5, Y6)
	VPERMPD $0xD8, Y6, Y6
	VMOVUPS Y6, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DX
	ADDQ    $32, DI
	SUBQ    $8, CX
	JNZ     loop
	VZEROUPPER
	RET
