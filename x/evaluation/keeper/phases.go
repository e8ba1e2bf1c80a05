package keeper

import (
	"context"
	"math"

	"cosmossdk.io/collections"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// closeCommitWindows ends the commit phase of every round whose window is
// due at height, and of every round that got commitments in this block
// and now has one from every validator of the commit for every model:
// with nobody left to wait for, reveals may begin at once. Reveals count
// from the next block on, for reveal_window_blocks.
func (k Keeper) closeCommitWindows(ctx context.Context, height int64, tb *tallyBlock, set voters) error {
	if len(set.addrs) == 0 {
		// A block without a last commit (the first after a genesis
		// import): nobody to make eligible. Windows due wait for the next
		// block, whose commit has the validators.
		return nil
	}
	var due []collections.Triple[int64, uint64, uint32]
	rng := new(collections.Range[collections.Triple[int64, uint64, uint32]]).
		EndInclusive(collections.Join3(height, uint64(math.MaxUint64), uint32(math.MaxUint32)))
	if err := k.CommitDeadlines.Walk(ctx, rng, func(key collections.Triple[int64, uint64, uint32]) (bool, error) {
		due = append(due, key)
		return false, nil
	}); err != nil {
		return err
	}
	for _, key := range due {
		if err := k.CommitDeadlines.Remove(ctx, key); err != nil {
			return err
		}
		if err := k.closeCommitWindow(ctx, key.K2(), key.K3(), height, set); err != nil {
			return err
		}
	}
	for _, rk := range tb.rounds {
		everyone, err := k.allCommitted(ctx, rk.evaluation, rk.round, set)
		if err != nil {
			return err
		}
		if everyone {
			if err := k.closeCommitWindow(ctx, rk.evaluation, rk.round, height, set); err != nil {
				return err
			}
		}
	}
	return nil
}

// allCommitted says whether every validator with power has committed to
// every model of the round.
func (k Keeper) allCommitted(ctx context.Context, id uint64, r uint32, set voters) (bool, error) {
	if len(set.addrs) == 0 {
		return false, nil
	}
	e, err := k.Evaluations.Get(ctx, id)
	if err != nil {
		return false, err
	}
	for _, m := range e.ModelIds {
		for _, val := range set.addrs {
			has, err := k.Commitments.Has(ctx, commitKey(id, r, m, val))
			if err != nil || !has {
				return false, err
			}
		}
	}
	return true, nil
}

// closeCommitWindow moves an open round in its commit phase to its reveal
// phase at height.
func (k Keeper) closeCommitWindow(ctx context.Context, id uint64, r uint32, height int64, set voters) error {
	round, err := k.Rounds.Get(ctx, collections.Join(id, r))
	if err != nil {
		return err
	}
	if round.Status != types.ROUND_STATUS_OPEN || round.Phase != types.ROUND_PHASE_COMMIT {
		return nil // closed already, or a stale index entry of an earlier attempt
	}
	p, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if err := k.CommitDeadlines.Remove(ctx, collections.Join3(round.CommitDeadline, id, r)); err != nil {
		return err
	}
	round.Phase, round.CommitClosedHeight, round.Eligible = types.ROUND_PHASE_REVEAL, height, hexAll(set.addrs)
	// Bounded: the window by params, the height by the block height.
	round.RevealEndHeight = height + int64(p.RevealWindowBlocks)
	if err := k.Rounds.Set(ctx, collections.Join(id, r), round); err != nil {
		return err
	}
	if err := k.RevealEnds.Set(ctx, collections.Join3(round.RevealEndHeight, id, r)); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventCommitWindowClosed{EvaluationId: id, Round: r, Attempt: round.Attempt, Eligible: uint32(len(round.Eligible))})
}
