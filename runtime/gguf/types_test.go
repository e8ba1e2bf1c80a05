package gguf

import (
	"strings"
	"testing"
)

// The block geometry is that of ggml-common.h's structs (static_assert
// sizes), and names are ggml's type_name.
func TestGeometry(t *testing.T) {
	for _, c := range []struct {
		typ          uint32
		name         string
		elems, bytes uint64
	}{
		{GGMLF32, "f32", 1, 4},
		{GGMLF16, "f16", 1, 2},
		{GGMLBF16, "bf16", 1, 2},
		{GGMLQ4_0, "q4_0", 32, 18},
		{GGMLQ4_1, "q4_1", 32, 20},
		{GGMLQ5_0, "q5_0", 32, 22},
		{GGMLQ5_1, "q5_1", 32, 24},
		{GGMLQ8_0, "q8_0", 32, 34},
		{GGMLQ4_K, "q4_K", 256, 144},
		{GGMLQ5_K, "q5_K", 256, 176},
		{GGMLQ6_K, "q6_K", 256, 210},
	} {
		e, b, ok := Geometry(c.typ)
		if !ok || e != c.elems || b != c.bytes || TypeName(c.typ) != c.name {
			t.Errorf("type %d: %d elements in %d bytes, ok %v, name %q; want %d in %d, %q", c.typ, e, b, ok, TypeName(c.typ), c.elems, c.bytes, c.name)
		}
		if got, err := RowBytes(c.typ, 3*c.elems); err != nil || got != 3*c.bytes {
			t.Errorf("RowBytes(%s, 3 blocks) = %d, %v", c.name, got, err)
		}
	}
	if _, err := RowBytes(GGMLQ4_K, 128); err == nil || !strings.Contains(err.Error(), "whole number of q4_K blocks of 256") {
		t.Errorf("half a q4_K block: %v", err)
	}
	if _, err := RowBytes(GGMLF32, 1<<63); err == nil {
		t.Error("2^63 f32 elements gave a byte count")
	}
	for typ, want := range map[uint32]string{10: "ggml type 10 (q2_K) is not supported; supported: f32, f16, bf16, q4_0",
		99: "ggml type 99 (unknown) is not supported", 4: "ggml type 4 (unknown)"} {
		if _, _, ok := Geometry(typ); ok {
			t.Errorf("type %d has a geometry", typ)
		}
		if _, err := RowBytes(typ, 256); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("type %d: %v, want %q", typ, err, want)
		}
	}
}
