package keeper

import (
	"context"
	"slices"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	"github.com/delphi-network/delphi/internal/modkit"
	markettypes "github.com/delphi-network/delphi/x/market/types"
	"github.com/delphi-network/delphi/x/vault/types"
)

// BuyBasket implements types.MsgServer: it buys amount_per_leg of every
// outcome, in every open market (in id order), that is one of the models
// (and whose evaluation runs on a category benchmark, if one is given),
// through x/market's own message handler, so each leg is an ordinary
// trade. If the legs cost more than max_cost in all, the whole message
// fails and nothing is bought.
func (k msgServer) BuyBasket(ctx context.Context, msg *types.MsgBuyBasket) (*types.MsgBuyBasketResponse, error) {
	if _, err := modkit.Signer("buyer", msg.Buyer, types.ErrInvalidAddress); err != nil {
		return nil, err
	}
	if err := positive("amount_per_leg", msg.AmountPerLeg); err != nil {
		return nil, err
	}
	if msg.MaxCost.IsNil() || msg.MaxCost.IsNegative() {
		return nil, errorsmod.Wrap(types.ErrSlippage, "max_cost is required")
	}
	legs, err := k.legs(ctx, msg.ModelIds, msg.Category)
	if err != nil {
		return nil, err
	}
	total := math.ZeroInt()
	for _, l := range legs {
		res, err := k.market.BuyForAmount(ctx, &markettypes.MsgBuyForAmount{Trader: msg.Buyer, MarketId: l.MarketId,
			Outcome: l.Outcome, Amount: msg.AmountPerLeg, MinShares: math.ZeroInt()})
		if err != nil {
			return nil, errorsmod.Wrapf(err, "market %d outcome %d", l.MarketId, l.Outcome)
		}
		total = total.Add(res.Cost)
	}
	if total.GT(msg.MaxCost) {
		return nil, errorsmod.Wrapf(types.ErrSlippage, "basket costs %s, above max_cost %s", total, msg.MaxCost)
	}
	return &types.MsgBuyBasketResponse{Legs: legs, Cost: total}, nil
}

// SellBasket implements types.MsgServer: it sells every share the seller
// holds of the models in the open markets matched as for BuyBasket; if the
// proceeds fall below min_proceeds in all, nothing is sold.
func (k msgServer) SellBasket(ctx context.Context, msg *types.MsgSellBasket) (*types.MsgSellBasketResponse, error) {
	seller, err := modkit.Signer("seller", msg.Seller, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	if msg.MinProceeds.IsNil() || msg.MinProceeds.IsNegative() {
		return nil, errorsmod.Wrap(types.ErrSlippage, "min_proceeds is required")
	}
	legs, err := k.legs(ctx, msg.ModelIds, msg.Category)
	if err != nil {
		return nil, err
	}
	total := math.ZeroInt()
	var sold []types.BasketLeg
	for _, l := range legs {
		pos, found, err := k.market.Position(ctx, l.MarketId, seller)
		if err != nil {
			return nil, err
		}
		if !found || !pos.Shares[l.Outcome].IsPositive() {
			continue
		}
		res, err := k.market.SellShares(ctx, &markettypes.MsgSellShares{Trader: msg.Seller, MarketId: l.MarketId,
			Outcome: l.Outcome, Shares: pos.Shares[l.Outcome], MinProceeds: math.ZeroInt()})
		if err != nil {
			return nil, errorsmod.Wrapf(err, "market %d outcome %d", l.MarketId, l.Outcome)
		}
		total = total.Add(res.Proceeds)
		sold = append(sold, l)
	}
	if len(sold) == 0 {
		return nil, errorsmod.Wrap(types.ErrEmptyBasket, "no shares of these models to sell")
	}
	if total.LT(msg.MinProceeds) {
		return nil, errorsmod.Wrapf(types.ErrSlippage, "basket pays %s, below min_proceeds %s", total, msg.MinProceeds)
	}
	return &types.MsgSellBasketResponse{Legs: sold, Proceeds: total}, nil
}

// legs lists the (market, outcome) pairs of open, tradable markets whose
// outcome is one of models, in market-id order.
func (k Keeper) legs(ctx context.Context, models, category []uint64) ([]types.BasketLeg, error) {
	if len(models) == 0 || len(models) > 64 || len(category) > 256 {
		return nil, errorsmod.Wrap(types.ErrEmptyBasket, "name 1 to 64 models and at most 256 benchmarks")
	}
	var out []types.BasketLeg
	err := k.market.WalkMarkets(ctx, func(m markettypes.Market) (bool, error) {
		id := m.Id
		if m.Status != markettypes.MARKET_STATUS_OPEN {
			return false, nil
		}
		if ts, err := k.market.TradingState(ctx, m); err != nil || !ts.Open {
			return err != nil, err // closed: between rounds, or for good
		}
		if len(category) > 0 {
			e, err := k.eval.GetEvaluation(ctx, m.EvaluationId)
			if err != nil {
				return true, err
			}
			if !slices.Contains(category, e.BenchmarkId) {
				return false, nil
			}
		}
		for i, model := range m.ModelIds {
			if slices.Contains(models, model) {
				out = append(out, types.BasketLeg{MarketId: id, Outcome: uint32(i)})
			}
		}
		return false, nil
	})
	if err == nil && len(out) == 0 {
		err = errorsmod.Wrap(types.ErrEmptyBasket, "no open market lists these models")
	}
	return out, err
}
