#include "textflag.h"

// ReLU over float32 bits, eight lanes at a time (AVX2 integer ops): a lane
// becomes +0 when its sign bit is set and it is not a NaN, else it keeps its
// bits — reluSlice's rule (−0 → +0, a NaN keeps its bits, −Inf → +0).

DATA reluAbs<>+0(SB)/4, $0x7fffffff
GLOBL reluAbs<>(SB), RODATA|NOPTR, $4
DATA reluInf<>+0(SB)/4, $0x7f800000
GLOBL reluInf<>(SB), RODATA|NOPTR, $4

// func reluAVX2(dst, src *float32, n int)
// n is a positive multiple of 8.
TEXT ·reluAVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	VPBROADCASTD reluAbs<>(SB), Y14
	VPBROADCASTD reluInf<>(SB), Y15

loop:
	VMOVDQU (SI), Y0
	VPSRAD  $31, Y0, Y1   // Y1: all ones where the sign bit is set
	VPAND   Y14, Y0, Y2   // Y2: the magnitude's bits
	VPCMPGTD Y15, Y2, Y3  // Y3: all ones where Y2 > +Inf's bits (a NaN)
	VPANDN  Y1, Y3, Y4    // Y4 = ¬NaN ∧ negative: the lanes that become +0
	VPANDN  Y0, Y4, Y5    // Y5 = x with those lanes cleared
	VMOVDQU Y5, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $8, CX
	JNZ     loop
	VZEROUPPER
	RET
