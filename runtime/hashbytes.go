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
		if hasNaN(t.F) {
			return nil, false
		}
		return unsafe.Slice((*byte)(unsafe.Pointer(&t.F[0])), 4*len(t.F)), true
	case t.DType == Int64 && len(t.I) > 0:
		return unsafe.Slice((*byte)(unsafe.Pointer(&t.I[0])), 8*len(t.I)), true
	}
	return nil, false
}

// hasNaN reports whether f holds a NaN. It reads two values per 64-bit
// word: with the sign cleared, a NaN is above 0x7f800000 (infinity), so
// adding 0x007fffff sets bit 31 for NaNs only and never carries into the
// other half. Eight words are OR-ed before one test, so the loop has no
// data-dependent branch: the trace runs it over every operator output.
func hasNaN(f []float32) bool {
	const abs, add, top = 0x7fffffff_7fffffff, 0x007fffff_007fffff, 0x80000000_80000000
	if len(f) > 0 && uintptr(unsafe.Pointer(unsafe.SliceData(f)))%8 != 0 {
		if f[0] != f[0] {
			return true
		}
		f = f[1:] // now 8-byte aligned: a word is two whole values
	}
	n := len(f) / 2
	if n == 0 { // no whole word: no *uint64 that could reach past f
		return len(f) == 1 && f[0] != f[0]
	}
	w := unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(f))), n)
	i := 0
	for ; i+8 <= n; i += 8 {
		v := w[i : i+8 : i+8]
		m := (v[0]&abs + add) | (v[1]&abs + add) | (v[2]&abs + add) | (v[3]&abs + add) |
			(v[4]&abs + add) | (v[5]&abs + add) | (v[6]&abs + add) | (v[7]&abs + add)
		if m&top != 0 {
			return true
		}
	}
	for ; i < n; i++ {
		if (w[i]&abs+add)&top != 0 {
			return true
		}
	}
	if len(f)%2 == 1 {
		v := f[len(f)-1]
		return v != v
	}
	return false
}
