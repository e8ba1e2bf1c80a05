package runtime

import (
	"encoding/binary"
	"unsafe"
)

// littleEndian is true when the machine's memory order is little-endian
// (amd64, arm64, riscv64, ...). Then a tensor's memory already is its
// canonical encoding and the trace hashes it in place instead of copying
// every output (the copy would cost a large share of tracing time).
var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// nativeLE returns t's canonical bytes without copying when possible.
func nativeLE(t *Tensor) ([]byte, bool) {
	if !littleEndian {
		return nil, false
	}
	switch {
	case t.DType == Float32 && len(t.F) > 0:
		// In place only without NaNs: a NaN's bits are the CPU's, and
		// Bytes rewrites them to CanonicalNaN.
		for _, v := range t.F {
			if v != v {
				return nil, false
			}
		}
		return unsafe.Slice((*byte)(unsafe.Pointer(&t.F[0])), 4*len(t.F)), true
	case t.DType == Int64 && len(t.I) > 0:
		return unsafe.Slice((*byte)(unsafe.Pointer(&t.I[0])), 8*len(t.I)), true
	}
	return nil, false
}
