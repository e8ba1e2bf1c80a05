package keeper

import (
	"context"
	"fmt"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/market/types"
)

// Hooks adapts the keeper to x/evaluation's hooks: a finalized evaluation
// resolves its market, a failed one makes it invalid.
type Hooks struct{ k Keeper }

var _ evaluationtypes.EvaluationHooks = Hooks{}

// Hooks returns the keeper's evaluation hooks.
func (k Keeper) Hooks() Hooks { return Hooks{k} }

// AfterEvaluationFinalized resolves the evaluation's market: the models
// ranked first win, k tied winners paying 1/k per share.
func (h Hooks) AfterEvaluationFinalized(ctx context.Context, evaluationID uint64, standings []evaluationtypes.Standing) error {
	m, ok, err := h.k.openMarketOf(ctx, evaluationID)
	if err != nil || !ok {
		return err
	}
	nums := make([]uint64, len(m.ModelIds))
	var winners []uint64
	for _, s := range standings {
		if s.Rank != 1 {
			continue
		}
		i := m.Outcome(s.ModelId)
		if i < 0 {
			return fmt.Errorf("market %d: winner model %d is not an outcome", m.Id, s.ModelId)
		}
		nums[i] = 1
		winners = append(winners, s.ModelId)
	}
	if len(winners) == 0 {
		return fmt.Errorf("market %d: evaluation %d finalized without a winner", m.Id, evaluationID)
	}
	return h.k.settle(ctx, m, types.MARKET_STATUS_RESOLVED, winners, nums, uint64(len(winners)))
}

// AfterEvaluationFailed makes the evaluation's market invalid.
func (h Hooks) AfterEvaluationFailed(ctx context.Context, evaluationID uint64) error {
	m, ok, err := h.k.openMarketOf(ctx, evaluationID)
	if err != nil || !ok {
		return err
	}
	return h.k.invalidate(ctx, m)
}
