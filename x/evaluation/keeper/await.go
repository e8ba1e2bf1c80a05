package keeper

import (
	"context"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/x/evaluation/types"
)

// awaitFinal starts an evaluation's challenge window once every round is
// final: it finalizes challenge_window_blocks later, when no dispute about
// it is open. Finalizing (and with it every settlement the hooks run) has
// one entry point, finalizeAwaiting in the BeginBlocker: with a zero
// window that is the BeginBlocker of this same block, after the
// PreBlocker (or transaction) that made the last round final.
func (k Keeper) awaitFinal(ctx context.Context, e types.Evaluation) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	height := sdk.UnwrapSDKContext(ctx).BlockHeight()
	// Bounded: the window by params, the height by the block height.
	e.FinalAfterHeight = height + int64(params.ChallengeWindowBlocks)
	if err := k.Evaluations.Set(ctx, e.Id, e); err != nil {
		return err
	}
	if err := k.AwaitingFinal.Set(ctx, e.Id); err != nil {
		return err
	}
	// Every round is final: only disputes hold it now, not the deadline.
	return k.Deadlines.Remove(ctx, collections.Join(e.DeadlineHeight, e.Id))
}

// finalizeAwaiting finalizes every waiting evaluation whose window has
// passed with no dispute open, in id order.
func (k Keeper) finalizeAwaiting(ctx context.Context, height int64) error {
	var ids []uint64
	if err := k.AwaitingFinal.Walk(ctx, nil, func(id uint64) (bool, error) {
		ids = append(ids, id)
		return false, nil
	}); err != nil {
		return err
	}
	for _, id := range ids {
		if err := k.finalizeIfReady(ctx, id, height); err != nil {
			return err
		}
	}
	return nil
}

func (k Keeper) finalizeIfReady(ctx context.Context, id uint64, height int64) error {
	e, err := k.Evaluations.Get(ctx, id)
	if err != nil {
		return err
	}
	if e.Status != types.EVALUATION_STATUS_RUNNING {
		return k.AwaitingFinal.Remove(ctx, id) // failed meanwhile (a dispute both sides lost)
	}
	if height < e.FinalAfterHeight {
		return nil
	}
	if k.disputes != nil {
		open, err := k.disputes.HasOpenDisputes(ctx, id)
		if err != nil || open {
			return err
		}
	}
	if err := k.AwaitingFinal.Remove(ctx, id); err != nil {
		return err
	}
	return k.finalizeEvaluation(ctx, e)
}
