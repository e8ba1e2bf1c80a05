// pool.cu: MaxPool and AveragePool, NCHW, one thread per output element.
// Order (runtime/README.md): taps kh then kw ascending, padding skipped.
// MaxPool: m = -Inf; take v when v > m or v is NaN. AveragePool: acc = +0;
// acc = acc + v; y = acc / count, count = taps inside the input, plus taps in
// the padding with count_include_pad; no counted tap gives Go's NaN.
#include "common.cuh"
#include "detmath.cuh"

// P: count, isMax, N, C, H, W, KH, KW, OH, OW, strideH, strideW, dilH, dilW,
// padTop, padLeft, padBottom, padRight, includePad (runtime.PoolParams).
extern "C" __global__ void det_pool2d(const i64* P, const float* x, float* y) {
	i64 o = det_index(P);
	if (o < 0) return;
	const bool isMax = P[1] != 0, includePad = P[18] != 0;
	const i64 H = P[4], W = P[5], KH = P[6], KW = P[7], OH = P[8], OW = P[9];
	const i64 sH = P[10], sW = P[11], dH = P[12], dW = P[13];
	const i64 pT = P[14], pL = P[15], pB = P[16], pR = P[17];
	const i64 ow = o % OW, oh = (o / OW) % OH, plane = o / (OW * OH);
	const float* src = x + plane * H * W;
	float m = __int_as_float(0xff800000);
	float acc = 0.0f;
	i64 count = 0;
	for (i64 a = 0; a < KH; a++) {
		i64 ih = oh * sH - pT + a * dH;
		bool rowPad = ih >= -pT && ih < H + pB;
		for (i64 b = 0; b < KW; b++) {
			i64 iw = ow * sW - pL + b * dW;
			if (ih < 0 || ih >= H || iw < 0 || iw >= W) {
				if (includePad && rowPad && iw >= -pL && iw < W + pR) count++;
				continue;
			}
			float v = src[ih * W + iw];
			if (isMax) {
				m = det_max_step(m, v);
			} else {
				acc = __fadd_rn(acc, v);
				count++;
			}
		}
	}
	if (isMax) {
		y[o] = m;
	} else if (count == 0) {
		y[o] = DET_NAN_F32;
	} else {
		y[o] = __fdiv_rn(acc, __ll2float_rn(count));
	}
}
