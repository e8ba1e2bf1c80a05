// Package bench holds Delphi's benchmarks: real labelled test sets with a
// canonical encoding, a hash over it, deterministic item selection from a
// seed, and the metric (correct count). Third-party files are read from
// their packages (Go modules, Debian packages; see scripts/fetch-data.sh) and
// checked against pinned SHA-256 digests before a byte is parsed.
package bench

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/merkle"
)

// Benchmark is a loaded labelled dataset. Items are in the order of the
// source file: item i is the i-th record.
type Benchmark struct {
	name     string
	shape    []int     // one item's input shape, e.g. [1,1,28,28] or [1,F]
	features []float32 // all items' raw values, item-major (tabular sets)
	pixels   []uint8   // image sets: the same values kept as bytes (4x less memory)
	per      int       // values per item
	labels   []int
	classes  int
	tree     *merkle.Tree
	encHash  runtime.Hash
}

// New builds a benchmark from raw values; used by the loaders and tests.
func New(name string, shape []int, features []float32, labels []int, classes int) (*Benchmark, error) {
	per := 1
	for _, d := range shape {
		per *= d
	}
	if per <= 0 || len(features) != per*len(labels) {
		return nil, fmt.Errorf("benchmark %s: %d values for %d items of shape %v", name, len(features), len(labels), shape)
	}
	if err := checkLabels(name, labels, classes); err != nil {
		return nil, err
	}
	b := &Benchmark{name: name, shape: shape, features: features, labels: labels, classes: classes, per: per}
	b.commit()
	return b, nil
}

// newPixels builds an image benchmark whose values are bytes 0..255; items
// are still float32 tensors of those values.
func newPixels(name string, shape []int, pixels []uint8, labels []int, classes int) (*Benchmark, error) {
	per := 1
	for _, d := range shape {
		per *= d
	}
	if per <= 0 || len(pixels) != per*len(labels) {
		return nil, fmt.Errorf("benchmark %s: %d pixels for %d items of shape %v", name, len(pixels), len(labels), shape)
	}
	if err := checkLabels(name, labels, classes); err != nil {
		return nil, err
	}
	b := &Benchmark{name: name, shape: shape, pixels: pixels, labels: labels, classes: classes, per: per}
	b.commit()
	return b, nil
}

func checkLabels(name string, labels []int, classes int) error {
	for i, l := range labels {
		if l < 0 || l >= classes {
			return fmt.Errorf("benchmark %s: item %d label %d outside [0,%d)", name, i, l, classes)
		}
	}
	return nil
}

// Name is the benchmark's registry name.
func (b *Benchmark) Name() string { return b.name }

// Len is the number of items.
func (b *Benchmark) Len() int { return len(b.labels) }

// Classes is the number of labels.
func (b *Benchmark) Classes() int { return b.classes }

// InputShape is one item's tensor shape.
func (b *Benchmark) InputShape() []int { return append([]int(nil), b.shape...) }

// Item returns item i's input tensor (for tabular sets it shares the
// benchmark's memory and must not be modified) and its label.
func (b *Benchmark) Item(i int) (*runtime.Tensor, int) {
	per := b.per
	var vals []float32
	if b.pixels != nil {
		vals = make([]float32, per)
		for k, p := range b.pixels[i*per : (i+1)*per] {
			vals[k] = float32(p)
		}
	} else {
		vals = b.features[i*per : (i+1)*per]
	}
	t, _ := runtime.FromFloats(b.shape, vals)
	return t, b.labels[i]
}

// ItemEncoding is item i's canonical encoding:
//
//	uint32 LE label || per-item float32 LE values (row-major)
//
// The benchmark's canonical encoding is the header
// "delphi-benchmark-v1" || uint32 LE item count || uint32 LE rank ||
// rank x uint32 LE dims, followed by every item's encoding in order.
func (b *Benchmark) ItemEncoding(i int) []byte {
	x, label := b.Item(i)
	out := binary.LittleEndian.AppendUint32(nil, uint32(label))
	for _, v := range x.F {
		out = binary.LittleEndian.AppendUint32(out, math.Float32bits(v))
	}
	return out
}

func (b *Benchmark) commit() {
	h := sha256.New()
	h.Write([]byte("delphi-benchmark-v1"))
	var hdr []byte
	hdr = binary.LittleEndian.AppendUint32(hdr, uint32(b.Len()))
	hdr = binary.LittleEndian.AppendUint32(hdr, uint32(len(b.shape)))
	for _, d := range b.shape {
		hdr = binary.LittleEndian.AppendUint32(hdr, uint32(d))
	}
	h.Write(hdr)
	leaves := make([]merkle.Hash, b.Len())
	for i := range leaves {
		e := b.ItemEncoding(i)
		h.Write(e)
		leaves[i] = merkle.LeafHash(e)
	}
	h.Sum(b.encHash[:0])
	b.tree = merkle.New(leaves)
}

// SHA256 is the hash of the canonical encoding: the benchmark's identity.
func (b *Benchmark) SHA256() runtime.Hash { return b.encHash }

// ItemRoot is the Merkle root over the item encodings (leaf i = item i), so
// one item can be proven during a dispute without the whole set.
func (b *Benchmark) ItemRoot() runtime.Hash { return b.tree.Root() }

// ProveItem returns item i's inclusion proof against ItemRoot.
func (b *Benchmark) ProveItem(i int) (merkle.Proof, error) { return b.tree.Prove(i) }

// DecodeItem is the inverse of ItemEncoding for an item of the given shape:
// what a verifier uses after proving an encoding against ItemRoot.
func DecodeItem(enc []byte, shape []int) (*runtime.Tensor, int, error) {
	per := 1
	for _, d := range shape {
		if d < 1 || d > 1<<24 {
			return nil, 0, fmt.Errorf("bad item shape %v", shape)
		}
		per *= d
		if per > 1<<24 {
			return nil, 0, fmt.Errorf("item shape %v too large", shape)
		}
	}
	if len(enc) != 4+4*per {
		return nil, 0, fmt.Errorf("item encoding has %d bytes, shape %v needs %d", len(enc), shape, 4+4*per)
	}
	vals := make([]float32, per)
	for i := range vals {
		vals[i] = math.Float32frombits(binary.LittleEndian.Uint32(enc[4+4*i:]))
	}
	t, err := runtime.FromFloats(shape, vals)
	return t, int(binary.LittleEndian.Uint32(enc)), err
}
