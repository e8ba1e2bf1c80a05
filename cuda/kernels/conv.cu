// conv.cu: 2-D convolution, NCHW, one thread per output element.
// Reduction order (runtime/README.md, Conv): acc = +0; for c, then kh, then
// kw ascending, taps inside the input only (padding contributes no term):
// acc = acc + float32(x * w); then y = acc + b[m] when a bias is given.
#include "common.cuh"

// P: count, N, C, H, W, M, group, KH, KW, OH, OW, strideH, strideW,
// dilH, dilW, padTop, padLeft, hasBias (runtime.ConvParams).
extern "C" __global__ void det_conv2d(const i64* P, const float* x, const float* w, const float* b, float* y) {
	i64 o = det_index(P);
	if (o < 0) return;
	const i64 C = P[2], H = P[3], W = P[4], M = P[5], G = P[6];
	const i64 KH = P[7], KW = P[8], OH = P[9], OW = P[10];
	const i64 sH = P[11], sW = P[12], dH = P[13], dW = P[14], pT = P[15], pL = P[16];
	const i64 ow = o % OW, oh = (o / OW) % OH, m = (o / (OW * OH)) % M, n = o / (OW * OH * M);
	const i64 Cg = C / G, g = m / (M / G);
	float acc = 0.0f;
	for (i64 c = 0; c < Cg; c++) {
		const float* xp = x + (n * C + g * Cg + c) * H * W;
		const float* wp = w + ((m * Cg + c) * KH) * KW;
		for (i64 kh = 0; kh < KH; kh++) {
			i64 ih = oh * sH - pT + kh * dH;
			if (ih < 0 || ih >= H) continue;
			for (i64 kw = 0; kw < KW; kw++) {
				i64 iw = ow * sW - pL + kw * dW;
				if (iw < 0 || iw >= W) continue;
				acc = __fadd_rn(acc, __fmul_rn(xp[ih * W + iw], wp[kh * KW + kw]));
			}
		}
	}
	if (P[17]) acc = __fadd_rn(acc, b[m]);
	y[o] = acc;
}
