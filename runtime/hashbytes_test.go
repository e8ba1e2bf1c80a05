package runtime

import (
	"math"
	"testing"
)

// TestHasNaNFindsEveryNaN: the word-at-a-time scan agrees with v != v for
// a NaN of every kind (quiet, signalling, negative, all ones) at every
// position of slices of every length up to 40, at both alignments, and
// is not fooled by infinities, the largest finite values or −0.
func TestHasNaNFindsEveryNaN(t *testing.T) {
	clean := []uint32{0x7f800000, 0xff800000, 0x7f7fffff, 0xff7fffff, 0x80000000, 0, 0x00000001, 0x3f800000}
	nans := []uint32{0x7f800001, 0x7fc00000, 0xffc00000, 0xffffffff, 0x7fffffff, 0xff800001}
	backing := make([]float32, 48)
	for off := range 2 {
		for n := 0; n <= 40; n++ {
			f := backing[off : off+n]
			for i := range f {
				f[i] = math.Float32frombits(clean[i%len(clean)])
			}
			if hasNaN(f) {
				t.Fatalf("offset %d length %d: no NaN, hasNaN says one", off, n)
			}
			for pos := range f {
				for _, bits := range nans {
					keep := f[pos]
					f[pos] = math.Float32frombits(bits)
					if !hasNaN(f) {
						t.Fatalf("offset %d length %d: NaN %08x at %d missed", off, n, bits, pos)
					}
					f[pos] = keep
				}
			}
		}
	}
}

var shortTails [][]float32

// TestHasNaNOnShortTails: after the alignment fix-up a slice may hold no
// whole word; one element at the very end of its allocation must then be
// checked without making a *uint64 that reaches past it (a fatal
// checkptr error under -race, found by review), through hasNaN, through
// OutputHash and through a traced LayerNormalization whose mean and
// inverse deviation have one element.
func TestHasNaNOnShortTails(t *testing.T) {
	for range 64 {
		b := make([]float32, 4) // 16 bytes: b[3] ends the allocation
		shortTails = append(shortTails, b)
		if hasNaN(b[3:4:4]) {
			t.Fatal("no NaN here")
		}
		b[3] = float32(math.NaN())
		if !hasNaN(b[3:4:4]) {
			t.Fatal("a one-element NaN missed")
		}
		f := make([]float32, 1)
		shortTails = append(shortTails, f)
		_ = OutputHash(&Tensor{DType: Float32, Shape: []int{1}, F: f})
	}
	g := &Graph{Opset: 17, Initializers: map[string]*Tensor{"s": randT(1, 4, 8), "b": randT(2, 4, 8)},
		Inputs: []ValueInfo{{Name: "x", DType: Float32, Shape: []int{4, 8}}},
		Nodes: []*Node{{OpType: "LayerNormalization", Opset: 17, Inputs: []string{"x", "s", "b"},
			Outputs: []string{"y", "mean", "inv"}, Attrs: map[string]Attr{"axis": intA(0)}}},
		Outputs: []string{"y", "mean", "inv"}}
	p, err := Compile(g, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	for k := range 64 {
		if _, err := p.Run([]*Tensor{randT(uint64(k), 4, 8)}, 1, func(_ int, x *Tensor) { _ = OutputHash(x) }); err != nil {
			t.Fatal(err)
		}
	}
}
