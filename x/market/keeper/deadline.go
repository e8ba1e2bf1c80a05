package keeper

import (
	"context"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

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
// come, in (deadline, id) order, at most maxExpiriesPerBlock of them. Each
// runs in its own cache context: a failure (a vault's accounting, a bank
// send) is logged and the market retried next block, never a halt.
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
		cache, write := sdkCtx.CacheContext()
		if err := k.invalidate(cache, m); err != nil {
			sdkCtx.Logger().Error("market past its settle deadline not made invalid; retrying next block",
				"market", m.Id, "deadline", m.SettleDeadlineHeight, "err", err)
			continue
		}
		write()
		if err := emit(ctx, &types.EventMarketExpired{MarketId: m.Id, EvaluationId: m.EvaluationId,
			SettleDeadlineHeight: m.SettleDeadlineHeight}); err != nil {
			return err
		}
	}
	return nil
}
