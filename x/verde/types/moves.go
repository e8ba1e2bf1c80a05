package types

import "github.com/delphi-network/delphi/runtime"

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
