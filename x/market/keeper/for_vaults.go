package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/x/market/types"
)

// What x/vault reads and does through x/market (its types.MarketKeeper):
// markets to value and pick basket legs from, positions, and the trades a
// basket makes, which go through the same message handlers as a trader's.

// WalkMarkets calls fn for every market in id order until fn says stop.
func (k Keeper) WalkMarkets(ctx context.Context, fn func(types.Market) (stop bool, err error)) error {
	return k.Markets.Walk(ctx, nil, func(_ uint64, m types.Market) (bool, error) { return fn(m) })
}

// Position is owner's position in a market; found is false when it holds
// none.
func (k Keeper) Position(ctx context.Context, marketID uint64, owner sdk.AccAddress) (types.Position, bool, error) {
	p, err := k.Positions.Get(ctx, collections.Join(marketID, owner))
	if errors.Is(err, collections.ErrNotFound) {
		return p, false, nil
	}
	return p, err == nil, err
}

// BuyForAmount trades as MsgBuyForAmount does.
func (k Keeper) BuyForAmount(ctx context.Context, msg *types.MsgBuyForAmount) (*types.MsgBuyForAmountResponse, error) {
	return NewMsgServerImpl(k).BuyForAmount(ctx, msg)
}

// SellShares trades as MsgSellShares does.
func (k Keeper) SellShares(ctx context.Context, msg *types.MsgSellShares) (*types.MsgSellSharesResponse, error) {
	return NewMsgServerImpl(k).SellShares(ctx, msg)
}
