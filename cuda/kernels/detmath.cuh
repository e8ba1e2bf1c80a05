// detmath.cuh: device ports of runtime/detmath.go (Exp, Log, Tanh, Sigmoid,
// Sqrt). Every float64 step is an explicit round-to-nearest intrinsic
// (__dmul_rn, __dadd_rn, __dsub_rn, __ddiv_rn) in the same order as the Go
// source, where every product is wrapped in float64(...), so neither nvcc nor
// ptxas may contract a product into an FMA; the final float32 rounding is
// __double2float_rn, as Go's float32(x) conversion. Constants are given by
// their IEEE-754 bit patterns (the values Go's constant expressions round to,
// checked by cuda/detmath_consts_test.go), so no compiler's decimal parsing or
// constant folding is involved.
#ifndef DELPHI_DETMATH_CUH
#define DELPHI_DETMATH_CUH

#define DET_D(bits) __longlong_as_double((long long)(bits##ULL))

#define DET_LN2_HI DET_D(0x3fe62e42fee00000)
#define DET_LN2_LO DET_D(0x3dea39ef35793c76)
#define DET_LN2 DET_D(0x3fe62e42fefa39ef)
#define DET_LOG2E DET_D(0x3ff71547652b82fe)
#define DET_SQRT2 DET_D(0x3ff6a09e667f3bcd)
#define DET_INV_23 DET_D(0x3fa642c8590b2164)
#define DET_INV_FACT13 DET_D(0x3de6124613a86d09)
#define DET_INV_FACT12 DET_D(0x3e21eed8eff8d898)
#define DET_INV_FACT11 DET_D(0x3e5ae64567f544e4)
#define DET_INV_FACT10 DET_D(0x3e927e4fb7789f5c)
#define DET_INV_FACT9 DET_D(0x3ec71de3a556c734)
#define DET_INV_FACT8 DET_D(0x3efa01a01a01a01a)
#define DET_INV_FACT7 DET_D(0x3f2a01a01a01a01a)
#define DET_INV_FACT6 DET_D(0x3f56c16c16c16c17)
#define DET_INV_FACT5 DET_D(0x3f81111111111111)
#define DET_INV_FACT4 DET_D(0x3fa5555555555555)
#define DET_INV_FACT3 DET_D(0x3fc5555555555555)
#define DET_TANH_SMALL DET_D(0x3f30000000000000)
#define DET_EXP_MAX 200.0f

// The NaN Go's float32(math.NaN()) produces: the runtime returns exactly this
// where it returns a NaN constant (Log of a negative, an empty average).
#define DET_NAN_F32 __int_as_float(0x7fc00000)

// det_exp64: exp64 in detmath.go, for x in [-200, 200].
__device__ __forceinline__ double det_exp64(double x) {
	double t = __dmul_rn(x, DET_LOG2E);
	long long k = t >= 0.0 ? (long long)__dadd_rn(t, 0.5) : (long long)__dsub_rn(t, 0.5);
	double kf = (double)k;
	double r = __dsub_rn(__dsub_rn(x, __dmul_rn(kf, DET_LN2_HI)), __dmul_rn(kf, DET_LN2_LO));
	double p = DET_INV_FACT13;
	p = __dadd_rn(__dmul_rn(p, r), DET_INV_FACT12);
	p = __dadd_rn(__dmul_rn(p, r), DET_INV_FACT11);
	p = __dadd_rn(__dmul_rn(p, r), DET_INV_FACT10);
	p = __dadd_rn(__dmul_rn(p, r), DET_INV_FACT9);
	p = __dadd_rn(__dmul_rn(p, r), DET_INV_FACT8);
	p = __dadd_rn(__dmul_rn(p, r), DET_INV_FACT7);
	p = __dadd_rn(__dmul_rn(p, r), DET_INV_FACT6);
	p = __dadd_rn(__dmul_rn(p, r), DET_INV_FACT5);
	p = __dadd_rn(__dmul_rn(p, r), DET_INV_FACT4);
	p = __dadd_rn(__dmul_rn(p, r), DET_INV_FACT3);
	p = __dadd_rn(__dmul_rn(p, r), 0.5);
	p = __dadd_rn(__dmul_rn(p, r), 1.0);
	p = __dadd_rn(__dmul_rn(p, r), 1.0);
	// Go's k/2 truncates toward zero, as C's does.
	long long k1 = k / 2;
	long long k2 = k - k1;
	p = __dmul_rn(p, __longlong_as_double((k1 + 1023) << 52));
	return __dmul_rn(p, __longlong_as_double((k2 + 1023) << 52));
}

// det_exp: Exp in detmath.go.
__device__ __forceinline__ float det_exp(float x) {
	if (x != x) return x;
	if (x > DET_EXP_MAX) return __int_as_float(0x7f800000);
	if (x < -DET_EXP_MAX) return 0.0f;
	return __double2float_rn(det_exp64((double)x));
}

// det_log64: log64 in detmath.go, for finite x > 0.
__device__ __forceinline__ double det_log64(double x) {
	unsigned long long bits = (unsigned long long)__double_as_longlong(x);
	long long e = (long long)((bits >> 52) & 0x7ff) - 1023;
	if (e == -1023) {
		x = __dmul_rn(x, 18014398509481984.0); // 2^54, exact
		bits = (unsigned long long)__double_as_longlong(x);
		e = (long long)((bits >> 52) & 0x7ff) - 1023 - 54;
	}
	double m = __longlong_as_double((long long)((bits & ~(0x7ffULL << 52)) | (1023ULL << 52)));
	if (m > DET_SQRT2) {
		m = __dmul_rn(m, 0.5);
		e++;
	}
	double s = __ddiv_rn(__dsub_rn(m, 1.0), __dadd_rn(m, 1.0));
	double s2 = __dmul_rn(s, s);
	double p = DET_INV_23;
	for (double d = 21.0; d >= 1.0; d = __dsub_rn(d, 2.0)) {
		p = __dadd_rn(__dmul_rn(p, s2), __ddiv_rn(1.0, d));
	}
	double lm = __dmul_rn(__dmul_rn(2.0, s), p);
	return __dadd_rn(__dmul_rn((double)e, DET_LN2), lm);
}

// det_log: Log in detmath.go.
__device__ __forceinline__ float det_log(float x) {
	if (x != x || x < 0.0f) return DET_NAN_F32;
	if (x == 0.0f) return __int_as_float(0xff800000);
	if (x > __int_as_float(0x7f7fffff)) return x; // +Inf
	return __double2float_rn(det_log64((double)x));
}

// det_tanh: Tanh in detmath.go.
__device__ __forceinline__ float det_tanh(float x) {
	double a = (double)x;
	bool neg = a < 0.0;
	if (neg) a = -a;
	double r;
	if (x != x) return x;
	if (a < DET_TANH_SMALL) return x;
	if (a > 10.0) {
		r = 1.0;
	} else {
		double e = det_exp64(__dmul_rn(2.0, a));
		r = __ddiv_rn(__dsub_rn(e, 1.0), __dadd_rn(e, 1.0));
	}
	if (neg) r = -r;
	return __double2float_rn(r);
}

// det_sigmoid: Sigmoid in detmath.go.
__device__ __forceinline__ float det_sigmoid(float x) {
	if (x != x) return x;
	if (x > DET_EXP_MAX) return 1.0f;
	if (x < -DET_EXP_MAX) return 0.0f;
	return __double2float_rn(__ddiv_rn(1.0, __dadd_rn(1.0, det_exp64(-(double)x))));
}

// det_sqrt: Sqrt in detmath.go, float32(math.Sqrt(float64(x))).
__device__ __forceinline__ float det_sqrt(float x) {
	return __double2float_rn(__dsqrt_rn((double)x));
}

// det_max_step: the runtime's max rule (MaxPool, Softmax): take v when it is
// larger or NaN, so the first of equal maxima wins and a NaN, once taken, stays.
__device__ __forceinline__ float det_max_step(float m, float v) {
	return (v > m || v != v) ? v : m;
}

#endif
