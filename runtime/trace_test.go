package runtime

import (
	"crypto/sha256"
	"testing"
)

func TestTraceAccumulatorAndProofs(t *testing.T) {
	var tr Trace
	var outs []Hash
	for i := 0; i < 11; i++ {
		o := sha256.Sum256([]byte{byte(i)})
		outs = append(outs, o)
		tr.Append(o)
	}
	// a_0 = SHA-256(32 zero bytes || o_0); a_i chains
	var acc Hash
	for i, o := range outs {
		acc = sha256.Sum256(append(acc[:], o[:]...))
		if tr.Leaf(i).Acc != acc || tr.Leaf(i).Output != o {
			t.Fatalf("leaf %d accumulator", i)
		}
	}
	root := tr.Root()
	for i := 0; i < tr.Len(); i++ {
		leaf, p, err := tr.Prove(i)
		if err != nil {
			t.Fatal(err)
		}
		if err := VerifyLeaf(root, uint64(i), leaf, p); err != nil {
			t.Fatalf("leaf %d: %v", i, err)
		}
		bad := leaf
		bad.Acc[5] ^= 0x80
		if VerifyLeaf(root, uint64(i), bad, p) == nil {
			t.Fatalf("leaf %d with a tampered accumulator verified", i)
		}
	}
	// changing one early output changes every later accumulator and the root
	var tr2 Trace
	for i, o := range outs {
		if i == 3 {
			o[0] ^= 1
		}
		tr2.Append(o)
	}
	if tr2.Root() == root || tr2.Leaf(10).Acc == tr.Leaf(10).Acc || tr2.Leaf(2) != tr.Leaf(2) {
		t.Fatal("a changed output must change later leaves only")
	}
}

func TestOutputHashIsLittleEndianFloat32(t *testing.T) {
	x := mustT(t, []int{2}, 1, -2)
	want := sha256.Sum256([]byte{0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0})
	if OutputHash(x) != want {
		t.Fatal("output hash must cover little-endian float32 bytes")
	}
}

func TestWeightTree(t *testing.T) {
	g := &Graph{Initializers: map[string]*Tensor{
		"b": mustT(t, []int{2}, 1, 2),
		"a": mustT(t, []int{1, 2}, 3, 4),
		"c": {DType: Int64, Shape: []int{1}, I: []int64{7}},
	}}
	w := NewWeightTree(g)
	if n := w.Names(); n[0] != "a" || n[1] != "b" || n[2] != "c" {
		t.Fatalf("order %v", n)
	}
	root := w.Root()
	for _, name := range w.Names() {
		i, p, err := w.Prove(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := VerifyWeight(root, uint64(i), name, g.Initializers[name], p); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	i, p, _ := w.Prove("a")
	reshaped := mustT(t, []int{2}, 3, 4) // same data, other shape
	if VerifyWeight(root, uint64(i), "a", reshaped, p) == nil {
		t.Fatal("a tensor with another shape verified")
	}
	tampered := mustT(t, []int{1, 2}, 3, 4.5)
	if VerifyWeight(root, uint64(i), "a", tampered, p) == nil {
		t.Fatal("tampered data verified")
	}
	if VerifyWeight(root, uint64(i), "b", g.Initializers["a"], p) == nil {
		t.Fatal("renamed tensor verified")
	}
	if _, _, err := w.Prove("zz"); err == nil {
		t.Fatal("proved a missing tensor")
	}
}

// TestOutputHashInPlace: hashing tensor memory in place equals hashing the
// portable encoding.
func TestOutputHashInPlace(t *testing.T) {
	for _, x := range []*Tensor{randT(5, 3, 7), {DType: Int64, Shape: []int{3}, I: []int64{-1, 2, 1 << 40}}, NewTensor(0)} {
		if OutputHash(x) != sha256.Sum256(x.Bytes()) {
			t.Fatalf("in-place hash differs for %v", x.Shape)
		}
	}
}

func TestTraceRoundTrip(t *testing.T) {
	var tr Trace
	for i := 0; i < 9; i++ {
		tr.Append(sha256.Sum256([]byte{byte(i), 1}))
	}
	b, err := tr.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var back Trace
	if err := back.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if back.Root() != tr.Root() || back.Len() != tr.Len() || back.Leaf(8) != tr.Leaf(8) {
		t.Fatal("trace did not round-trip")
	}
	if err := back.UnmarshalBinary(b[:33]); err == nil {
		t.Fatal("ragged encoding accepted")
	}
}
