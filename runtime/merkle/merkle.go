// Package merkle is the binary SHA-256 Merkle tree behind trace roots and
// weight roots. It has no dependencies beyond the standard library so that
// the chain (x/verde) can verify proofs without importing the runtime.
//
// Hashing is domain-separated so a leaf can never be passed off as an inner
// node or the reverse:
//
//	leaf  = SHA-256(0x00 || leaf data)
//	inner = SHA-256(0x01 || left || right)
//
// Levels are built left to right. When a level has an odd number of nodes
// its last node is promoted unchanged to the next level (it is not hashed
// with itself, which would let two different leaf lists share a root). The
// root of a single leaf is that leaf's hash; the root of no leaves is
// SHA-256 of the empty string.
package merkle

import (
	"crypto/sha256"
	"errors"
	"fmt"
)

// Hash is a SHA-256 digest.
type Hash = [32]byte

// LeafHash hashes leaf data with the 0x00 prefix.
func LeafHash(data []byte) Hash {
	h := sha256.New()
	h.Write([]byte{0})
	h.Write(data)
	var out Hash
	h.Sum(out[:0])
	return out
}

// InnerHash hashes two children with the 0x01 prefix.
func InnerHash(l, r Hash) Hash {
	var buf [65]byte
	buf[0] = 1
	copy(buf[1:], l[:])
	copy(buf[33:], r[:])
	return sha256.Sum256(buf[:])
}

// Tree holds every level of a tree built from leaf hashes; level 0 is the
// leaves, the last level is the root.
type Tree struct {
	levels [][]Hash
}

// New builds the tree over already-hashed leaves (see LeafHash).
func New(leaves []Hash) *Tree {
	t := &Tree{levels: [][]Hash{leaves}}
	for cur := leaves; len(cur) > 1; {
		next := make([]Hash, 0, (len(cur)+1)/2)
		for i := 0; i+1 < len(cur); i += 2 {
			next = append(next, InnerHash(cur[i], cur[i+1]))
		}
		if len(cur)%2 == 1 {
			next = append(next, cur[len(cur)-1])
		}
		t.levels = append(t.levels, next)
		cur = next
	}
	return t
}

// Root is the tree's root.
func (t *Tree) Root() Hash {
	top := t.levels[len(t.levels)-1]
	if len(top) == 0 {
		return sha256.Sum256(nil)
	}
	return top[0]
}

// Len is the number of leaves.
func (t *Tree) Len() int { return len(t.levels[0]) }

// Proof proves one leaf's inclusion: the leaf count fixes the tree's shape
// (and so which levels promote instead of hashing), and Siblings are the
// hashes met on the way up, bottom first, skipping promoted levels.
//
// The root does not commit to the leaf count: a verifier must compare
// LeafCount with the count committed next to the root (a run's result
// reports trace_root together with its number of leaves).
type Proof struct {
	LeafCount uint64
	Siblings  []Hash
}

// Prove returns the inclusion proof of leaf i.
func (t *Tree) Prove(i int) (Proof, error) {
	n := t.Len()
	if i < 0 || i >= n {
		return Proof{}, fmt.Errorf("leaf %d out of range [0, %d)", i, n)
	}
	p := Proof{LeafCount: uint64(n)}
	for _, level := range t.levels[:len(t.levels)-1] {
		sib := i ^ 1
		if sib < len(level) {
			p.Siblings = append(p.Siblings, level[sib])
		}
		i /= 2
	}
	return p, nil
}

// ErrProof is returned by Verify for any proof that does not check out.
var ErrProof = errors.New("merkle: invalid proof")

// Verify checks that leaf (a leaf hash) is leaf i of the tree with the
// given root. It recomputes the path using only the proof's leaf count, so
// it needs no other knowledge of the tree.
func Verify(root Hash, i uint64, leaf Hash, p Proof) error {
	n := p.LeafCount
	if n == 0 || i >= n || n > 1<<62 {
		return ErrProof
	}
	h := leaf
	used := 0
	for width := n; width > 1; width = (width + 1) / 2 {
		if i^1 < width { // has a sibling at this level
			if used >= len(p.Siblings) {
				return ErrProof
			}
			if i%2 == 0 {
				h = InnerHash(h, p.Siblings[used])
			} else {
				h = InnerHash(p.Siblings[used], h)
			}
			used++
		}
		i /= 2
	}
	if used != len(p.Siblings) || h != root {
		return ErrProof
	}
	return nil
}
