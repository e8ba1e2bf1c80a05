package runtime

import (
	"fmt"
	"os"
)

// Vector kernels.
//
// The runtime's dot products (Gemm, MatMul, Conv) use the output-stationary
// order: every output element has one accumulator that takes its terms in
// ascending k, acc = acc + float32(a*b), one rounding for the product and
// one for the sum. That order is already the one vector units run fastest
// for these operators: a register tile holds many outputs (4 rows × 16 or
// 32 columns), each k broadcasts one A value per row and multiplies it into
// one vector of B, so vectors run across outputs and never across a sum.
// Any tiling therefore gives the same bits, and the kernels below — AVX-512,
// AVX2, arm64 NEON assembly and portable Go — differ only in speed. The
// assembly multiplies and adds with separate instructions (VMULPS/VADDPS,
// FMUL/FADD), never a fused multiply-add, whose single rounding would change
// the result.
//
// DELPHI_KERNELS caps the level used: "go" (portable Go only), "avx2"
// (no AVX-512), or unset for the best this CPU has. crossarch runs every
// level and requires identical digests.

// KernelLevel names a kernel implementation.
type KernelLevel string

// The kernel levels, lowest first.
const (
	KernelsGo     KernelLevel = "go"
	KernelsNEON   KernelLevel = "neon"
	KernelsAVX2   KernelLevel = "avx2"
	KernelsAVX512 KernelLevel = "avx512"
)

// kernels is the level in use, chosen once at start.
var kernels = chooseKernels(os.Getenv("DELPHI_KERNELS"), cpuKernels())

// Kernels reports the kernel level in use (for logs and benchmarks).
func Kernels() KernelLevel { return kernels }

// chooseKernels caps the CPU's best level by the DELPHI_KERNELS setting. An
// unknown setting panics at start rather than silently running another
// level than the operator asked for.
func chooseKernels(env string, best KernelLevel) KernelLevel {
	switch KernelLevel(env) {
	case "":
		return best
	case KernelsGo:
		return KernelsGo
	case KernelsAVX2:
		if best == KernelsAVX512 {
			return KernelsAVX2
		}
		return best
	case KernelsAVX512, KernelsNEON:
		return best
	}
	panic(fmt.Sprintf("DELPHI_KERNELS=%q: want go, avx2, avx512 or neon", env))
}

// setKernels switches the level for tests that compare levels in one
// process; it returns the previous one.
func setKernels(l KernelLevel) KernelLevel {
	old := kernels
	kernels = l
	return old
}
