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
		if status, reason, err = k.provenWinner(ctx, &d, status, reason); err != nil {
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

// provenWinner keeps a win by the other side's silence at the first step
// only if the winner's own last leaf, the one it revealed, is the score it
// claims (on a classifier benchmark, where the last leaf is the score): a
// challenger must not replace a 2/3 result with a score its own trace does
// not commit to just because the claimant side did not move in time. A
// winner that contradicts itself loses too.
func (k Keeper) provenWinner(ctx context.Context, d *types.Dispute, status types.DisputeStatus, reason string) (types.DisputeStatus, string, error) {
	if d.Phase != types.PHASE_BISECT || len(d.History) > 0 ||
		(status != types.DISPUTE_STATUS_CHALLENGER_WON && status != types.DISPUTE_STATUS_CLAIMANT_WON) {
		return status, reason, nil
	}
	proven, err := k.scoreProven(ctx, d)
	if err != nil || !proven {
		return status, reason, err
	}
	winner, reveal := d.Challenger, d.ChallengerReveal
	if status == types.DISPUTE_STATUS_CLAIMANT_WON {
		winner, reveal = d.Claimant, d.ClaimantReveal
	}
	if !scoreLeafIs(reveal, winner.Correct) {
		return types.DISPUTE_STATUS_BOTH_LOST, reason + "; the other side's last leaf is not the score it claims", nil
	}
	return status, reason, nil
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
