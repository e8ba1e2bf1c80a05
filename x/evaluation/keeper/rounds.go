package keeper

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/x/evaluation/types"
)

// seedDomain separates round seeds from every other hash on the chain.
const seedDomain = "delphi/evaluation/round-seed/v1"

// RoundSeed is the seed of round r of evaluation e started in the block with
// hash blockHash: SHA-256(domain || e as 8 bytes BE || r as 4 bytes BE ||
// blockHash). The block hash is unknown until the block is decided, so no one
// can tune a model to a round's items in advance.
func RoundSeed(evaluationID uint64, round uint32, blockHash []byte) [32]byte {
	h := sha256.New()
	h.Write([]byte(seedDomain))
	var buf [12]byte
	binary.BigEndian.PutUint64(buf[:8], evaluationID)
	binary.BigEndian.PutUint32(buf[8:], round)
	h.Write(buf[:])
	h.Write(blockHash)
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// BeginBlocker opens the rounds due at this height, draws again the rounds
// that timed out without quorum, and fails evaluations whose deadline has
// passed.
func (k Keeper) BeginBlocker(ctx context.Context) error {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	height := sdkCtx.BlockHeight()
	if err := k.openDueRounds(sdkCtx, height); err != nil {
		return err
	}
	if err := k.retryTimedOut(sdkCtx, height); err != nil {
		return err
	}
	if err := k.failOverdue(sdkCtx, height); err != nil {
		return err
	}
	return k.finalizeAwaiting(sdkCtx, height)
}

// openDueRounds starts every round indexed at height, in evaluation-id
// order (the key order of RoundsDue), and indexes each evaluation's next one.
func (k Keeper) openDueRounds(ctx sdk.Context, height int64) error {
	rng := collections.NewPrefixedPairRange[int64, uint64](height)
	var due []uint64
	if err := k.RoundsDue.Walk(ctx, rng, func(key collections.Pair[int64, uint64]) (bool, error) {
		due = append(due, key.K2())
		return false, nil
	}); err != nil {
		return err
	}
	for _, id := range due {
		if err := k.RoundsDue.Remove(ctx, collections.Join(height, id)); err != nil {
			return err
		}
		if err := k.openRound(ctx, id, height); err != nil {
			return err
		}
	}
	return nil
}

func (k Keeper) openRound(ctx sdk.Context, id uint64, height int64) error {
	e, err := k.Evaluations.Get(ctx, id)
	if err != nil {
		return fmt.Errorf("due evaluation %d: %w", id, err)
	}
	if e.Status != types.EVALUATION_STATUS_SCHEDULED && e.Status != types.EVALUATION_STATUS_RUNNING {
		return nil // failed or finalized since it was indexed
	}
	r, err := k.roundCount(ctx, id)
	if err != nil {
		return err
	}
	round := types.Round{EvaluationId: id, Round: r, Status: types.ROUND_STATUS_OPEN}
	if err := k.drawRound(ctx, &round, e, height); err != nil {
		return err
	}
	e.Status = types.EVALUATION_STATUS_RUNNING
	if err := k.Evaluations.Set(ctx, id, e); err != nil {
		return err
	}
	if r+1 < e.Rounds {
		// Cannot overflow: CreateEvaluation bounded the whole schedule.
		if err := k.RoundsDue.Set(ctx, collections.Join(height+int64(e.BlocksBetweenRounds), id)); err != nil {
			return err
		}
	}
	return nil
}

// drawRound gives a round its seed from this block's hash and its timeout,
// stores and indexes it, and announces it.
func (k Keeper) drawRound(ctx sdk.Context, round *types.Round, e types.Evaluation, height int64) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	seed := RoundSeed(round.EvaluationId, round.Round, ctx.HeaderHash())
	round.StartHeight, round.Seed = height, hex.EncodeToString(seed[:])
	// Cannot overflow: the timeout is bounded by params, the height by the
	// evaluation's bounded schedule.
	round.TimeoutHeight = height + int64(params.RoundTimeoutBlocks)
	if err := k.Rounds.Set(ctx, collections.Join(round.EvaluationId, round.Round), *round); err != nil {
		return err
	}
	if err := k.RoundTimeouts.Set(ctx, collections.Join3(round.TimeoutHeight, round.EvaluationId, round.Round)); err != nil {
		return err
	}
	return emit(ctx, &types.EventRoundStarted{EvaluationId: round.EvaluationId, Round: round.Round, Height: height,
		Seed: round.Seed, BenchmarkId: e.BenchmarkId, ItemsPerRound: e.ItemsPerRound, Attempt: round.Attempt})
}

// retryTimedOut draws again, with this block's hash, every round that times
// out at height with a model still not final: the results of the earlier
// attempt are discarded so every model is scored on the same items. A round
// out of retries fails its evaluation.
func (k Keeper) retryTimedOut(ctx sdk.Context, height int64) error {
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
		if round.Status != types.ROUND_STATUS_OPEN || e.Status != types.EVALUATION_STATUS_RUNNING {
			continue
		}
		if round.Attempt >= params.MaxRoundRetries {
			reason := fmt.Sprintf("round %d had no quorum after %d attempts", round.Round, round.Attempt+1)
			if err := k.failEvaluation(ctx, e, reason); err != nil {
				return err
			}
			continue
		}
		for _, m := range e.ModelIds {
			if err := k.Results.Remove(ctx, collections.Join3(d.evaluation, d.round, m)); err != nil {
				return err
			}
		}
		round.Attempt++
		if err := k.drawRound(ctx, &round, e, height); err != nil {
			return err
		}
	}
	return nil
}

// roundCount is how many rounds of an evaluation have started.
func (k Keeper) roundCount(ctx context.Context, id uint64) (uint32, error) {
	var n uint32
	err := k.Rounds.Walk(ctx, collections.NewPrefixedPairRange[uint64, uint32](id),
		func(collections.Pair[uint64, uint32], types.Round) (bool, error) {
			n++
			return false, nil
		})
	return n, err
}

// failOverdue fails the live evaluations whose deadline is this height: their
// results did not all become final in time. Scanning every evaluation is
// bounded by the live set; an index by deadline replaces it when results land.
func (k Keeper) failOverdue(ctx sdk.Context, height int64) error {
	var overdue []types.Evaluation
	if err := k.Evaluations.Walk(ctx, nil, func(_ uint64, e types.Evaluation) (bool, error) {
		// An evaluation whose rounds are all final only waits for its
		// challenge window and disputes: the deadline no longer applies.
		live := e.Status == types.EVALUATION_STATUS_SCHEDULED || e.Status == types.EVALUATION_STATUS_RUNNING
		if live && e.FinalAfterHeight == 0 && e.DeadlineHeight <= height {
			overdue = append(overdue, e)
		}
		return false, nil
	}); err != nil {
		return err
	}
	for _, e := range overdue {
		reason := fmt.Sprintf("deadline height %d passed before every round was final", e.DeadlineHeight)
		if err := k.failEvaluation(ctx, e, reason); err != nil {
			return err
		}
	}
	return nil
}

// failEvaluation marks an evaluation and its open rounds failed and tells
// the hooks.
func (k Keeper) failEvaluation(ctx context.Context, e types.Evaluation, reason string) error {
	e.Status = types.EVALUATION_STATUS_FAILED
	if err := k.Evaluations.Set(ctx, e.Id, e); err != nil {
		return err
	}
	if err := k.failOpenRounds(ctx, e.Id); err != nil {
		return err
	}
	if err := emit(ctx, &types.EventEvaluationFailed{EvaluationId: e.Id, Reason: reason}); err != nil {
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
			if r.Status == types.ROUND_STATUS_OPEN {
				open = append(open, r)
			}
			return false, nil
		}); err != nil {
		return err
	}
	for _, r := range open {
		r.Status = types.ROUND_STATUS_FAILED
		if err := k.Rounds.Set(ctx, collections.Join(r.EvaluationId, r.Round), r); err != nil {
			return err
		}
	}
	return nil
}
