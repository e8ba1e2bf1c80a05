package keeper

import (
	"context"
	"encoding/hex"
	"fmt"
	"math"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// BeginBlocker draws the rounds whose seed is fixed, draws again the rounds
// that timed out without quorum, fails evaluations whose deadline has
// passed, and finalizes evaluations whose challenge window is over. It runs
// after the PreBlocker (ProcessCommit), which fixed this block's seeds.
func (k Keeper) BeginBlocker(ctx context.Context) error {
	height := sdk.UnwrapSDKContext(ctx).BlockHeight()
	if err := k.drawDue(ctx, height); err != nil {
		return err
	}
	if err := k.retryTimedOut(ctx, height); err != nil {
		return err
	}
	if err := k.failOverdue(ctx, height); err != nil {
		return err
	}
	return k.finalizeAwaiting(ctx, height)
}

// drawSlack is how many waiting draws past max_draws_per_block one block
// reads (ones still waiting for their seed, or of evaluations that ended
// meanwhile, which are dropped), so a block's reads stay bounded too.
const drawSlack = 256

// drawDue draws the waiting rounds whose seed height has come, in (seed
// height, evaluation, round) order: with its seed if fixed; at a later
// seed if it failed; not yet if it is still pending; never if the
// evaluation ended (the entry is dropped). At most max_draws_per_block
// rounds are drawn; the rest wait for the next block, with the same seed.
// Only the draws waiting are read, however many rounds ever existed.
func (k Keeper) drawDue(ctx context.Context, height int64) error {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	var due []collections.Triple[int64, uint64, uint32]
	rng := new(collections.Range[collections.Triple[int64, uint64, uint32]]).
		EndInclusive(collections.Join3(height, uint64(math.MaxUint64), uint32(math.MaxUint32)))
	if err := k.Draws.Walk(ctx, rng, func(key collections.Triple[int64, uint64, uint32]) (bool, error) {
		due = append(due, key)
		return len(due) >= int(p.MaxDrawsPerBlock)+drawSlack, nil
	}); err != nil {
		return err
	}
	drawn := uint32(0)
	for _, key := range due {
		if drawn >= p.MaxDrawsPerBlock {
			break
		}
		seed, err := k.Seeds.Get(ctx, key.K1())
		if err != nil {
			return fmt.Errorf("draw of evaluation %d round %d: seed %d: %w", key.K2(), key.K3(), key.K1(), err)
		}
		switch seed.Status {
		case types.SEED_STATUS_PENDING:
			continue
		case types.SEED_STATUS_FAILED:
			if err := k.doneWithDraw(ctx, key); err != nil {
				return err
			}
			e, err := k.Evaluations.Get(ctx, key.K2())
			if err != nil {
				return fmt.Errorf("draw of evaluation %d: %w", key.K2(), err)
			}
			if e.Status != types.EVALUATION_STATUS_SCHEDULED && e.Status != types.EVALUATION_STATUS_RUNNING {
				continue // ended meanwhile: nothing to draw
			}
			at, err := k.moveDraw(ctx, &e, key.K3(), height)
			if err != nil {
				return err
			}
			if err := k.setSeedHeight(ctx, key.K2(), key.K3(), at); err != nil {
				return err
			}
		default:
			if err := k.doneWithDraw(ctx, key); err != nil {
				return err
			}
			value, err := hex.DecodeString(seed.Value)
			if err != nil {
				return err
			}
			opened, err := k.draw(ctx, key.K2(), key.K3(), key.K1(), value, height)
			if err != nil {
				return err
			}
			if opened {
				drawn++
			}
		}
	}
	return nil
}

// doneWithDraw removes a draw that was taken, moved to a later seed or
// released and, with the last draw of its seed, the seed's record: the
// round keeps the seed it was drawn with, and EventSeedFixed who made it,
// so a chain's state does not grow with every height it ever drew at.
func (k Keeper) doneWithDraw(ctx context.Context, key collections.Triple[int64, uint64, uint32]) error {
	if err := k.Draws.Remove(ctx, key); err != nil {
		return err
	}
	if err := k.addLoad(ctx, key.K1(), -1); err != nil {
		return err
	}
	it, err := k.Draws.Iterate(ctx, collections.NewPrefixedTripleRange[int64, uint64, uint32](key.K1()))
	if err != nil {
		return err
	}
	more := it.Valid()
	if err := it.Close(); err != nil {
		return err
	}
	if more {
		return nil
	}
	// No draw waits for this seed any more (if it is still pending, the
	// last of them was released by an evaluation that ended): it and its
	// contributions are done with.
	h := key.K1()
	if err := k.PendingSeeds.Remove(ctx, h); err != nil {
		return err
	}
	if err := k.SeedEntries.Clear(ctx, collections.NewPrefixedPairRange[int64, []byte](h)); err != nil {
		return err
	}
	return k.Seeds.Remove(ctx, h)
}

// setSeedHeight records on a redraw-waiting round the seed it now waits for.
func (k Keeper) setSeedHeight(ctx context.Context, id uint64, r uint32, at int64) error {
	round, err := k.Rounds.Get(ctx, collections.Join(id, r))
	if err != nil {
		return nil // a first draw: the round does not exist yet
	}
	round.SeedHeight = at
	return k.Rounds.Set(ctx, collections.Join(id, r), round)
}

// draw opens round r of an evaluation (its first draw, or the redraw of a
// round that timed out) on the items its seed selects and starts its
// commit window (every round's draw was reserved when the evaluation was
// created). It opens nothing for an evaluation that ended since the draw
// was reserved.
func (k Keeper) draw(ctx context.Context, id uint64, r uint32, seedHeight int64, seedValue []byte, height int64) (bool, error) {
	e, err := k.Evaluations.Get(ctx, id)
	if err != nil {
		return false, fmt.Errorf("due evaluation %d: %w", id, err)
	}
	if e.Status != types.EVALUATION_STATUS_SCHEDULED && e.Status != types.EVALUATION_STATUS_RUNNING {
		return false, nil
	}
	return true, k.open(ctx, e, r, seedHeight, seedValue, height)
}

func (k Keeper) open(ctx context.Context, e types.Evaluation, r uint32, seedHeight int64, seedValue []byte, height int64) error {
	id := e.Id
	p, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	round, err := k.Rounds.Get(ctx, collections.Join(id, r))
	first := err != nil
	if first {
		round = types.Round{EvaluationId: id, Round: r}
	}
	seed := types.RoundSeed(id, r, round.Attempt, seedValue)
	// Bounded: the windows by params, the height by the schedule.
	round.Status, round.Phase, round.Seed, round.SeedHeight = types.ROUND_STATUS_OPEN, types.ROUND_PHASE_COMMIT, hex.EncodeToString(seed[:]), seedHeight
	round.StartHeight, round.TimeoutHeight = height, height+int64(p.RoundTimeoutBlocks)
	round.CommitDeadline, round.CommitClosedHeight, round.RevealEndHeight, round.Accounted = height+int64(p.CommitWindowBlocks), 0, 0, false
	if err := k.Rounds.Set(ctx, collections.Join(id, r), round); err != nil {
		return err
	}
	if err := k.RoundTimeouts.Set(ctx, collections.Join3(round.TimeoutHeight, id, r)); err != nil {
		return err
	}
	if err := k.CommitDeadlines.Set(ctx, collections.Join3(round.CommitDeadline, id, r)); err != nil {
		return err
	}
	opened := e.SetRoundHeight(&e.OpenedHeights, r, height, false)
	if e.Status != types.EVALUATION_STATUS_RUNNING || opened {
		e.Status = types.EVALUATION_STATUS_RUNNING
		if err := k.Evaluations.Set(ctx, id, e); err != nil {
			return err
		}
	}
	return modkit.Emit(ctx, &types.EventRoundStarted{EvaluationId: id, Round: r, Height: height, Seed: round.Seed,
		BenchmarkId: e.BenchmarkId, ItemsPerRound: e.ItemsPerRound, Attempt: round.Attempt})
}

// retryTimedOut sends back to the seeds every round that times out at
// height with a model still not final: the attempt's results and
// commitments are discarded so every model is scored on the same items,
// and the round is drawn again with a new seed. A round out of retries
// fails its evaluation.
func (k Keeper) retryTimedOut(ctx context.Context, height int64) error {
	type due struct {
		evaluation uint64
		round      uint32
	}
	var timedOut []due
	rng := collections.NewPrefixedTripleRange[int64, uint64, uint32](height)
	if err := k.RoundTimeouts.Walk(ctx, rng, func(key collections.Triple[int64, uint64, uint32]) (bool, error) {
		timedOut = append(timedOut, due{key.K2(), key.K3()})
		return false, nil
	}); err != nil {
		return err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	for _, d := range timedOut {
		if err := k.RoundTimeouts.Remove(ctx, collections.Join3(height, d.evaluation, d.round)); err != nil {
			return err
		}
		round, err := k.Rounds.Get(ctx, collections.Join(d.evaluation, d.round))
		if err != nil {
			return err
		}
		e, err := k.Evaluations.Get(ctx, d.evaluation)
		if err != nil {
			return err
		}
		if round.Status != types.ROUND_STATUS_OPEN || round.TimeoutHeight != height || e.Status != types.EVALUATION_STATUS_RUNNING {
			continue
		}
		if round.Attempt >= params.MaxRoundRetries {
			reason := fmt.Sprintf("round %d had no quorum after %d attempts", round.Round, round.Attempt+1)
			if err := k.failEvaluation(ctx, e, reason, false); err != nil {
				return err
			}
			continue
		}
		if err := k.clearAttempt(ctx, e, d.round); err != nil {
			return err
		}
		if err := k.unindexRound(ctx, round); err != nil {
			return err
		}
		round.Attempt++
		round.Status, round.Phase = types.ROUND_STATUS_SEEDING, types.ROUND_PHASE_UNSPECIFIED
		e.SetRoundHeight(&e.FinalHeights, d.round, 0, true) // never final: saved with the draw
		if round.SeedHeight, err = k.moveDraw(ctx, &e, d.round, height); err != nil {
			return err
		}
		if err := k.Rounds.Set(ctx, collections.Join(d.evaluation, d.round), round); err != nil {
			return err
		}
	}
	return nil
}

// unindexRound removes a round from the height indexes that only a live
// round is in — its timeout and commit deadline, and its reveal end unless
// it is final and still to be accounted — when it stops being live, so the
// indexes hold exactly what InitGenesis rebuilds from the rounds and an
// export re-imports byte for byte. (Entries left behind would only be
// skipped when their height came.)
func (k Keeper) unindexRound(ctx context.Context, r types.Round) error {
	if err := k.RoundTimeouts.Remove(ctx, collections.Join3(r.TimeoutHeight, r.EvaluationId, r.Round)); err != nil {
		return err
	}
	if err := k.CommitDeadlines.Remove(ctx, collections.Join3(r.CommitDeadline, r.EvaluationId, r.Round)); err != nil {
		return err
	}
	if r.Status == types.ROUND_STATUS_FINAL && !r.Accounted {
		return nil
	}
	return k.RevealEnds.Remove(ctx, collections.Join3(r.RevealEndHeight, r.EvaluationId, r.Round))
}

// clearAttempt discards a round attempt's final results and commitments.
func (k Keeper) clearAttempt(ctx context.Context, e types.Evaluation, r uint32) error {
	for _, m := range e.ModelIds {
		if err := k.Results.Remove(ctx, collections.Join3(e.Id, r, m)); err != nil {
			return err
		}
	}
	return k.clearCommitments(ctx, e.Id, r)
}

// clearCommitments removes a round's commitments.
func (k Keeper) clearCommitments(ctx context.Context, id uint64, r uint32) error {
	var keys []collections.Quad[uint64, uint32, uint64, []byte]
	if err := k.Commitments.Walk(ctx, collections.NewSuperPrefixedQuadRange[uint64, uint32, uint64, []byte](id, r),
		func(key collections.Quad[uint64, uint32, uint64, []byte], _ types.Commitment) (bool, error) {
			keys = append(keys, key)
			return false, nil
		}); err != nil {
		return err
	}
	for _, key := range keys {
		if err := k.Commitments.Remove(ctx, key); err != nil {
			return err
		}
	}
	return nil
}

// maxEndsPerBlock bounds the evaluations one block fails at their
// deadline: however many a spammer aligns on one height, the rest wait for
// the next blocks (still failed, in deadline order, a block or so late).
const maxEndsPerBlock = 16

// failOverdue fails the live evaluations whose deadline is this height (or
// passed): their results did not all become final in time. It reads only
// the Deadlines index, so its cost does not grow with the evaluations that
// ever existed, and fails at most maxEndsPerBlock.
func (k Keeper) failOverdue(ctx context.Context, height int64) error {
	var due []collections.Pair[int64, uint64]
	rng := collections.NewPrefixUntilPairRange[int64, uint64](height)
	if err := k.Deadlines.Walk(ctx, rng, func(key collections.Pair[int64, uint64]) (bool, error) {
		due = append(due, key)
		return len(due) >= maxEndsPerBlock, nil
	}); err != nil {
		return err
	}
	for _, key := range due {
		if err := k.Deadlines.Remove(ctx, key); err != nil {
			return err
		}
		e, err := k.Evaluations.Get(ctx, key.K2())
		if err != nil {
			return err
		}
		// An evaluation whose rounds are all final only waits for its
		// challenge window and disputes: the deadline no longer applies.
		live := e.Status == types.EVALUATION_STATUS_SCHEDULED || e.Status == types.EVALUATION_STATUS_RUNNING
		if !live || e.FinalAfterHeight != 0 {
			continue
		}
		reason := fmt.Sprintf("deadline height %d passed before every round was final", e.DeadlineHeight)
		if err := k.failEvaluation(ctx, e, reason, false); err != nil {
			return err
		}
	}
	return nil
}

// failEvaluation marks an evaluation and its open rounds failed, settles
// its deposit (burned if its creator cancelled it after it started,
// returned otherwise) and its reward pool, and tells the hooks.
func (k Keeper) failEvaluation(ctx context.Context, e types.Evaluation, reason string, burnDeposit bool) error {
	e.Status = types.EVALUATION_STATUS_FAILED
	if err := k.Evaluations.Set(ctx, e.Id, e); err != nil {
		return err
	}
	if err := k.Deadlines.Remove(ctx, collections.Join(e.DeadlineHeight, e.Id)); err != nil {
		return err
	}
	if err := k.failOpenRounds(ctx, e.Id); err != nil {
		return err
	}
	if err := k.releaseDraws(ctx, e); err != nil {
		return err
	}
	if err := k.settleDeposit(ctx, e, burnDeposit); err != nil {
		return err
	}
	if err := k.releasePool(ctx, e.Id); err != nil {
		return err
	}
	if err := modkit.Emit(ctx, &types.EventEvaluationFailed{EvaluationId: e.Id, Reason: reason}); err != nil {
		return err
	}
	if k.hooks != nil {
		return k.hooks.AfterEvaluationFailed(ctx, e.Id)
	}
	return nil
}

func (k Keeper) failOpenRounds(ctx context.Context, id uint64) error {
	var open []types.Round
	if err := k.Rounds.Walk(ctx, collections.NewPrefixedPairRange[uint64, uint32](id),
		func(_ collections.Pair[uint64, uint32], r types.Round) (bool, error) {
			if r.Status == types.ROUND_STATUS_OPEN || r.Status == types.ROUND_STATUS_SEEDING {
				open = append(open, r)
			}
			return false, nil
		}); err != nil {
		return err
	}
	for _, r := range open {
		r.Status, r.Eligible = types.ROUND_STATUS_FAILED, nil
		if err := k.unindexRound(ctx, r); err != nil {
			return err
		}
		if err := k.Rounds.Set(ctx, collections.Join(r.EvaluationId, r.Round), r); err != nil {
			return err
		}
		// A failed round is never accounted: its commitments are done with.
		if err := k.clearCommitments(ctx, r.EvaluationId, r.Round); err != nil {
			return err
		}
	}
	return nil
}
