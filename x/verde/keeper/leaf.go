package keeper

import (
	"encoding/hex"

	errorsmod "cosmossdk.io/errors"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/merkle"
	"github.com/delphi-network/delphi/x/verde/types"
)

// parseLeaf decodes a leaf's two 32-byte hex hashes.
func parseLeaf(l types.Leaf) (runtime.Leaf, error) {
	var out runtime.Leaf
	o, err1 := hex.DecodeString(l.Output)
	a, err2 := hex.DecodeString(l.Acc)
	if err1 != nil || err2 != nil || len(o) != 32 || len(a) != 32 {
		return out, errorsmod.Wrap(types.ErrBadLeaf, "a leaf is two 32-byte hex hashes (output, acc)")
	}
	copy(out.Output[:], o)
	copy(out.Acc[:], a)
	return out, nil
}

// parseRoot decodes a party's trace root.
func parseRoot(s string) (runtime.Hash, error) {
	var h runtime.Hash
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 32 {
		return h, errorsmod.Wrapf(types.ErrBadProof, "trace root %q is not a 32-byte hex hash", s)
	}
	copy(h[:], b)
	return h, nil
}

// verifyLeaf checks leaf i against a party's root with a proof given as
// sibling hashes; the tree size is the party's committed leaf count.
func verifyLeaf(p types.Party, i int64, leaf runtime.Leaf, siblings [][]byte) error {
	root, err := parseRoot(p.TraceRoot)
	if err != nil {
		return err
	}
	if i < 0 || uint64(i) >= p.Leaves {
		return errorsmod.Wrapf(types.ErrWrongIndex, "leaf %d outside the %d leaves committed", i, p.Leaves)
	}
	proof, err := parseProof(p.Leaves, siblings)
	if err != nil {
		return err
	}
	if err := runtime.VerifyLeaf(root, uint64(i), leaf, proof); err != nil {
		return errorsmod.Wrapf(types.ErrBadProof, "leaf %d against root %s: %v", i, p.TraceRoot, err)
	}
	return nil
}

func parseProof(leaves uint64, siblings [][]byte) (merkle.Proof, error) {
	if len(siblings) > 64 {
		return merkle.Proof{}, errorsmod.Wrapf(types.ErrBadProof, "%d siblings: a proof has at most 64", len(siblings))
	}
	p := merkle.Proof{LeafCount: leaves, Siblings: make([]merkle.Hash, len(siblings))}
	for j, s := range siblings {
		if len(s) != 32 {
			return p, errorsmod.Wrapf(types.ErrBadProof, "sibling %d has %d bytes, want 32", j, len(s))
		}
		copy(p.Siblings[j][:], s)
	}
	return p, nil
}

// party returns a pointer to one side of d.
func party(d *types.Dispute, side types.Side) (*types.Party, *types.Leaf, error) {
	switch side {
	case types.SIDE_CLAIMANT:
		return &d.Claimant, &d.ClaimantReveal, nil
	case types.SIDE_CHALLENGER:
		return &d.Challenger, &d.ChallengerReveal, nil
	}
	return nil, nil, errorsmod.Wrapf(types.ErrWrongSide, "side %d", side)
}
