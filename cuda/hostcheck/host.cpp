// host.cpp: runs the kernel sources in ../kernels on the CPU, for checks on
// machines without a GPU (cuda/hostcheck_test.go builds and drives it).
//
// The CUDA intrinsics the kernels use are each one IEEE-754 operation with
// round-to-nearest; here they are the same operation in host C++, compiled
// with -ffp-contract=off so nothing is fused. Every output element runs as
// its own "thread" (blockIdx, threadIdx set, the kernel called once), so what
// is checked is the kernels' own text: their index arithmetic, loop order and
// the detmath port, against the Go reference. What is not checked is the GPU
// itself executing PTX; that needs backend_test.go on a GPU.
//
// Usage: host cases FILE   run the launches in FILE, compare with their outputs
//        host detmath      write the detmath functions of a sweep of float32
//                          bit patterns to stdout (see detmathSweep)
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#define __device__
#define __global__
#define __forceinline__ inline

struct hostDim {
	unsigned x;
};
static hostDim blockIdx, blockDim, threadIdx;

static inline double __longlong_as_double(long long v) {
	double d;
	std::memcpy(&d, &v, 8);
	return d;
}
static inline long long __double_as_longlong(double d) {
	long long v;
	std::memcpy(&v, &d, 8);
	return v;
}
static inline float __int_as_float(int v) {
	float f;
	std::memcpy(&f, &v, 4);
	return f;
}
static inline double __dmul_rn(double a, double b) { return a * b; }
static inline double __dadd_rn(double a, double b) { return a + b; }
static inline double __dsub_rn(double a, double b) { return a - b; }
static inline double __ddiv_rn(double a, double b) { return a / b; }
static inline double __dsqrt_rn(double a) { return std::sqrt(a); }
static inline float __double2float_rn(double a) { return (float)a; }
static inline float __ll2float_rn(long long a) { return (float)a; }
static inline float __fmul_rn(float a, float b) { return a * b; }
static inline float __fadd_rn(float a, float b) { return a + b; }
static inline float __fsub_rn(float a, float b) { return a - b; }
static inline float __fdiv_rn(float a, float b) { return a / b; }

#include "batchnorm.cu"
#include "conv.cu"
#include "elementwise.cu"
#include "gemm.cu"
#include "pool.cu"
#include "softmax.cu"

static uint32_t bitsOf(float f) {
	uint32_t u;
	std::memcpy(&u, &f, 4);
	return u;
}

// readAll reads n little-endian values of T (the host is little-endian: the
// Go side checks it writes for one).
template <typename T> static bool readAll(FILE* f, std::vector<T>& v, size_t n) {
	v.resize(n);
	return n == 0 || std::fread(v.data(), sizeof(T), n, f) == n;
}

// runCases reads launches: name length, name, param count, params (i64),
// slot count, per slot an element count (-1: null) and floats, then the
// expected output count and floats; it runs each and compares bits.
static int runCases(const char* path) {
	FILE* f = std::fopen(path, "rb");
	if (!f) {
		std::perror(path);
		return 2;
	}
	int launches = 0, bad = 0;
	int64_t nameLen;
	while (std::fread(&nameLen, 8, 1, f) == 1) {
		std::string name(nameLen, ' ');
		std::vector<i64> P;
		int64_t n, slots;
		if (std::fread(&name[0], 1, nameLen, f) != (size_t)nameLen || std::fread(&n, 8, 1, f) != 1 || !readAll(f, P, n) ||
		    std::fread(&slots, 8, 1, f) != 1) {
			std::fprintf(stderr, "truncated case file\n");
			return 2;
		}
		std::vector<std::vector<float>> in(slots);
		std::vector<const float*> ptr(slots, nullptr);
		for (int64_t s = 0; s < slots; s++) {
			if (std::fread(&n, 8, 1, f) != 1 || (n >= 0 && !readAll(f, in[s], n))) {
				std::fprintf(stderr, "truncated case file\n");
				return 2;
			}
			if (n >= 0) ptr[s] = in[s].data();
		}
		std::vector<float> want;
		if (std::fread(&n, 8, 1, f) != 1 || !readAll(f, want, n)) {
			std::fprintf(stderr, "truncated case file\n");
			return 2;
		}
		std::vector<float> y(want.size(), -12345.0f);
		blockDim.x = 256;
		for (size_t o = 0; o < y.size(); o++) {
			blockIdx.x = (unsigned)(o / 256);
			threadIdx.x = (unsigned)(o % 256);
			const i64* p = P.data();
			if (name == "det_conv2d") det_conv2d(p, ptr[0], ptr[1], ptr[2], y.data());
			else if (name == "det_pool2d") det_pool2d(p, ptr[0], y.data());
			else if (name == "det_gemm") det_gemm(p, ptr[0], ptr[1], ptr[2], y.data());
			else if (name == "det_matmul") det_matmul(p, ptr[0], ptr[1], y.data());
			else if (name == "det_binary") det_binary(p, ptr[0], ptr[1], y.data());
			else if (name == "det_unary") det_unary(p, ptr[0], y.data());
			else if (name == "det_softmax") det_softmax(p, ptr[0], y.data());
			else if (name == "det_batchnorm") det_batchnorm(p, ptr[0], ptr[1], ptr[2], ptr[3], ptr[4], y.data());
			else {
				std::fprintf(stderr, "unknown kernel %s\n", name.c_str());
				return 2;
			}
		}
		for (size_t o = 0; o < y.size(); o++) {
			if (bitsOf(y[o]) != bitsOf(want[o])) {
				std::printf("launch %d (%s): element %zu is %08x, reference %08x\n", launches, name.c_str(), o,
				            bitsOf(y[o]), bitsOf(want[o]));
				bad++;
				break;
			}
		}
		launches++;
	}
	std::fclose(f);
	std::printf("%d launches, %d differ\n", launches, bad);
	return bad == 0 && launches > 0 ? 0 : 1;
}

// sweepBits is the set of float32 patterns the detmath sweep covers; the Go
// side (hostcheck_test.go) generates the same list.
static std::vector<uint32_t> sweepBits() {
	std::vector<uint32_t> v;
	for (uint64_t b = 0; b < (1ull << 32); b += 4093) v.push_back((uint32_t)b);
	for (uint32_t b = 0x3f000000; b < 0x3f000000 + 65536; b++) v.push_back(b); // [0.5, 0.5+)
	for (uint32_t b = 0x39800000 - 4096; b < 0x39800000 + 4096; b++) v.push_back(b); // near 2^-12
	for (uint32_t b = 0x41200000 - 4096; b < 0x41200000 + 4096; b++) v.push_back(b); // near 10
	for (uint32_t b = 0x43480000 - 4096; b < 0x43480000 + 4096; b++) v.push_back(b); // near 200
	for (uint32_t b = 0x42b17217 - 4096; b < 0x42b17217 + 4096; b++) v.push_back(b); // near ln(FLT_MAX)
	return v;
}

// detmathSweep writes, per input x: exp, log, tanh, sigmoid, sqrt of x as
// float32 bits, then det_exp64(x), det_exp64(2x) (0 outside [-200, 200]) and
// det_log64(x) (0 unless x is finite and positive) as float64 bits: the
// float64 cores are compared too, since a last-bit slip there rarely shows
// in the float32 results.
static int detmathSweep() {
	std::vector<uint32_t> bits = sweepBits();
	std::vector<uint32_t> f32;
	std::vector<uint64_t> f64;
	f32.reserve(5 * bits.size());
	f64.reserve(3 * bits.size());
	for (uint32_t b : bits) {
		float x = __int_as_float((int)b);
		f32.push_back(bitsOf(det_exp(x)));
		f32.push_back(bitsOf(det_log(x)));
		f32.push_back(bitsOf(det_tanh(x)));
		f32.push_back(bitsOf(det_sigmoid(x)));
		f32.push_back(bitsOf(det_sqrt(x)));
		double d = (double)x;
		f64.push_back(std::fabs(d) <= 200.0 ? (uint64_t)__double_as_longlong(det_exp64(d)) : 0);
		f64.push_back(std::fabs(d) <= 100.0 ? (uint64_t)__double_as_longlong(det_exp64(__dmul_rn(2.0, d))) : 0);
		f64.push_back(d > 0.0 && d <= 3.4028234663852886e38 ? (uint64_t)__double_as_longlong(det_log64(d)) : 0);
	}
	bool ok = std::fwrite(f32.data(), 4, f32.size(), stdout) == f32.size() &&
	          std::fwrite(f64.data(), 8, f64.size(), stdout) == f64.size();
	return ok ? 0 : 2;
}

int main(int argc, char** argv) {
	if (argc == 3 && std::string(argv[1]) == "cases") return runCases(argv[2]);
	if (argc == 2 && std::string(argv[1]) == "detmath") return detmathSweep();
	std::fprintf(stderr, "usage: host cases FILE | host detmath\n");
	return 2;
}
