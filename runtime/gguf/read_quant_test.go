package gguf

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
	"unsafe"
)

// quantFile holds one tensor of every supported type besides f32 and
// f16, two rows each, quantized from the test values.
func quantFile(t testing.TB) *File {
	f := &File{Metadata: map[string]Value{"general.architecture": {Type: TypeString, S: "llama"}}}
	for _, typ := range []uint32{GGMLQ4_0, GGMLQ4_1, GGMLQ5_0, GGMLQ5_1, GGMLQ8_0, GGMLQ4_K, GGMLQ5_K, GGMLQ6_K, GGMLBF16} {
		raw, err := Quantize(typ, testValues(0, 512))
		if err != nil {
			t.Fatal(err)
		}
		f.Tensors = append(f.Tensors, Tensor{Name: "w." + TypeName(typ), Dims: []uint64{256, 2}, Type: typ, Raw: raw})
	}
	f.Tensors = append(f.Tensors, Tensor{Name: "norm", Dims: []uint64{3}, Type: GGMLF32, Data: []float32{1, 2, 3}})
	return f
}

// Quantized tensors written from Raw read back as the same bytes, kept
// as a slice of the file's buffer, never widened.
func TestQuantRoundTrip(t *testing.T) {
	f := quantFile(t)
	raw, err := Write(f)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Read(raw, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Tensors) != len(f.Tensors) {
		t.Fatalf("%d tensors, want %d", len(got.Tensors), len(f.Tensors))
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(raw)))
	for i, want := range f.Tensors {
		g := got.Tensors[i]
		if g.Name != want.Name || g.Type != want.Type || len(g.Dims) != len(want.Dims) || g.Dims[0] != want.Dims[0] {
			t.Fatalf("tensor %d: %+v", i, g)
		}
		if want.Data != nil {
			if g.Raw != nil || len(g.Data) != 3 || g.Data[2] != 3 {
				t.Fatalf("f32 tensor read as %+v", g)
			}
			continue
		}
		if g.Data != nil || !bytes.Equal(g.Raw, want.Raw) || cap(g.Raw) != len(g.Raw) {
			t.Fatalf("%s: Data %d, Raw %d bytes (cap %d), want Raw %d bytes", g.Name, len(g.Data), len(g.Raw), cap(g.Raw), len(want.Raw))
		}
		if p := uintptr(unsafe.Pointer(unsafe.SliceData(g.Raw))); p < start || p >= start+uintptr(len(raw)) {
			t.Fatalf("%s: Raw is a copy, not a slice of the file", g.Name)
		}
		a, err := g.Floats()
		if err != nil {
			t.Fatal(err)
		}
		b := make([]float32, 512)
		if err := Dequantize(want.Type, want.Raw, b); err != nil {
			t.Fatal(err)
		}
		for j := range b {
			if a[j] != b[j] {
				t.Fatalf("%s [%d]: %v read back, %v written", g.Name, j, a[j], b[j])
			}
		}
	}
	again, err := Write(got)
	if err != nil || !bytes.Equal(again, raw) {
		t.Fatalf("rewriting a read quantized file changes its bytes (%v)", err)
	}
}

func TestWriteQuantRefusals(t *testing.T) {
	for _, c := range []struct {
		name string
		t    Tensor
		want string
	}{
		{"Data for q4_0", Tensor{Dims: []uint64{32}, Type: GGMLQ4_0, Data: make([]float32, 32)}, "written from Raw"},
		{"short Raw", Tensor{Dims: []uint64{32}, Type: GGMLQ4_0, Raw: make([]byte, 17)}, "take 18 bytes, Raw has 17"},
		{"row not whole blocks", Tensor{Dims: []uint64{16, 2}, Type: GGMLQ4_0, Raw: make([]byte, 18)}, "not a whole number of q4_0 blocks"},
		{"both", Tensor{Dims: []uint64{1}, Type: GGMLF32, Data: []float32{1}, Raw: make([]byte, 4)}, "both Data and Raw"},
		{"q2_K", Tensor{Dims: []uint64{256}, Type: 10, Raw: make([]byte, 84)}, "ggml type 10 (q2_K) is not supported"},
		{"no dims", Tensor{Type: GGMLF32, Data: []float32{1}}, "no dims"},
	} {
		c.t.Name = "x"
		_, err := Write(&File{Tensors: []Tensor{c.t}})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	// An f16 tensor may come as Raw too.
	raw, _ := Quantize(GGMLF16, []float32{1, -2})
	b, err := Write(&File{Tensors: []Tensor{{Name: "h", Dims: []uint64{2}, Type: GGMLF16, Raw: raw}}})
	if err != nil {
		t.Fatal(err)
	}
	if f, err := Read(b, 16); err != nil || f.Tensors[0].Data[1] != -2 {
		t.Fatalf("f16 from Raw: %v", err)
	}
}

// descriptor locates tensor i's dims, type and offset fields in a file
// written by Write (names "w.<type>" and "norm", all 2-D but the last).
func descriptor(raw []byte, name string) (dims, typ, offset int) {
	i := bytes.Index(raw, []byte(name)) + len(name)
	nd := int(binary.LittleEndian.Uint32(raw[i:]))
	dims = i + 4
	typ = dims + 8*nd
	return dims, typ, typ + 4
}

// Hostile descriptors of quantized tensors are errors, never panics.
func TestHostileQuantFiles(t *testing.T) {
	good, err := Write(quantFile(t))
	if err != nil {
		t.Fatal(err)
	}
	edit := func(name string, f func(b []byte, dims, typ, offset int)) []byte {
		b := append([]byte(nil), good...)
		d, ty, o := descriptor(b, name)
		f(b, d, ty, o)
		return b
	}
	for _, c := range []struct {
		name string
		file []byte
		want string
	}{
		{"row of 200 in q4_K", edit("w.q4_K", func(b []byte, d, _, _ int) { binary.LittleEndian.PutUint64(b[d:], 200) }),
			"row of 200 elements is not a whole number of q4_K blocks of 256"},
		{"row of 48 in q8_0", edit("w.q8_0", func(b []byte, d, _, _ int) { binary.LittleEndian.PutUint64(b[d:], 48) }),
			"not a whole number of q8_0 blocks of 32"},
		{"q2_K", edit("w.q6_K", func(b []byte, _, ty, _ int) { binary.LittleEndian.PutUint32(b[ty:], 10) }),
			"ggml type 10 (q2_K) is not supported; supported: f32, f16, bf16, q4_0, q4_1, q5_0, q5_1, q8_0, q4_K, q5_K, q6_K"},
		{"type 77", edit("w.q6_K", func(b []byte, _, ty, _ int) { binary.LittleEndian.PutUint32(b[ty:], 77) }),
			"ggml type 77 (unknown) is not supported"},
		{"more rows than bytes", edit("w.q6_K", func(b []byte, d, _, _ int) { binary.LittleEndian.PutUint64(b[d+8:], 3) }),
			"overlap"},
		{"rows past the end", edit("w.bf16", func(b []byte, d, _, _ int) { binary.LittleEndian.PutUint64(b[d+8:], 1000) }),
			"outside the file"},
		{"offset past the end", edit("w.q4_0", func(b []byte, _, _, o int) { binary.LittleEndian.PutUint64(b[o:], 1<<40) }),
			"outside the file"},
		{"offset near 2^64", edit("w.q4_0", func(b []byte, _, _, o int) { binary.LittleEndian.PutUint64(b[o:], ^uint64(0)-31) }),
			"outside the file"},
		{"onto another tensor", edit("w.q5_0", func(b []byte, _, _, o int) { binary.LittleEndian.PutUint64(b[o:], 0) }),
			"overlap"},
	} {
		_, err := Read(c.file, 1<<20)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	// Every truncation and every flipped byte: an error or a file that
	// holds up (no panic, Raw of the right size).
	for n := 0; n < len(good); n++ {
		if _, err := Read(good[:n], 1<<20); err == nil {
			t.Fatalf("a file cut at %d of %d bytes was read", n, len(good))
		}
	}
	for i := 0; i < len(good); i += 3 {
		bad := append([]byte(nil), good...)
		bad[i] ^= 0x5a
		checkRead(t, bad)
	}
}

// checkRead reads b; whatever it accepts must be consistent: each Raw the
// size its dims and type give, dequantizable, and written back readable.
func checkRead(t *testing.T, b []byte) {
	f, err := Read(b, 1<<20)
	if err != nil {
		return
	}
	for _, tt := range f.Tensors {
		n := uint64(1)
		for _, d := range tt.Dims {
			n *= d
		}
		if tt.Data != nil {
			if uint64(len(tt.Data)) != n {
				t.Fatalf("%s: %d floats for dims %v", tt.Name, len(tt.Data), tt.Dims)
			}
			continue
		}
		if size, err := RowBytes(tt.Type, n); err != nil || size != uint64(len(tt.Raw)) {
			t.Fatalf("%s: %d bytes of %s for dims %v (%v)", tt.Name, len(tt.Raw), TypeName(tt.Type), tt.Dims, err)
		}
		if _, err := tt.Floats(); err != nil {
			t.Fatalf("%s: %v", tt.Name, err)
		}
	}
	out, err := Write(f)
	if err != nil {
		t.Fatalf("a file read could not be written: %v", err)
	}
	if _, err := Read(out, 1<<20); err != nil {
		t.Fatalf("a file read and written could not be read: %v", err)
	}
}

func FuzzReadQuantized(f *testing.F) {
	good, err := Write(quantFile(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	small, _ := Write(&File{Metadata: map[string]Value{}, Tensors: []Tensor{
		{Name: "a", Dims: []uint64{32}, Type: GGMLQ8_0, Raw: make([]byte, 34)},
		{Name: "b", Dims: []uint64{256}, Type: GGMLQ6_K, Raw: make([]byte, 210)},
	}})
	f.Add(small)
	f.Fuzz(func(t *testing.T, b []byte) {
		checkRead(t, b)
	})
}

// Found by a review of the published-model change: a file may not name a
// tensor twice (ggml refuses it; Delphi kept the last rope_freqs.weight),
// and metadata arrays, each element a Value of ~90 bytes whatever its
// encoding, are bounded in all (a 1 MiB uint8 array held 95 MB).
func TestReadRefusesDuplicatesAndHugeArrays(t *testing.T) {
	f := &File{Metadata: map[string]Value{}, Tensors: []Tensor{
		{Name: "a", Dims: []uint64{2}, Type: GGMLF32, Data: []float32{1, 2}},
		{Name: "a", Dims: []uint64{2}, Type: GGMLF32, Data: []float32{3, 4}},
	}}
	raw, err := Write(f)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Read(raw, 1<<20); err == nil || !strings.Contains(err.Error(), "appears twice") {
		t.Fatalf("a duplicate tensor name: %v", err)
	}
	big := Value{Type: TypeArray, Elem: TypeUint8, Array: make([]Value, MaxArrayElements+1)}
	for i := range big.Array {
		big.Array[i] = Value{Type: TypeUint8}
	}
	raw, err = Write(&File{Metadata: map[string]Value{"x": big}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Read(raw, 1<<20); err == nil || !strings.Contains(err.Error(), "metadata arrays of more than") {
		t.Fatalf("an array of %d elements: %v", MaxArrayElements+1, err)
	}
}
