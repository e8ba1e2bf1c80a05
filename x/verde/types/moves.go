package types

import (
	"encoding/hex"
	"fmt"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/merkle"
)

// Helpers both the keeper and an off-chain player (evaluator/player) use.

// WaitingFor names the sides whose move an open dispute waits for: those
// that have not revealed this step's leaf, or in the referee phase not yet
// justified their leaf hi.
func WaitingFor(d Dispute) []Side {
	if d.Status != DISPUTE_STATUS_OPEN {
		return nil
	}
	claimant, challenger := d.ClaimantReveal.Output != "", d.ChallengerReveal.Output != ""
	if d.Phase == PHASE_REFEREE {
		claimant, challenger = d.ClaimantJustified, d.ChallengerJustified
	}
	var out []Side
	if !claimant {
		out = append(out, SIDE_CLAIMANT)
	}
	if !challenger {
		out = append(out, SIDE_CHALLENGER)
	}
	return out
}

// TensorMessage encodes a runtime tensor for OperatorInput (the sidecar's
// side of the keeper's tensorFrom).
func TensorMessage(t *runtime.Tensor) *Tensor {
	shape := make([]int64, len(t.Shape))
	for i, d := range t.Shape {
		shape[i] = int64(d)
	}
	return &Tensor{Dtype: uint32(t.DType), Shape: shape, Data: t.Bytes()}
}

// FormatLeaf is a trace leaf as messages and state carry it: its output
// hash and accumulator in hex.
func FormatLeaf(l runtime.Leaf) Leaf {
	return Leaf{Output: hex.EncodeToString(l.Output[:]), Acc: hex.EncodeToString(l.Acc[:])}
}

// Siblings is a Merkle proof as messages carry it.
func Siblings(p merkle.Proof) [][]byte {
	out := make([][]byte, len(p.Siblings))
	for i, s := range p.Siblings {
		out[i] = append([]byte(nil), s[:]...)
	}
	return out
}

// RevealLeaf is a side's move at a bisection step: its leaf at the step's
// index of its trace tr, with the Merkle proof against tr's root.
func RevealLeaf(submitter string, d Dispute, side Side, tr *runtime.Trace) (*MsgBisect, error) {
	if d.Index < 0 || d.Index >= int64(tr.Len()) {
		return nil, fmt.Errorf("dispute %d asks for leaf %d of a %d-leaf trace", d.Id, d.Index, tr.Len())
	}
	leaf, proof, err := tr.Prove(int(d.Index))
	if err != nil {
		return nil, err
	}
	return &MsgBisect{Submitter: submitter, DisputeId: d.Id, Side: side, Index: d.Index,
		Leaf: FormatLeaf(leaf), Proof: Siblings(proof)}, nil
}
