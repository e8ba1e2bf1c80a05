// common.cuh: launch conventions shared by every kernel. One thread computes
// one output element, start to finish, in the reduction order the runtime
// documents; threads never cooperate on a reduction. Kernel parameters are
// all 8 bytes wide (pointers and one pointer to a long long parameter block
// uploaded once per operator), because gorgonia.org/cu's Launch copies every
// argument as a 64-bit word.
#ifndef DELPHI_COMMON_CUH
#define DELPHI_COMMON_CUH

typedef long long i64;

// det_index is the output element this thread computes, or -1 past the end
// (P[0] is always the output element count).
__device__ __forceinline__ i64 det_index(const i64* P) {
	i64 o = (i64)blockIdx.x * (i64)blockDim.x + (i64)threadIdx.x;
	return o < P[0] ? o : -1;
}

#endif
