package keeper

import (
	"context"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/internal/modkit"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/market/types"
)

// Settle deadlines. Every market settles or is made invalid by its settle
// deadline (its evaluation's deadline when it was created, plus
// settle_grace_blocks): an evaluation stuck in disputes, or one that never
// ends, cannot lock a funder's collateral or a trader's shares forever.

// maxExpiriesPerBlock bounds the markets one block makes invalid; the rest
// wait for the next block (they cannot trade meanwhile: Trading is closed
// past the deadline).
const maxExpiriesPerBlock = 64

// expiryRetryBlocks is how long a market whose invalidation failed waits
// before the next try, behind every other due market.
const expiryRetryBlocks = 100

// moveDeadline re-indexes an open market at a new settle deadline.
func (k Keeper) moveDeadline(ctx context.Context, m types.Market, to int64) error {
	if err := k.unindexDeadline(ctx, m); err != nil {
		return err
	}
	m.SettleDeadlineHeight = to
	if err := k.Markets.Set(ctx, m.Id, m); err != nil {
		return err
	}
	return k.indexDeadline(ctx, m)
}

// indexDeadline adds an open market to the settle-deadline index.
func (k Keeper) indexDeadline(ctx context.Context, m types.Market) error {
	if m.Status != types.MARKET_STATUS_OPEN || m.SettleDeadlineHeight == 0 {
		return nil
	}
	return k.SettleDeadlines.Set(ctx, collections.Join(m.SettleDeadlineHeight, m.Id))
}

// unindexDeadline removes a market that settled from the index.
func (k Keeper) unindexDeadline(ctx context.Context, m types.Market) error {
	if m.SettleDeadlineHeight == 0 {
		return nil
	}
	return k.SettleDeadlines.Remove(ctx, collections.Join(m.SettleDeadlineHeight, m.Id))
}

// expireOverdue makes invalid the open markets whose settle deadline has
// come, in (deadline, id) order, at most maxExpiriesPerBlock of them. A
// market whose evaluation still runs with a deadline a redraw moved later
// (x/evaluation's RedrawRound) gets the same grace past the new one, within
// max_settle_blocks of its creation. Each invalidation runs in its own
// cache context: a failure (a vault's accounting, a bank send) is logged
// and the market retried expiryRetryBlocks later, never a halt.
func (k Keeper) expireOverdue(ctx context.Context) error {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	height := sdkCtx.BlockHeight()
	var due []collections.Pair[int64, uint64]
	rng := new(collections.Range[collections.Pair[int64, uint64]]).
		EndInclusive(collections.Join(height, ^uint64(0)))
	if err := k.SettleDeadlines.Walk(ctx, rng, func(key collections.Pair[int64, uint64]) (bool, error) {
		due = append(due, key)
		return len(due) >= maxExpiriesPerBlock, nil
	}); err != nil {
		return err
	}
	p, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	for _, key := range due {
		m, err := k.Markets.Get(ctx, key.K2())
		if err != nil {
			return err
		}
		if m.Status != types.MARKET_STATUS_OPEN {
			if err := k.SettleDeadlines.Remove(ctx, key); err != nil {
				return err
			}
			continue
		}
		e, err := k.eval.GetEvaluation(ctx, m.EvaluationId)
		if err != nil {
			return err
		}
		running := e.Status == evaluationtypes.EVALUATION_STATUS_SCHEDULED || e.Status == evaluationtypes.EVALUATION_STATUS_RUNNING
		if moved := min(e.DeadlineHeight+int64(p.SettleGraceBlocks), m.CreatedHeight+int64(p.MaxSettleBlocks)); running && moved > height {
			if err := k.moveDeadline(ctx, m, moved); err != nil {
				return err
			}
			continue
		}
		cache, write := sdkCtx.CacheContext()
		if err := k.invalidate(cache, m); err != nil {
			sdkCtx.Logger().Error("market past its settle deadline not made invalid; retrying later",
				"market", m.Id, "deadline", m.SettleDeadlineHeight, "retry", height+expiryRetryBlocks, "err", err)
			if err := k.moveDeadline(ctx, m, height+expiryRetryBlocks); err != nil {
				return err
			}
			continue
		}
		write()
		if err := modkit.Emit(ctx, &types.EventMarketExpired{MarketId: m.Id, EvaluationId: m.EvaluationId,
			SettleDeadlineHeight: m.SettleDeadlineHeight}); err != nil {
			return err
		}
	}
	return nil
}
