package gguf

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"
)

func sample() *File {
	return &File{
		Metadata: map[string]Value{
			"general.architecture": {Type: TypeString, S: "llama"},
			"llama.block_count":    {Type: TypeUint32, U: 2},
			"llama.rope.freq_base": {Type: TypeFloat32, F: 10000},
			"general.flag":         {Type: TypeBool, U: 1},
			"some.int64":           {Type: TypeInt64, I: -5},
			"tokenizer.ggml.tokens": {Type: TypeArray, Elem: TypeString, Array: []Value{
				{Type: TypeString, S: "a"}, {Type: TypeString, S: "Ġthe"},
			}},
			"tokenizer.ggml.token_type": {Type: TypeArray, Elem: TypeInt32, Array: []Value{{Type: TypeInt32, I: 1}, {Type: TypeInt32, I: -1}}},
		},
		Tensors: []Tensor{
			{Name: "w32", Dims: []uint64{3, 2}, Type: GGMLF32, Data: []float32{1, -2, 3.5, 0, 1e-30, 7}},
			{Name: "w16", Dims: []uint64{5}, Type: GGMLF16, Data: []float32{1, -2, 0.5, 65504, 6.1035156e-05}},
		},
	}
}

func TestRoundTrip(t *testing.T) {
	raw, err := Write(sample())
	if err != nil {
		t.Fatal(err)
	}
	f, err := Read(raw, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if f.Metadata["general.architecture"].S != "llama" || f.Metadata["llama.block_count"].U != 2 ||
		f.Metadata["llama.rope.freq_base"].F != 10000 || f.Metadata["some.int64"].I != -5 ||
		f.Metadata["tokenizer.ggml.tokens"].Array[1].S != "Ġthe" || f.Metadata["tokenizer.ggml.token_type"].Array[1].I != -1 {
		t.Fatalf("metadata %+v", f.Metadata)
	}
	for i, want := range sample().Tensors {
		got := f.Tensors[i]
		if got.Name != want.Name || len(got.Data) != len(want.Data) {
			t.Fatalf("tensor %d: %+v", i, got)
		}
		for j := range want.Data {
			if got.Data[j] != want.Data[j] {
				t.Fatalf("%s[%d] = %v, want %v", got.Name, j, got.Data[j], want.Data[j])
			}
		}
	}
	again, _ := Write(f)
	if string(again) != string(raw) {
		t.Fatal("rewriting a read file changes its bytes")
	}
}

// A truncated or garbled file is an error at every length, never a panic.
func TestHostileFiles(t *testing.T) {
	raw, _ := Write(sample())
	for n := 0; n < len(raw); n++ {
		if _, err := Read(raw[:n], 1<<20); err == nil {
			t.Fatalf("a file cut at %d of %d bytes was read", n, len(raw))
		}
	}
	for i := 0; i < len(raw); i++ {
		bad := append([]byte(nil), raw...)
		bad[i] ^= 0xff
		_, _ = Read(bad, 1<<20) // must not panic
	}
	if _, err := Read(raw, 4); err == nil || !strings.Contains(err.Error(), "too large") {
		t.Fatalf("the element limit was not applied: %v", err)
	}
	q := sample()
	q.Tensors[0].Type = 2 // Q4_0
	if _, err := Write(q); err == nil {
		t.Fatal("wrote a quantised type")
	}
}

func TestHalf(t *testing.T) {
	for h := 0; h < 1<<16; h++ {
		f := HalfToFloat(uint16(h))
		if f != f {
			continue
		}
		if back := FloatToHalf(f); back != uint16(h) {
			t.Fatalf("half %#04x → %v → %#04x", h, f, back)
		}
	}
	// Rounding of values between halves: ties to even, overflow to Inf.
	for _, c := range []struct {
		f    float32
		want uint16
	}{
		{1 + 1.0/2048, 0x3c00},        // exactly between 1 and the next half: even (1)
		{1 + 3.0/2048, 0x3c02},        // between 1+1/1024 and 1+2/1024: even
		{1 + 1.0/2048 + 1e-7, 0x3c01}, // above the tie
		{65520, 0x7c00},               // rounds past the largest half: Inf
		{float32(math.Inf(-1)), 0xfc00},
		{1e-8, 0}, // below the smallest subnormal / 2
	} {
		if got := FloatToHalf(c.f); got != c.want {
			t.Errorf("FloatToHalf(%v) = %#04x, want %#04x", c.f, got, c.want)
		}
	}
}

// Two tensors sharing bytes, and counts the file cannot hold, are refused
// before anything large is allocated.
func TestOverlapAndAmplification(t *testing.T) {
	f := &File{Metadata: map[string]Value{}, Tensors: []Tensor{
		{Name: "a", Dims: []uint64{8}, Type: GGMLF32, Data: make([]float32, 8)},
		{Name: "b", Dims: []uint64{8}, Type: GGMLF32, Data: make([]float32, 8)},
	}}
	raw, err := Write(f)
	if err != nil {
		t.Fatal(err)
	}
	// Point b's offset (the last 8 bytes of the descriptors) at a's data.
	off := strings.LastIndex(string(raw), "b") + 1 + 4 + 8 + 4
	bad := append([]byte(nil), raw...)
	for i := 0; i < 8; i++ {
		bad[off+i] = 0
	}
	if _, err := Read(bad, 1<<20); err == nil || !strings.Contains(err.Error(), "overlap") {
		t.Fatalf("overlapping tensors: %v", err)
	}
	// A header claiming 2^40 tensors in a few bytes.
	hdr := binary.LittleEndian.AppendUint32(nil, Magic)
	hdr = binary.LittleEndian.AppendUint32(hdr, Version)
	hdr = binary.LittleEndian.AppendUint64(hdr, 1<<40)
	hdr = binary.LittleEndian.AppendUint64(hdr, 0)
	if _, err := Read(hdr, 1<<20); err == nil {
		t.Fatal("2^40 tensors in 24 bytes were accepted")
	}
	// An array claiming 2^30 uint64 elements in a few bytes.
	arr := binary.LittleEndian.AppendUint32(nil, Magic)
	arr = binary.LittleEndian.AppendUint32(arr, Version)
	arr = binary.LittleEndian.AppendUint64(arr, 0)
	arr = binary.LittleEndian.AppendUint64(arr, 1)
	arr = binary.LittleEndian.AppendUint64(arr, 1)
	arr = append(arr, 'k')
	arr = binary.LittleEndian.AppendUint32(arr, TypeArray)
	arr = binary.LittleEndian.AppendUint32(arr, TypeUint64)
	arr = binary.LittleEndian.AppendUint64(arr, 1<<30)
	arr = append(arr, make([]byte, 64)...)
	if _, err := Read(arr, 1<<20); err == nil {
		t.Fatal("an array longer than the file was accepted")
	}
}
