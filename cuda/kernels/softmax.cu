// softmax.cu: Softmax and LogSoftmax, one thread per output element. Each
// thread redoes its group's max and sum in the runtime's order (cheap for the
// class-score vectors models end with, and it keeps every reduction serial):
// m = max rule over j ascending; t_j = Exp(x_j - m); s = +0 + t_0 + t_1 ...;
// Softmax y_j = t_j / s; LogSoftmax y_j = (x_j - m) - Log(s).
#include "common.cuh"
#include "detmath.cuh"

// P: count, L, inner, log (runtime.SoftmaxParams). Element j of the group
// holding output o sits at base + j*inner.
extern "C" __global__ void det_softmax(const i64* P, const float* x, float* y) {
	i64 o = det_index(P);
	if (o < 0) return;
	const i64 L = P[1], inner = P[2];
	const i64 jo = (o / inner) % L;
	const i64 base = (o / (L * inner)) * L * inner + o % inner;
	float m = __int_as_float(0xff800000);
	for (i64 j = 0; j < L; j++) m = det_max_step(m, x[base + j * inner]);
	float s = 0.0f, tj = 0.0f;
	for (i64 j = 0; j < L; j++) {
		float t = det_exp(__fsub_rn(x[base + j * inner], m));
		if (j == jo) tj = t;
		s = __fadd_rn(s, t);
	}
	if (P[3]) {
		y[o] = __fsub_rn(__fsub_rn(x[o], m), det_log(s));
	} else {
		y[o] = __fdiv_rn(tj, s);
	}
}
