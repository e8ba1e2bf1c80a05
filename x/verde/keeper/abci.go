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
		if s, r, ok, err := k.sameTraceTimeout(ctx, &d); err != nil {
			return err
		} else if ok {
			status, reason = s, r
		}
		status, reason = k.silentRejection(ctx, &d, status, reason)
		if err := k.resolve(ctx, &d, status, reason); err != nil {
			return err
		}
		if err := k.Disputes.Set(ctx, id, d); err != nil {
			return err
		}
	}
	return nil
}

// sameTraceTimeout decides a first step that timed out with one reveal
// when both sides committed to the same trace: the revealed last leaf is
// the silent side's too, so it proves or refutes both scores, and the
// scores decide (firstStepVerdict) rather than the silence.
func (k Keeper) sameTraceTimeout(ctx context.Context, d *types.Dispute) (types.DisputeStatus, string, bool, error) {
	if d.Phase != types.PHASE_BISECT || len(d.History) > 0 || d.Claimant.TraceRoot != d.Challenger.TraceRoot {
		return types.DISPUTE_STATUS_UNSPECIFIED, "", false, nil
	}
	leaf := d.ClaimantReveal
	if leaf.Output == "" {
		leaf = d.ChallengerReveal
	}
	if leaf.Output == "" {
		return types.DISPUTE_STATUS_UNSPECIFIED, "", false, nil
	}
	proven, err := k.scoreProven(ctx, d)
	if err != nil || !proven {
		return types.DISPUTE_STATUS_UNSPECIFIED, "", false, err
	}
	d.ClaimantScoreFalse = !scoreLeafIs(leaf, d.Claimant.Correct)
	d.ChallengerScoreFalse = !scoreLeafIs(leaf, d.Challenger.Correct)
	s, r, ok := firstStepVerdict(d, true)
	return s, r, ok, nil
}

// silentRejection turns a timeout lost by a result that is the model's
// rejection by the runtime (evaluationtypes.RejectedRoot: 1 leaf, 0
// correct, no Merkle root of anything) into no verdict: its side can
// reveal no leaf and justify none, so its silence proves nothing about the
// challenger's claim. The result stands and nobody is slashed; a false
// rejection by a majority is a limit of the game (README "Known limits").
// A challenger that claims the rejection gets no such shelter: the result's
// side can play, and the challenger loses.
func (k Keeper) silentRejection(ctx context.Context, d *types.Dispute, status types.DisputeStatus, reason string) (types.DisputeStatus, string) {
	if (status == types.DISPUTE_STATUS_CHALLENGER_WON || status == types.DISPUTE_STATUS_BOTH_LOST) && k.resultIsRejection(ctx, d) {
		return types.DISPUTE_STATUS_NO_VERDICT, "the result is the model's rejection by the runtime, which can reveal no leaf: no verdict, the result stands"
	}
	return status, reason
}

// resultIsRejection says whether the disputed result (the claimant's
// claim) is exactly the model's rejection by the runtime. A model that
// cannot be read counts as no rejection: block hooks never fail on it.
func (k Keeper) resultIsRejection(ctx context.Context, d *types.Dispute) bool {
	m, err := k.eval.GetModel(ctx, d.ModelId)
	return err == nil && d.Claimant.Leaves == 1 && d.Claimant.Correct == 0 &&
		evaluationtypes.IsRejection(d.Claimant.TraceRoot, m.WeightsSha256)
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
			return types.DISPUTE_STATUS_NO_VERDICT, "neither side justified the disputed operator before the deadline: no verdict, nobody is punished and the round is drawn again"
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
