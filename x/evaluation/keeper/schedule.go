package keeper

import (
	"context"
	"errors"

	errorsmod "cosmossdk.io/errors"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/x/evaluation/types"
)

// The draw schedule. A block draws at most max_draws_per_block rounds, so
// the heights draws wait at are a capacity: every round of an evaluation
// reserves its draw when the evaluation is created, at the first height at
// or after the one it wants that has room (DrawLoad). First come, first
// served: evaluations created later, however many, cannot take a reserved
// height or push a reserved draw back, and the deadline counts from the
// last round's reserved height, so nobody's evaluation fails because
// someone else's crowded the blocks. The chain's own redraws (a round that
// timed out, a seed that failed) look for room the same way.

// slotSearchBlocks is how far past the height it wants a draw looks for
// room; a variable so tests can make a full schedule small.
var slotSearchBlocks int64 = 4096

// errScheduleFull refuses an evaluation whose draws find no room.
var errScheduleFull = errors.New("the draw schedule is full")

// reserveDraw makes round r of an evaluation wait for the seed of the
// first height at or after want, at least seed_lead_blocks away, with room
// for one more draw, and returns that height. With no room within
// slotSearchBlocks a new evaluation is refused (strict); a redraw takes
// the first height it looked at, over the limit (drawDue spreads any
// excess over the next blocks), rather than fail the block.
func (k Keeper) reserveDraw(ctx context.Context, id uint64, r uint32, want int64, strict bool) (int64, error) {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return 0, err
	}
	// Bounded: the lead by params, the height by the block height.
	first := max(want, sdk.UnwrapSDKContext(ctx).BlockHeight()+int64(p.SeedLeadBlocks))
	at := int64(-1)
	for h := first; h < first+slotSearchBlocks; h++ {
		load, err := k.DrawLoad.Get(ctx, h)
		if err != nil && !errors.Is(err, collections.ErrNotFound) {
			return 0, err
		}
		if load < p.MaxDrawsPerBlock {
			at = h
			break
		}
	}
	if at < 0 {
		if strict {
			return 0, errorsmod.Wrapf(types.ErrInvalidEvaluation, "%v: no height within %d blocks of %d has room for round %d's draw",
				errScheduleFull, slotSearchBlocks, first, r)
		}
		at = first
	}
	if err := k.needSeed(ctx, at); err != nil {
		return 0, err
	}
	if err := k.addLoad(ctx, at, 1); err != nil {
		return 0, err
	}
	return at, k.Draws.Set(ctx, collections.Join3(at, id, r))
}

// addLoad adds delta (±1) to the draws waiting at height h.
func (k Keeper) addLoad(ctx context.Context, h int64, delta int) error {
	load, err := k.DrawLoad.Get(ctx, h)
	if err != nil && !errors.Is(err, collections.ErrNotFound) {
		return err
	}
	n := int64(load) + int64(delta)
	if n <= 0 {
		return k.DrawLoad.Remove(ctx, h)
	}
	return k.DrawLoad.Set(ctx, h, uint32(n))
}

// moveDraw reserves a redraw of round r and records its height on the
// evaluation.
func (k Keeper) moveDraw(ctx context.Context, e *types.Evaluation, r uint32, want int64) (int64, error) {
	at, err := k.reserveDraw(ctx, e.Id, r, want, false)
	if err != nil {
		return 0, err
	}
	if int(r) < len(e.DrawHeights) {
		e.DrawHeights[r] = at
	}
	return at, k.Evaluations.Set(ctx, e.Id, *e)
}

// releaseDraws gives back the reserved draws of an ended evaluation's
// rounds that were never drawn, so its heights have room again.
func (k Keeper) releaseDraws(ctx context.Context, e types.Evaluation) error {
	for r, h := range e.DrawHeights {
		key := collections.Join3(h, e.Id, uint32(r))
		has, err := k.Draws.Has(ctx, key)
		if err != nil {
			return err
		}
		if !has {
			continue
		}
		if err := k.doneWithDraw(ctx, key); err != nil {
			return err
		}
	}
	return nil
}
