package gguf

// Tensor element types: their ggml numbers, names and block geometry.

import (
	"fmt"
	"math"
	"strings"
)

// Tensor element types (ggml's enum ggml_type numbers).
const (
	GGMLF32  = 0
	GGMLF16  = 1
	GGMLQ4_0 = 2
	GGMLQ4_1 = 3
	GGMLQ5_0 = 6
	GGMLQ5_1 = 7
	GGMLQ8_0 = 8
	GGMLQ4_K = 12
	GGMLQ5_K = 13
	GGMLQ6_K = 14
	GGMLBF16 = 30
)

// Block sizes: the 32-element blocks of the legacy quants and the
// 256-element super-blocks of the K-quants (ggml's QK4_0 ... QK8_0, QK_K).
const (
	qk  = 32
	qkK = 256
)

// geometry is one supported type's block: elements and bytes.
type geometry struct {
	elems, bytes uint64
}

// geometries holds the types this package reads, writes and dequantizes,
// with the sizes of ggml-common.h's block structs.
var geometries = map[uint32]geometry{
	GGMLF32:  {1, 4},
	GGMLF16:  {1, 2},
	GGMLQ4_0: {qk, 2 + qk/2},                    // d, 16 bytes of nibbles
	GGMLQ4_1: {qk, 2 + 2 + qk/2},                // d, m, nibbles
	GGMLQ5_0: {qk, 2 + 4 + qk/2},                // d, qh (fifth bits), nibbles
	GGMLQ5_1: {qk, 2 + 2 + 4 + qk/2},            // d, m, qh, nibbles
	GGMLQ8_0: {qk, 2 + qk},                      // d, 32 int8
	GGMLQ4_K: {qkK, 2 + 2 + 12 + qkK/2},         // d, dmin, 6-bit scales and mins, nibbles
	GGMLQ5_K: {qkK, 2 + 2 + 12 + qkK/8 + qkK/2}, // d, dmin, scales, qh, nibbles
	GGMLQ6_K: {qkK, qkK/2 + qkK/4 + qkK/16 + 2}, // ql, qh, int8 scales, d
	GGMLBF16: {1, 2},
}

// supportedOrder lists the supported types for error messages.
var supportedOrder = []uint32{GGMLF32, GGMLF16, GGMLBF16, GGMLQ4_0, GGMLQ4_1, GGMLQ5_0, GGMLQ5_1, GGMLQ8_0, GGMLQ4_K, GGMLQ5_K, GGMLQ6_K}

// typeNames are ggml's names (type_traits[].type_name) of every type it
// numbers, supported here or not, so that a refusal can name the type.
var typeNames = map[uint32]string{
	0: "f32", 1: "f16", 2: "q4_0", 3: "q4_1", 6: "q5_0", 7: "q5_1", 8: "q8_0", 9: "q8_1",
	10: "q2_K", 11: "q3_K", 12: "q4_K", 13: "q5_K", 14: "q6_K", 15: "q8_K",
	16: "iq2_xxs", 17: "iq2_xs", 18: "iq3_xxs", 19: "iq1_s", 20: "iq4_nl", 21: "iq3_s",
	22: "iq2_s", 23: "iq4_xs", 24: "i8", 25: "i16", 26: "i32", 27: "i64", 28: "f64",
	29: "iq1_m", 30: "bf16", 34: "tq1_0", 35: "tq2_0", 39: "mxfp4", 40: "nvfp4",
	41: "q1_0", 42: "q2_0",
}

// TypeName is ggml's name for a tensor type ("q4_K"), or "unknown".
func TypeName(typ uint32) string {
	if n, ok := typeNames[typ]; ok {
		return n
	}
	return "unknown"
}

// Geometry returns how many elements one block of typ holds and how many
// bytes the block takes (1 and 4 for f32); ok is false for a type this
// package does not handle.
func Geometry(typ uint32) (elems, bytes uint64, ok bool) {
	g, ok := geometries[typ]
	return g.elems, g.bytes, ok
}

// RowBytes returns the bytes that n elements of typ take. n must be a
// whole number of the type's blocks.
func RowBytes(typ uint32, n uint64) (uint64, error) {
	g, ok := geometries[typ]
	if !ok {
		return 0, unsupported(typ)
	}
	if n%g.elems != 0 {
		return 0, fmt.Errorf("%d elements are not a whole number of %s blocks of %d", n, TypeName(typ), g.elems)
	}
	if n/g.elems > math.MaxUint64/g.bytes {
		return 0, fmt.Errorf("%d elements of %s overflow a byte count", n, TypeName(typ))
	}
	return n / g.elems * g.bytes, nil
}

// unsupported is the error for a type outside the geometry table.
func unsupported(typ uint32) error {
	names := make([]string, len(supportedOrder))
	for i, t := range supportedOrder {
		names[i] = TypeName(t)
	}
	return fmt.Errorf("ggml type %d (%s) is not supported; supported: %s", typ, TypeName(typ), strings.Join(names, ", "))
}
