// gemm.cu: Gemm and MatMul, one thread per output element.
// Reduction order (runtime/README.md): acc = +0; for k ascending:
// acc = acc + float32(a[i,k] * b[k,j]). Gemm then gives
// float32(alpha*acc) + float32(beta*c[i,j]), or float32(alpha*acc) without C.
#include "common.cuh"

// P: count, M, N, K, transA, transB, alpha bits, beta bits, hasC, cStrideI,
// cStrideJ (runtime.GemmParams; floats as their IEEE-754 bits).
extern "C" __global__ void det_gemm(const i64* P, const float* a, const float* b, const float* c, float* y) {
	i64 o = det_index(P);
	if (o < 0) return;
	const i64 M = P[1], N = P[2], K = P[3];
	const bool tA = P[4] != 0, tB = P[5] != 0;
	const float alpha = __int_as_float((int)P[6]), beta = __int_as_float((int)P[7]);
	const i64 i = o / N, j = o % N;
	float acc = 0.0f;
	for (i64 k = 0; k < K; k++) {
		float av = tA ? a[k * M + i] : a[i * K + k];
		float bv = tB ? b[j * K + k] : b[k * N + j];
		acc = __fadd_rn(acc, __fmul_rn(av, bv));
	}
	float r = __fmul_rn(alpha, acc);
	if (P[8]) r = __fadd_rn(r, __fmul_rn(beta, c[i * P[9] + j * P[10]]));
	y[o] = r;
}

// P: count, M, N, K, batches, then batches A offsets and batches B offsets
// (runtime.MatMulParams: numpy batch broadcasting resolved on the host).
extern "C" __global__ void det_matmul(const i64* P, const float* a, const float* b, float* y) {
	i64 o = det_index(P);
	if (o < 0) return;
	const i64 M = P[1], N = P[2], K = P[3], batches = P[4];
	const i64 r = o / N, j = o % N, bi = r / M, i = r % M;
	const float* A = a + P[5 + bi];
	const float* B = b + P[5 + batches + bi];
	float acc = 0.0f;
	for (i64 k = 0; k < K; k++) {
		acc = __fadd_rn(acc, __fmul_rn(A[i * K + k], B[k * N + j]));
	}
	y[o] = acc;
}
