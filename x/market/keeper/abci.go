package keeper

import (
	"context"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/x/market/lmsr"
	"github.com/delphi-network/delphi/x/market/types"
)

// EndBlocker records the price vector of every market traded (or created)
// in this block, in market-id order, dropping a market's oldest point past
// the params' maximum, and clears the traded set.
func (k Keeper) EndBlocker(ctx context.Context) error {
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
