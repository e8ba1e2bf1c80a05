package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// Read access and the one write x/verde needs.

// GetResult returns a final result.
func (k Keeper) GetResult(ctx context.Context, evaluationID uint64, round uint32, modelID uint64) (types.Result, error) {
	r, err := k.Results.Get(ctx, collections.Join3(evaluationID, round, modelID))
	if err != nil {
		return r, errorsmod.Wrapf(types.ErrEvaluationNotFound, "no final result for evaluation %d round %d model %d", evaluationID, round, modelID)
	}
	return r, nil
}

// ChallengeWindowBlocks is how many blocks after a result became final it
// may still be challenged (challenge_window_blocks).
func (k Keeper) ChallengeWindowBlocks(ctx context.Context) (int64, error) {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return 0, err
	}
	return int64(p.ChallengeWindowBlocks), nil
}

// GetRound returns a started round.
func (k Keeper) GetRound(ctx context.Context, evaluationID uint64, round uint32) (types.Round, error) {
	r, err := k.Rounds.Get(ctx, collections.Join(evaluationID, round))
	if err != nil {
		return r, errorsmod.Wrapf(types.ErrEvaluationNotFound, "evaluation %d has no round %d", evaluationID, round)
	}
	return r, nil
}

// GetBenchmark returns a registered benchmark.
func (k Keeper) GetBenchmark(ctx context.Context, id uint64) (types.Benchmark, error) {
	b, err := k.Benchmarks.Get(ctx, id)
	if err != nil {
		return b, errorsmod.Wrapf(types.ErrBenchmarkNotFound, "benchmark %d", id)
	}
	return b, nil
}

// GetModel returns a registered model.
func (k Keeper) GetModel(ctx context.Context, id uint64) (types.Model, error) {
	m, err := k.Models.Get(ctx, id)
	if err != nil {
		return m, errorsmod.Wrapf(types.ErrModelNotFound, "model %d", id)
	}
	return m, nil
}

// ReplaceResult sets a final result to the claim that won a dispute about
// it. The evaluation must still be running: disputes hold it open.
func (k Keeper) ReplaceResult(ctx context.Context, evaluationID uint64, round uint32, modelID uint64, c types.Claim) error {
	e, err := k.GetEvaluation(ctx, evaluationID)
	if err != nil {
		return err
	}
	if e.Status != types.EVALUATION_STATUS_RUNNING {
		return errorsmod.Wrapf(types.ErrInvalidEvaluation, "evaluation %d is %s", evaluationID, e.Status)
	}
	r, err := k.GetResult(ctx, evaluationID, round, modelID)
	if err != nil {
		return err
	}
	prevCorrect, prevRoot := r.Correct, r.TraceRoot
	r.Correct, r.TraceRoot, r.Leaves, r.Validators, r.Replaced = c.Correct, c.TraceRoot, c.Leaves, c.Validators, true
	if err := k.Results.Set(ctx, collections.Join3(evaluationID, round, modelID), r); err != nil {
		return err
	}
	// A replaced result in a final round is news: markets pause again from
	// here. (In a round not yet final the height is set when it is.)
	rd, err := k.Rounds.Get(ctx, collections.Join(evaluationID, round))
	if err != nil {
		return err
	}
	if rd.Status == types.ROUND_STATUS_FINAL && e.SetRoundHeight(&e.FinalHeights, round, sdk.UnwrapSDKContext(ctx).BlockHeight(), true) {
		if err := k.Evaluations.Set(ctx, e.Id, e); err != nil {
			return err
		}
	}
	return modkit.Emit(ctx, &types.EventResultReplaced{EvaluationId: evaluationID, Round: round, ModelId: modelID,
		Correct: c.Correct, TraceRoot: c.TraceRoot, PreviousCorrect: prevCorrect, PreviousTraceRoot: prevRoot})
}
