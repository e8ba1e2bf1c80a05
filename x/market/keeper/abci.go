package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/market/lmsr"
	"github.com/delphi-network/delphi/x/market/types"
)

// EndBlocker deposits the block's protocol fees in the community pool,
// makes invalid the markets past their settle deadline, then records the
// price vector and the funder's marked value (lp_mark) of every market
// traded (or created) in this block, in market-id order, dropping a
// market's oldest point past the params' maximum, and clears the traded
// set.
func (k Keeper) EndBlocker(ctx context.Context) error {
	if err := k.payProtocolFees(ctx); err != nil {
		return err
	}
	if err := k.expireOverdue(ctx); err != nil {
		return err
	}
	height := sdk.UnwrapSDKContext(ctx).BlockHeight()
	var ids []uint64
	if err := k.Traded.Walk(ctx, nil, func(id uint64) (bool, error) {
		ids = append(ids, id)
		return false, nil
	}); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	p, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := k.Traded.Remove(ctx, id); err != nil {
			return err
		}
		m, err := k.Markets.Get(ctx, id)
		if err != nil {
			return err
		}
		if m.Status != types.MARKET_STATUS_OPEN {
			continue // settled in this block after trading: no live price
		}
		if err := k.recordPrices(ctx, &m, height, p.MaxHistoryPoints); err != nil {
			return err
		}
	}
	return nil
}

func (k Keeper) recordPrices(ctx context.Context, m *types.Market, height int64, max uint32) error {
	prices, err := lmsr.Prices(m.Shares, m.Liquidity)
	if err != nil {
		return lmsrError(err)
	}
	if err := k.History.Set(ctx, collections.Join(m.Id, height), types.PricePoint{Height: height, Prices: types.FormatPrices(prices)}); err != nil {
		return err
	}
	m.RecordMark(m.MarkedValue(prices, true), height)
	m.HistoryPoints++
	for m.HistoryPoints > max {
		if err := k.dropOldest(ctx, m.Id); err != nil {
			return err
		}
		m.HistoryPoints--
	}
	return k.Markets.Set(ctx, m.Id, *m)
}

func (k Keeper) dropOldest(ctx context.Context, id uint64) error {
	it, err := k.History.Iterate(ctx, collections.NewPrefixedPairRange[uint64, int64](id))
	if err != nil {
		return err
	}
	defer it.Close()
	if !it.Valid() {
		return nil
	}
	key, err := it.Key()
	if err != nil {
		return err
	}
	return k.History.Remove(ctx, key)
}

// accrueProtocolFee adds a trade's protocol fee share, already in the module
// account, to the block's totals: reporter_share_bps of it (rounded down:
// the community pool keeps the remainder) for the reporters of the
// market's evaluation, the rest for the community pool. One transfer of
// each per block instead of one per trade saves a bank transfer and a
// fee-pool rewrite on every trade, a fifth of a trade's execution.
func (k Keeper) accrueProtocolFee(ctx context.Context, m types.Market, amount math.Int) error {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	reporters := amount.MulRaw(int64(p.ReporterShareBps)).QuoRaw(types.BasisPoints)
	if reporters.IsPositive() {
		key := collections.Join(m.EvaluationId, m.CollateralDenom)
		if err := addInt(ctx, k.ReporterFees, key, reporters); err != nil {
			return err
		}
	}
	return addInt(ctx, k.ProtocolFees, m.CollateralDenom, amount.Sub(reporters))
}

// addInt adds to an amount kept in a map (zero when absent).
func addInt[K any](ctx context.Context, m collections.Map[K, math.Int], key K, amount math.Int) error {
	sum, err := m.Get(ctx, key)
	switch {
	case err == nil:
	case errors.Is(err, collections.ErrNotFound):
		sum = math.ZeroInt()
	default:
		return err
	}
	return m.Set(ctx, key, sum.Add(amount))
}

// payProtocolFees moves the block's reporter fees to x/evaluation's reward
// pools (by evaluation, then denom), deposits the rest of the protocol
// fees in the community pool (denoms in order), and clears both.
func (k Keeper) payProtocolFees(ctx context.Context) error {
	if err := k.payReporterFees(ctx); err != nil {
		return err
	}
	fees := sdk.NewCoins()
	if err := k.ProtocolFees.Walk(ctx, nil, func(denom string, amount math.Int) (bool, error) {
		fees = fees.Add(sdk.NewCoin(denom, amount))
		return false, nil
	}); err != nil {
		return err
	}
	if fees.IsZero() {
		return nil
	}
	for _, c := range fees {
		if err := k.ProtocolFees.Remove(ctx, c.Denom); err != nil {
			return err
		}
	}
	return k.distr.FundCommunityPool(ctx, fees, k.moduleAddr)
}

// payReporterFees sends the block's reporter fees, per evaluation, to
// x/evaluation and adds them to that evaluation's reward pool.
func (k Keeper) payReporterFees(ctx context.Context) error {
	type due struct {
		key    collections.Pair[uint64, string]
		amount math.Int
	}
	var all []due
	if err := k.ReporterFees.Walk(ctx, nil, func(key collections.Pair[uint64, string], amount math.Int) (bool, error) {
		all = append(all, due{key, amount})
		return false, nil
	}); err != nil {
		return err
	}
	for _, d := range all {
		if err := k.ReporterFees.Remove(ctx, d.key); err != nil {
			return err
		}
		coins := sdk.NewCoins(sdk.NewCoin(d.key.K2(), d.amount))
		if err := k.bank.SendCoinsFromModuleToModule(ctx, types.ModuleName, evaluationtypes.ModuleName, coins); err != nil {
			return err
		}
		if err := k.eval.FundReporters(ctx, d.key.K1(), coins); err != nil {
			return err
		}
	}
	return nil
}
