package keeper

import (
	"context"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/x/evaluation/types"
)

// RedrawRound draws a round again after a dispute about one of its
// results ended without a verdict at the referee's deadline (x/verde):
// neither side justified the disputed leaf, so nothing shows which claim
// holds. Like a round without quorum, the attempt's results and
// commitments are discarded and the round is drawn with a new seed; the
// evaluation, if it was only waiting out its challenge window, waits for
// the round again, with its deadline moved as far past the new draw as
// it was past its last draw (at least a seed's wait and a commit and a
// reveal window). A round already redrawn or not yet accounted for
// participation, an evaluation no longer running or already past its
// deadline, or a round out of retries keeps its state: the result stands.
// It reports whether the round was redrawn.
func (k Keeper) RedrawRound(ctx context.Context, evaluationID uint64, r uint32, attempt uint32) (bool, error) {
	e, err := k.Evaluations.Get(ctx, evaluationID)
	if err != nil || e.Status != types.EVALUATION_STATUS_RUNNING {
		return false, err
	}
	round, err := k.Rounds.Get(ctx, collections.Join(evaluationID, r))
	if err != nil {
		return false, err
	}
	// Only a final round whose attempt was counted for participation (its
	// reveal window closed): an earlier redraw would drop that count.
	if round.Attempt != attempt || round.Status != types.ROUND_STATUS_FINAL || !round.Accounted {
		return false, nil
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return false, err
	}
	height := sdk.UnwrapSDKContext(ctx).BlockHeight()
	if round.Attempt >= params.MaxRoundRetries || (e.FinalAfterHeight == 0 && e.DeadlineHeight <= height) {
		return false, nil // out of retries, or overdue: failOverdue decides
	}
	// How far the deadline was past the last draw, and never less than a
	// round needs: a seed's longest wait, a commit and a reveal window.
	slack := int64(params.SeedMaxWaitBlocks + params.CommitWindowBlocks + params.RevealWindowBlocks)
	if n := len(e.DrawHeights); n > 0 {
		slack = max(slack, e.DeadlineHeight-e.DrawHeights[n-1])
	}
	if e.FinalAfterHeight != 0 { // every round was final: back to waiting for this one
		if err := k.AwaitingFinal.Remove(ctx, e.Id); err != nil {
			return false, err
		}
		e.FinalAfterHeight = 0
	} else if err := k.Deadlines.Remove(ctx, collections.Join(e.DeadlineHeight, e.Id)); err != nil {
		return false, err
	}
	if err := k.clearAttempt(ctx, e, r); err != nil {
		return false, err
	}
	round.Attempt++
	round.Status, round.Phase = types.ROUND_STATUS_SEEDING, types.ROUND_PHASE_UNSPECIFIED
	if round.SeedHeight, err = k.moveDraw(ctx, &e, r, height); err != nil {
		return false, err
	}
	e.DeadlineHeight = max(e.DeadlineHeight, round.SeedHeight+slack)
	e.SetRoundHeight(&e.FinalHeights, r, 0, true) // not final again
	if err := k.Evaluations.Set(ctx, e.Id, e); err != nil {
		return false, err
	}
	if err := k.Deadlines.Set(ctx, collections.Join(e.DeadlineHeight, e.Id)); err != nil {
		return false, err
	}
	return true, k.Rounds.Set(ctx, collections.Join(evaluationID, r), round)
}
