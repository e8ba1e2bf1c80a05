package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/internal/modkit"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/verde/types"
)

// ContestResult implements x/evaluation's DisputeKeeper: the PreBlocker saw
// validators report a claim that differs from the final result, so a
// dispute opens between the two sides. A claim already in an open dispute
// about the same result is not disputed twice. A claim with the result's
// own trace root but another score is disputed too: every run ends with
// score leaves (runtime/score.go, runtime/llm/score.go), so the last leaf
// says whose score it is.
func (k Keeper) ContestResult(ctx context.Context, res evaluationtypes.Result, dissent evaluationtypes.Claim) error {
	if dissent.TraceRoot == res.TraceRoot && dissent.Correct == res.Correct {
		return nil
	}
	claimant := types.Party{Correct: res.Correct, TraceRoot: res.TraceRoot, Leaves: res.Leaves, Validators: res.Validators}
	challenger := types.Party{Correct: dissent.Correct, TraceRoot: dissent.TraceRoot, Leaves: dissent.Leaves, Validators: dissent.Validators}
	if dup, err := k.disputed(ctx, res, challenger.TraceRoot, challenger.Correct); err != nil || dup {
		return err
	}
	_, err := k.open(ctx, res, claimant, challenger)
	return err
}

// disputed reports whether an open dispute about res already has this
// challenger claim (root and score).
func (k Keeper) disputed(ctx context.Context, res evaluationtypes.Result, root string, correct uint64) (bool, error) {
	found := false
	err := k.OpenByEvaluation.Walk(ctx, collections.NewPrefixedPairRange[uint64, uint64](res.EvaluationId),
		func(key collections.Pair[uint64, uint64]) (bool, error) {
			d, err := k.Disputes.Get(ctx, key.K2())
			if err != nil {
				return true, err
			}
			found = d.Round == res.Round && d.ModelId == res.ModelId && d.Challenger.TraceRoot == root && d.Challenger.Correct == correct
			return found, nil
		})
	return found, err
}

// open starts a dispute: the first step asks both sides for their last
// leaf, where two different runs always differ.
func (k Keeper) open(ctx context.Context, res evaluationtypes.Result, claimant, challenger types.Party) (uint64, error) {
	if claimant.Leaves == 0 {
		return 0, errorsmod.Wrap(types.ErrInvalidChallenge, "the result commits to no leaves")
	}
	p, err := k.Params.Get(ctx)
	if err != nil {
		return 0, err
	}
	id, err := modkit.NextID(ctx, k.DisputeSeq)
	if err != nil {
		return 0, err
	}
	round, err := k.eval.GetRound(ctx, res.EvaluationId, res.Round)
	if err != nil {
		return 0, err
	}
	height := sdk.UnwrapSDKContext(ctx).BlockHeight()
	last := int64(min(claimant.Leaves, challenger.Leaves)) - 1
	d := types.Dispute{
		Id: id, EvaluationId: res.EvaluationId, Round: res.Round, ModelId: res.ModelId,
		Claimant: claimant, Challenger: challenger, Lo: -1, Hi: last, Index: last,
		Phase: types.PHASE_BISECT, Status: types.DISPUTE_STATUS_OPEN, OpenedHeight: height,
		Attempt: round.Attempt, Seed: round.Seed,
	}
	if claimant.Leaves != challenger.Leaves {
		// The sides disagree on the run's shape: the first referee step
		// (at the last leaf both have) checks each count against the model
		// and the side with an impossible one loses.
		d.Phase, d.Lo = types.PHASE_REFEREE, last-1
	}
	if err := k.setDeadline(ctx, &d, height+int64(p.StepBlocks)); err != nil {
		return 0, err
	}
	if err := k.Disputes.Set(ctx, id, d); err != nil {
		return 0, err
	}
	if err := k.OpenByEvaluation.Set(ctx, collections.Join(d.EvaluationId, id)); err != nil {
		return 0, err
	}
	return id, modkit.Emit(ctx, &types.EventDisputeOpened{DisputeId: id, EvaluationId: d.EvaluationId, Round: d.Round,
		ModelId: d.ModelId, ClaimantRoot: claimant.TraceRoot, ChallengerRoot: challenger.TraceRoot,
		Index: d.Index, DeadlineHeight: d.DeadlineHeight})
}
