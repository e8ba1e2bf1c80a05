package llm

import (
	"encoding/binary"
	"fmt"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/merkle"
)

// Item commitments of the text benchmarks, for Verde: the item root is the
// Merkle root over the items' canonical encodings (leaf i = item i), so a
// referee step proves the one item it needs.

// textKinds maps each built-in text benchmark to its item kind.
var textKinds = map[string]string{"kjv-next": KindNext, "kjv-cloze": KindChoice, "kjv-complete": KindGenerate}

// KindOf is the item kind of the named text benchmark; false when name is
// not a text benchmark.
func KindOf(name string) (string, bool) {
	k, ok := textKinds[name]
	return k, ok
}

// Kind is the benchmark's item kind.
func (b *TextBench) Kind() (string, error) {
	k, ok := KindOf(b.Name)
	if !ok {
		return "", fmt.Errorf("%q is not a text benchmark", b.Name)
	}
	return k, nil
}

// ItemEncoding is item i's canonical bytes.
func (b *TextBench) ItemEncoding(i int) []byte { return b.Items[i].Encode() }

// tree is the Merkle tree over the item encodings, built once.
func (b *TextBench) itemTree() *merkle.Tree {
	if b.tree == nil {
		hs := make([]runtime.Hash, len(b.Items))
		for i, it := range b.Items {
			hs[i] = merkle.LeafHash(it.Encode())
		}
		b.tree = merkle.New(hs)
	}
	return b.tree
}

// ItemRoot is the Merkle root over the item encodings.
func (b *TextBench) ItemRoot() runtime.Hash { return b.itemTree().Root() }

// ProveItem is item i's Merkle proof against ItemRoot.
func (b *TextBench) ProveItem(i int) (merkle.Proof, error) { return b.itemTree().Prove(i) }

// Len is the number of items.
func (b *TextBench) Len() int { return len(b.Items) }

// MaxItemBytes bounds an item encoding a referee decodes.
const MaxItemBytes = 64 << 10

// DecodeTextItem parses an item's canonical encoding (Encode), refusing
// anything that does not re-encode to the same bytes.
func DecodeTextItem(b []byte) (TextItem, error) {
	if len(b) > MaxItemBytes {
		return TextItem{}, fmt.Errorf("item encoding of %d bytes, at most %d", len(b), MaxItemBytes)
	}
	rest := b
	u32 := func() (uint32, error) {
		if len(rest) < 4 {
			return 0, fmt.Errorf("item encoding truncated")
		}
		v := binary.BigEndian.Uint32(rest)
		rest = rest[4:]
		return v, nil
	}
	field := func() (string, error) {
		n, err := u32()
		if err != nil {
			return "", err
		}
		if uint64(n) > uint64(len(rest)) {
			return "", fmt.Errorf("item field of %d bytes in %d", n, len(rest))
		}
		s := string(rest[:n])
		rest = rest[n:]
		return s, nil
	}
	var it TextItem
	var err error
	if it.Kind, err = field(); err != nil {
		return TextItem{}, err
	}
	if it.Context, err = field(); err != nil {
		return TextItem{}, err
	}
	n, err := u32()
	if err != nil {
		return TextItem{}, err
	}
	if n > ChoiceOptions {
		return TextItem{}, fmt.Errorf("%d options, at most %d", n, ChoiceOptions)
	}
	for i := uint32(0); i < n; i++ {
		o, err := field()
		if err != nil {
			return TextItem{}, err
		}
		it.Options = append(it.Options, o)
	}
	a, err := u32()
	if err != nil {
		return TextItem{}, err
	}
	it.Answer = int(a)
	if it.Target, err = field(); err != nil {
		return TextItem{}, err
	}
	if len(rest) != 0 || string(it.Encode()) != string(b) {
		return TextItem{}, fmt.Errorf("not a canonical item encoding")
	}
	return it, nil
}
