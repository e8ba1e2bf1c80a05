package llm

import (
	"testing"

	"github.com/delphi-network/delphi/runtime/merkle"
)

func TestTextItemEncoding(t *testing.T) {
	for _, name := range TextBenchNames {
		b, _ := BuildTextBench(name, someVerses)
		for i := range b.Items {
			enc := b.ItemEncoding(i)
			got, err := DecodeTextItem(enc)
			if err != nil || string(got.Encode()) != string(enc) {
				t.Fatalf("%s item %d: %v", name, i, err)
			}
			p, _ := b.ProveItem(i)
			if err := merkle.Verify(b.ItemRoot(), uint64(i), merkle.LeafHash(enc), p); err != nil || p.LeafCount != uint64(b.Len()) {
				t.Fatalf("item %d against the item root: %v", i, err)
			}
			if i > 0 && merkle.Verify(b.ItemRoot(), uint64(i-1), merkle.LeafHash(enc), p) == nil {
				t.Fatalf("item %d proved at index %d", i, i-1)
			}
			for cut := 0; cut < len(enc); cut += 7 {
				if _, err := DecodeTextItem(enc[:cut]); err == nil {
					t.Fatalf("%s item %d truncated to %d decoded", name, i, cut)
				}
			}
			if _, err := DecodeTextItem(append(enc, 0)); err == nil {
				t.Fatal("a padded item decoded")
			}
		}
	}
}

func FuzzDecodeTextItem(f *testing.F) {
	b, _ := BuildTextBench("kjv-cloze", someVerses)
	f.Add(b.ItemEncoding(0))
	f.Add([]byte{0, 0, 0, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		it, err := DecodeTextItem(data)
		if err == nil && string(it.Encode()) != string(data) {
			t.Fatal("a non-canonical encoding decoded")
		}
	})
}

func TestNextPoints(t *testing.T) {
	for _, c := range []struct {
		bits  float64
		bytes int
		want  int
	}{
		{0, 10, 1000}, {80, 10, 0}, {40, 10, 500}, {160, 10, 0}, {1, 0, 0}, {10.01, 10, 875}, {-5, 10, 1000},
	} {
		if got := NextPoints(c.bits, c.bytes); got != c.want {
			t.Errorf("NextPoints(%v, %d) = %d, want %d", c.bits, c.bytes, got, c.want)
		}
	}
}
