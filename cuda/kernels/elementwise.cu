// elementwise.cu: Add, Sub, Mul, Div with numpy broadcasting, and Relu,
// Sigmoid, Tanh. One IEEE operation (or one detmath function) per element:
// there is no reduction, only the operand addressing to get right.
#include "common.cuh"
#include "detmath.cuh"

// Binary op codes, as cuda/ops.go packs them.
#define DET_ADD 0
#define DET_SUB 1
#define DET_MUL 2
#define DET_DIV 3

// P: count, op, rank, then rank output dims, rank strides of a, rank strides
// of b (runtime.BinaryParams; stride 0 on a broadcast axis).
extern "C" __global__ void det_binary(const i64* P, const float* a, const float* b, float* y) {
	i64 o = det_index(P);
	if (o < 0) return;
	const i64 op = P[1], rank = P[2];
	const i64* dims = P + 3;
	const i64* sa = dims + rank;
	const i64* sb = sa + rank;
	i64 ia = 0, ib = 0, rest = o;
	for (i64 d = rank - 1; d >= 0; d--) {
		i64 k = rest % dims[d];
		rest /= dims[d];
		ia += k * sa[d];
		ib += k * sb[d];
	}
	float u = a[ia], v = b[ib];
	float r;
	switch (op) {
	case DET_ADD: r = __fadd_rn(u, v); break;
	case DET_SUB: r = __fsub_rn(u, v); break;
	case DET_MUL: r = __fmul_rn(u, v); break;
	default: r = __fdiv_rn(u, v); break;
	}
	y[o] = r;
}

// Unary op codes, as cuda/ops.go packs them.
#define DET_RELU 0
#define DET_SIGMOID 1
#define DET_TANH 2

// P: count, op. Relu maps x <= 0 (and -0) to +0 and keeps NaN bits.
extern "C" __global__ void det_unary(const i64* P, const float* x, float* y) {
	i64 o = det_index(P);
	if (o < 0) return;
	float v = x[o];
	float r;
	switch (P[1]) {
	case DET_RELU: r = v <= 0.0f ? 0.0f : v; break;
	case DET_SIGMOID: r = det_sigmoid(v); break;
	default: r = det_tanh(v); break;
	}
	y[o] = r;
}
