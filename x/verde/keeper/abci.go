package keeper

import (
	"context"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/verde/types"
)

// BeginBlocker resolves every dispute whose step deadline has come: the
// side that did not move loses (both, if neither did) — in a bisection step
// the move is revealing the leaf, in the referee phase justifying leaf hi
// with the operator's inputs.
func (k Keeper) BeginBlocker(ctx context.Context) error {
	height := sdk.UnwrapSDKContext(ctx).BlockHeight()
	var due []uint64
	err := k.Deadlines.Walk(ctx, nil, func(key collections.Pair[int64, uint64]) (bool, error) {
		if key.K1() > height {
			return true, nil
		}
		due = append(due, key.K2())
		return false, nil
	})
	if err != nil {
		return err
	}
	for _, id := range due {
		d, err := k.Disputes.Get(ctx, id)
		if err != nil {
			return err
		}
		status, reason := timeoutOutcome(d)
		if status, reason, err = k.silentRejection(ctx, &d, status, reason); err != nil {
			return err
		}
		if err := k.resolve(ctx, &d, status, reason); err != nil {
			return err
		}
		if err := k.Disputes.Set(ctx, id, d); err != nil {
			return err
		}
	}
	return nil
}

// silentRejection turns a timeout in a dispute where a side claims the
// runtime refuses the model (evaluationtypes.RejectedRoot, which is no
// Merkle root) into no verdict: that side can reveal no leaf and justify
// none, so its silence proves nothing about the other side's claim. The
// result stands and nobody is slashed; a false rejection by a majority is
// a limit of the game (README "Known limits").
func (k Keeper) silentRejection(ctx context.Context, d *types.Dispute, status types.DisputeStatus, reason string) (types.DisputeStatus, string, error) {
	if status == types.DISPUTE_STATUS_NO_VERDICT {
		return status, reason, nil
	}
	rejection, err := k.rejectionClaimed(ctx, d)
	if err != nil || !rejection {
		return status, reason, err
	}
	return types.DISPUTE_STATUS_NO_VERDICT, "a side claims the runtime refuses the model and cannot reveal a leaf: no verdict, the result stands", nil
}

// rejectionClaimed says whether a side of d claims the model's rejection
// by the runtime.
func (k Keeper) rejectionClaimed(ctx context.Context, d *types.Dispute) (bool, error) {
	m, err := k.eval.GetModel(ctx, d.ModelId)
	if err != nil {
		return false, err
	}
	return evaluationtypes.IsRejection(d.Claimant.TraceRoot, m.WeightsSha256) ||
		evaluationtypes.IsRejection(d.Challenger.TraceRoot, m.WeightsSha256), nil
}

// timeoutOutcome is the outcome of a dispute whose step deadline passed.
// In the referee phase a side that justified its leaf wins over one that
// did not; if neither did, the referee made no decision: an honest side
// always justifies when the chain can accept its justification, so both
// silent means the chain could not (or both sides are offline), and
// punishing either would punish the honest side for the referee's limits.
// A single liar could otherwise challenge an honest majority's result on a
// model too large to referee and get it slashed and the evaluation failed.
func timeoutOutcome(d types.Dispute) (types.DisputeStatus, string) {
	claimant, challenger := d.ClaimantReveal.Output != "", d.ChallengerReveal.Output != ""
	if d.Phase == types.PHASE_REFEREE {
		claimant, challenger = d.ClaimantJustified, d.ChallengerJustified
		if !claimant && !challenger {
			return types.DISPUTE_STATUS_NO_VERDICT, "neither side justified the disputed operator before the deadline: no verdict, the result stands"
		}
	}
	switch {
	case !claimant && !challenger:
		return types.DISPUTE_STATUS_BOTH_LOST, "neither side moved before the deadline"
	case !claimant:
		return types.DISPUTE_STATUS_CHALLENGER_WON, "the claimant did not move before the deadline"
	}
	return types.DISPUTE_STATUS_CLAIMANT_WON, "the challenger did not move before the deadline"
}
