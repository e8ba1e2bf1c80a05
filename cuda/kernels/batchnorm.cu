// batchnorm.cu: BatchNormalization (inference, channel axis 1), one thread per
// element: d = Sqrt(var[c] + eps); y = float32(((x - mean[c]) / d) * scale[c]) + bias[c].
#include "common.cuh"
#include "detmath.cuh"

// P: count, C, inner, epsilon bits (runtime.BatchNormParams).
extern "C" __global__ void det_batchnorm(const i64* P, const float* x, const float* scale, const float* bias,
	const float* mean, const float* var, float* y) {
	i64 o = det_index(P);
	if (o < 0) return;
	const i64 c = (o / P[2]) % P[1];
	const float eps = __int_as_float((int)P[3]);
	float d = det_sqrt(__fadd_rn(var[c], eps));
	y[o] = __fadd_rn(__fmul_rn(__fdiv_rn(__fsub_rn(x[o], mean[c]), d), scale[c]), bias[c]);
}
