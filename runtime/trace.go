package runtime

import (
	"crypto/sha256"
	"fmt"

	"github.com/delphi-network/delphi/runtime/merkle"
)

// Hash is a SHA-256 digest.
type Hash = merkle.Hash

// OutputHash is o_i: SHA-256 over an operator output's canonical bytes
// (Tensor.Bytes: little-endian float32, or int64 for shape tensors). The
// shape is not hashed; it is fixed by the model and the input shape.
func OutputHash(t *Tensor) Hash {
	if b, ok := nativeLE(t); ok {
		return sha256.Sum256(b)
	}
	return sha256.Sum256(t.Bytes())
}

// Leaf is one trace leaf: the output hash o_i and the running accumulator
// a_i = SHA-256(a_{i-1} || o_i), with a_{-1} = 32 zero bytes. Two parties
// that agree on leaf i agree on every output before it.
type Leaf struct {
	Output Hash
	Acc    Hash
}

// Data is the leaf's 64 committed bytes, o_i || a_i.
func (l Leaf) Data() []byte {
	b := make([]byte, 64)
	copy(b, l.Output[:])
	copy(b[32:], l.Acc[:])
	return b
}

// Hash is the Merkle leaf hash, SHA-256(0x00 || o_i || a_i).
func (l Leaf) Hash() Hash { return merkle.LeafHash(l.Data()) }

// Trace accumulates leaves in canonical order (item, then node in
// topological order, then output index) and commits to them.
type Trace struct {
	leaves []Leaf
	tree   *merkle.Tree
}

// Append adds the next output hash.
func (t *Trace) Append(o Hash) {
	var prev Hash
	if n := len(t.leaves); n > 0 {
		prev = t.leaves[n-1].Acc
	}
	var buf [64]byte
	copy(buf[:], prev[:])
	copy(buf[32:], o[:])
	t.leaves = append(t.leaves, Leaf{Output: o, Acc: sha256.Sum256(buf[:])})
	t.tree = nil
}

// Len is the number of leaves.
func (t *Trace) Len() int { return len(t.leaves) }

// Leaf returns leaf i.
func (t *Trace) Leaf(i int) Leaf { return t.leaves[i] }

func (t *Trace) build() *merkle.Tree {
	if t.tree == nil {
		hs := make([]Hash, len(t.leaves))
		for i, l := range t.leaves {
			hs[i] = l.Hash()
		}
		t.tree = merkle.New(hs)
	}
	return t.tree
}

// Root is the trace_root: the Merkle root over the leaf hashes.
func (t *Trace) Root() Hash { return t.build().Root() }

// Prove returns leaf i and its inclusion proof against Root.
func (t *Trace) Prove(i int) (Leaf, merkle.Proof, error) {
	if i < 0 || i >= len(t.leaves) {
		return Leaf{}, merkle.Proof{}, fmt.Errorf("trace leaf %d out of range [0, %d)", i, len(t.leaves))
	}
	p, err := t.build().Prove(i)
	return t.leaves[i], p, err
}

// VerifyLeaf checks leaf i against a trace root.
func VerifyLeaf(root Hash, i uint64, leaf Leaf, p merkle.Proof) error {
	return merkle.Verify(root, i, leaf.Hash(), p)
}

// MarshalBinary encodes the trace as its output hashes, 32 bytes per leaf
// (the accumulators and the tree are recomputed on load): what a sidecar
// keeps on disk to answer a later dispute.
func (t *Trace) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, 32*len(t.leaves))
	for _, l := range t.leaves {
		b = append(b, l.Output[:]...)
	}
	return b, nil
}

// UnmarshalBinary rebuilds a trace from MarshalBinary's encoding.
func (t *Trace) UnmarshalBinary(b []byte) error {
	if len(b)%32 != 0 {
		return fmt.Errorf("trace encoding has %d bytes, not a multiple of 32", len(b))
	}
	*t = Trace{}
	for i := 0; i < len(b); i += 32 {
		var o Hash
		copy(o[:], b[i:])
		t.Append(o)
	}
	return nil
}
