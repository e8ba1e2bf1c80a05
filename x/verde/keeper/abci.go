package keeper

import (
	"context"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

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
		if err := k.resolve(ctx, &d, status, reason); err != nil {
			return err
		}
		if err := k.Disputes.Set(ctx, id, d); err != nil {
			return err
		}
	}
	return nil
}

func timeoutOutcome(d types.Dispute) (types.DisputeStatus, string) {
	claimant, challenger := d.ClaimantReveal.Output != "", d.ChallengerReveal.Output != ""
	if d.Phase == types.PHASE_REFEREE {
		claimant, challenger = d.ClaimantJustified, d.ChallengerJustified
	}
	switch {
	case !claimant && !challenger:
		return types.DISPUTE_STATUS_BOTH_LOST, "neither side moved before the deadline"
	case !claimant:
		return types.DISPUTE_STATUS_CHALLENGER_WON, "the claimant did not move before the deadline"
	}
	return types.DISPUTE_STATUS_CLAIMANT_WON, "the challenger did not move before the deadline"
}
