package runtime

import (
	"encoding/binary"
	"fmt"

	"github.com/delphi-network/delphi/runtime/merkle"
)

// WeightLeafData is the canonical encoding of one initializer for the weight
// Merkle tree:
//
//	uint32 LE len(name) || name || uint8 dtype (1 float32, 7 int64)
//	|| uint32 LE rank || rank x uint64 LE dims || Tensor.Bytes()
//
// Lengths come first so no two (name, shape, data) triples share an encoding.
func WeightLeafData(name string, t *Tensor) []byte {
	b := make([]byte, 0, 9+len(name)+8*len(t.Shape)+8*t.Len())
	b = binary.LittleEndian.AppendUint32(b, uint32(len(name)))
	b = append(b, name...)
	b = append(b, byte(t.DType))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(t.Shape)))
	for _, d := range t.Shape {
		b = binary.LittleEndian.AppendUint64(b, uint64(d))
	}
	return append(b, t.Bytes()...)
}

// WeightTree commits to a graph's initializers, ordered by name (byte-wise
// ascending), one leaf each.
type WeightTree struct {
	names []string
	index map[string]int
	tree  *merkle.Tree
}

// NewWeightTree builds the tree over g's initializers.
func NewWeightTree(g *Graph) *WeightTree {
	names := g.sortedNames()
	w := &WeightTree{names: names, index: make(map[string]int, len(names))}
	hs := make([]Hash, len(names))
	for i, n := range names {
		w.index[n] = i
		hs[i] = merkle.LeafHash(WeightLeafData(n, g.Initializers[n]))
	}
	w.tree = merkle.New(hs)
	return w
}

// Root is the weight Merkle root.
func (w *WeightTree) Root() Hash { return w.tree.Root() }

// Names are the initializer names in leaf order.
func (w *WeightTree) Names() []string { return w.names }

// Prove returns the leaf index of the named initializer and its proof.
func (w *WeightTree) Prove(name string) (int, merkle.Proof, error) {
	i, ok := w.index[name]
	if !ok {
		return 0, merkle.Proof{}, fmt.Errorf("no initializer %q", name)
	}
	p, err := w.tree.Prove(i)
	return i, p, err
}

// VerifyWeight checks that (name, t) is leaf i of the weight tree with root.
func VerifyWeight(root Hash, i uint64, name string, t *Tensor, p merkle.Proof) error {
	return merkle.Verify(root, i, merkle.LeafHash(WeightLeafData(name, t)), p)
}
