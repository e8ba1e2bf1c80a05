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

// P: count, M, N, K, rank, then rank batch dims, rank A strides and rank B
// strides counted in matrices (runtime.MatMulParams: numpy batch
// broadcasting, stride 0 on a broadcast axis).
extern "C" __global__ void det_matmul(const i64* P, const float* a, const float* b, float* y) {
	i64 o = det_index(P);
	if (o < 0) return;
	const i64 M = P[1], N = P[2], K = P[3], rank = P[4];
	const i64* dims = P + 5;
	const i64* sa = dims + rank;
	const i64* sb = sa + rank;
	const i64 r = o / N, j = o % N, i = r % M;
	i64 ia = 0, ib = 0, rest = r / M;
	for (i64 d = rank - 1; d >= 0; d--) {
		i64 k = rest % dims[d];
		rest /= dims[d];
		ia += k * sa[d];
		ib += k * sb[d];
	}
	const float* A = a + ia * M * K;
	const float* B = b + ib * K * N;
	float acc = 0.0f;
	for (i64 k = 0; k < K; k++) {
		acc = __fadd_rn(acc, __fmul_rn(A[i * K + k], B[k * N + j]));
	}
	y[o] = acc;
}
