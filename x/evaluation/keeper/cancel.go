package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	"github.com/delphi-network/delphi/x/evaluation/types"
)

// CancelEvaluation fails a live evaluation on behalf of another module, so
// validators stop computing it: x/market when its market is cancelled
// (byCreator when the evaluation's creator asked), x/verde when neither
// side of a dispute holds. The hooks are told as for any failure. A
// creator who cancels after the first round opened loses the deposit (the
// validators did the work); otherwise it is returned. Index entries of its
// rounds stay behind and are skipped when reached, as for every failed
// evaluation.
func (k Keeper) CancelEvaluation(ctx context.Context, id uint64, reason string, byCreator bool) error {
	e, err := k.Evaluations.Get(ctx, id)
	if err != nil {
		return errorsmod.Wrapf(types.ErrEvaluationNotFound, "evaluation %d", id)
	}
	if e.Status != types.EVALUATION_STATUS_SCHEDULED && e.Status != types.EVALUATION_STATUS_RUNNING {
		return errorsmod.Wrapf(types.ErrInvalidEvaluation, "evaluation %d is %s, not live", id, e.Status)
	}
	return k.failEvaluation(ctx, e, reason, byCreator && e.Status == types.EVALUATION_STATUS_RUNNING)
}

// GetEvaluation returns an evaluation, for other modules.
func (k Keeper) GetEvaluation(ctx context.Context, id uint64) (types.Evaluation, error) {
	e, err := k.Evaluations.Get(ctx, id)
	if err != nil {
		return e, errorsmod.Wrapf(types.ErrEvaluationNotFound, "evaluation %d", id)
	}
	return e, nil
}
