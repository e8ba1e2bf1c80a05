package keeper

// An evaluation's end, top to bottom: a round closes once every model's
// result is final (closeRoundIfComplete, from the tally or a dispute's
// replacement); after the last round the challenge window starts
// (awaitFinal); the BeginBlocker finalizes it once the window has passed
// with no dispute open (finalizeAwaiting, finalizeIfReady) — the only
// place an evaluation finalizes — ranking the standings and calling the
// hooks, where x/market settles (finalizeEvaluation).

import (
	"context"
	"fmt"
	"sort"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// closeRoundIfComplete marks a round final once every model's result is, and
// starts the evaluation's challenge window after its last round.
func (k Keeper) closeRoundIfComplete(ctx context.Context, evalID uint64, r uint32) error {
	e, err := k.Evaluations.Get(ctx, evalID)
	if err != nil {
		return err
	}
	for _, m := range e.ModelIds {
		has, err := k.Results.Has(ctx, collections.Join3(evalID, r, m))
		if err != nil || !has {
			return err
		}
	}
	round, err := k.Rounds.Get(ctx, collections.Join(evalID, r))
	if err != nil {
		return err
	}
	round.Status = types.ROUND_STATUS_FINAL
	if err := k.Rounds.Set(ctx, collections.Join(evalID, r), round); err != nil {
		return err
	}
	if err := k.unindexRound(ctx, round); err != nil {
		return err
	}
	e.SetRoundHeight(&e.FinalHeights, r, sdk.UnwrapSDKContext(ctx).BlockHeight(), true)
	if err := k.Evaluations.Set(ctx, e.Id, e); err != nil {
		return err
	}
	var final uint32
	if err := k.Rounds.Walk(ctx, collections.NewPrefixedPairRange[uint64, uint32](evalID),
		func(_ collections.Pair[uint64, uint32], rd types.Round) (bool, error) {
			if rd.Status == types.ROUND_STATUS_FINAL {
				final++
			}
			return false, nil
		}); err != nil {
		return err
	}
	if final < e.Rounds {
		return nil
	}
	return k.awaitFinal(ctx, e)
}

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

// finalizeEvaluation ranks the models by cumulative correct answers (ties
// share a rank, listed by model id), returns the deposit, pays the
// reporters and reports the standings.
func (k Keeper) finalizeEvaluation(ctx context.Context, e types.Evaluation) error {
	standings := make([]types.Standing, 0, len(e.ModelIds))
	for _, m := range e.ModelIds {
		s := types.Standing{ModelId: m}
		for r := uint32(0); r < e.Rounds; r++ {
			res, err := k.Results.Get(ctx, collections.Join3(e.Id, r, m))
			if err != nil {
				return fmt.Errorf("evaluation %d round %d model %d: %w", e.Id, r, m, err)
			}
			s.Correct += res.Correct
			s.Items += uint64(e.ItemsPerRound)
		}
		standings = append(standings, s)
	}
	sort.SliceStable(standings, func(i, j int) bool {
		if standings[i].Correct != standings[j].Correct {
			return standings[i].Correct > standings[j].Correct
		}
		return standings[i].ModelId < standings[j].ModelId
	})
	var winners []uint64
	for i := range standings {
		if i > 0 && standings[i].Correct == standings[i-1].Correct {
			standings[i].Rank = standings[i-1].Rank
		} else {
			standings[i].Rank = uint32(i + 1)
		}
		if standings[i].Rank == 1 {
			winners = append(winners, standings[i].ModelId)
		}
	}
	if err := k.addToIndex(ctx, e, standings); err != nil {
		return err
	}
	e.Status = types.EVALUATION_STATUS_FINALIZED
	e.Standings = standings
	if err := k.Evaluations.Set(ctx, e.Id, e); err != nil {
		return err
	}
	if err := k.settleDeposit(ctx, e, false); err != nil {
		return err
	}
	if err := k.payReporters(ctx, e); err != nil {
		return err
	}
	if err := modkit.Emit(ctx, &types.EventEvaluationFinalized{EvaluationId: e.Id, Winners: winners}); err != nil {
		return err
	}
	if k.hooks != nil {
		return k.hooks.AfterEvaluationFinalized(ctx, e.Id, standings)
	}
	return nil
}
