package runtime

import (
	"encoding/binary"
	"fmt"

	"github.com/delphi-network/delphi/runtime/merkle"
)

// WeightLeafData is the canonical encoding of one initializer for the weight
// Merkle tree:
//
//	uint32 LE len(name) || name || uint8 dtype (1 float32, 7 int64, 9 bool)
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

// WeightTree commits to an ONNX model part by part: leaf 0 is its
// skeleton (SkeletonLeafData), then one leaf per initializer, ordered by
// name (byte-wise ascending).
type WeightTree struct {
	names []string
	index map[string]int
	tree  *merkle.Tree
}

// NewWeightTree builds the tree over g's initializers.
func NewWeightTree(g *Graph) *WeightTree {
	names := g.sortedNames()
	w := &WeightTree{names: names, index: make(map[string]int, len(names))}
	hs := make([]Hash, 1+len(names))
	hs[0] = merkle.LeafHash(SkeletonLeafData(g.skeleton))
	for i, n := range names {
		w.index[n] = i + 1
		hs[i+1] = merkle.LeafHash(WeightLeafData(n, g.Initializers[n]))
	}
	w.tree = merkle.New(hs)
	return w
}

// Root is the weight Merkle root.
func (w *WeightTree) Root() Hash { return w.tree.Root() }

// Names are the initializer names in leaf order (from leaf 1).
func (w *WeightTree) Names() []string { return w.names }

// Len is the number of leaves: the skeleton and the initializers.
func (w *WeightTree) Len() int { return 1 + len(w.names) }

// ProveSkeleton returns the proof of leaf 0, the skeleton.
func (w *WeightTree) ProveSkeleton() (merkle.Proof, error) { return w.tree.Prove(0) }

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

// ParseWeightLeafData decodes WeightLeafData's encoding, refusing a
// truncated or padded one, a rank above 8 or more than maxElements
// elements.
func ParseWeightLeafData(b []byte, maxElements int) (string, *Tensor, error) {
	if len(b) < 4 {
		return "", nil, fmt.Errorf("weight leaf truncated")
	}
	n := binary.LittleEndian.Uint32(b)
	if uint64(n) > uint64(len(b)-4) || len(b)-4-int(n) < 5 {
		return "", nil, fmt.Errorf("weight leaf truncated")
	}
	name := string(b[4 : 4+n])
	rest := b[4+n:]
	dt := DType(rest[0])
	rank := binary.LittleEndian.Uint32(rest[1:])
	rest = rest[5:]
	if rank > 8 || uint64(len(rest)) < 8*uint64(rank) {
		return "", nil, fmt.Errorf("weight leaf %q: rank %d", name, rank)
	}
	shape := make([]int, rank)
	elems := 1
	for i := range shape {
		d := binary.LittleEndian.Uint64(rest[8*i:])
		if d > uint64(maxElements) || elems*int(d) > maxElements {
			return "", nil, fmt.Errorf("weight leaf %q: more than %d elements", name, maxElements)
		}
		shape[i] = int(d)
		elems *= int(d)
	}
	data := rest[8*rank:]
	t, err := TensorFromBytes(dt, shape, data)
	if err != nil {
		return "", nil, fmt.Errorf("weight leaf %q: %w", name, err)
	}
	return name, t, nil
}
