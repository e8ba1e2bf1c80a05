package keeper

import (
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	"github.com/delphi-network/delphi/x/market/lmsr"
	"github.com/delphi-network/delphi/x/market/types"
)

// The pricing functions are shared by the messages and Query/Quote, so a
// quote is exactly what the same trade would do in the same state.

// priceBuy prices buying shares of outcome: the LMSR cost (rounded up by
// lmsr.BuyCost) plus the fee on it.
func priceBuy(m types.Market, p types.Params, outcome int, shares math.Int) (trade, error) {
	if err := checkShares("shares", shares, p); err != nil {
		return trade{}, err
	}
	cost, err := lmsr.BuyCost(m.Shares, m.Liquidity, outcome, shares)
	if err != nil {
		return trade{}, lmsrError(err)
	}
	return trade{side: types.SIDE_BUY, outcome: outcome, shares: shares, amount: cost, fee: fee(cost, m, p.ProtocolFeeShareBps)}, nil
}

// priceBuyForAmount prices spending at most budget (fee included) on
// outcome: the most shares whose cost plus fee fit in it.
func priceBuyForAmount(m types.Market, p types.Params, outcome int, budget math.Int) (trade, error) {
	if budget.IsNil() || !budget.IsPositive() {
		return trade{}, errorsmod.Wrap(types.ErrDustTrade, "amount must be positive")
	}
	if budget.GT(lmsr.MaxAmount) {
		return trade{}, errorsmod.Wrapf(types.ErrAmountRange, "amount %s above %s", budget, lmsr.MaxAmount)
	}
	spend := maxCostWithin(budget, m)
	if !spend.IsPositive() {
		return trade{}, errorsmod.Wrapf(types.ErrDustTrade, "amount %s buys nothing after the fee", budget)
	}
	shares, err := lmsr.SharesForAmount(m.Shares, m.Liquidity, outcome, spend)
	if err != nil {
		return trade{}, lmsrError(err)
	}
	if shares.LT(p.MinTradeShares) {
		return trade{}, errorsmod.Wrapf(types.ErrDustTrade, "amount %s buys %s shares, below the minimum trade of %s", budget, shares, p.MinTradeShares)
	}
	t, err := priceBuy(m, p, outcome, shares)
	if err != nil {
		return trade{}, err
	}
	if t.paid().GT(budget) {
		// SharesForAmount guarantees BuyCost(shares) <= spend; this guards
		// that contract so a trader is never charged over the amount.
		return trade{}, errorsmod.Wrapf(types.ErrSlippage, "%s shares cost %s, above the amount %s", shares, t.paid(), budget)
	}
	return t, nil
}

// priceSell prices selling shares of outcome: the LMSR proceeds (rounded
// down by lmsr.SellProceeds) less the fee on them.
func priceSell(m types.Market, p types.Params, outcome int, shares math.Int) (trade, error) {
	if err := checkShares("shares", shares, p); err != nil {
		return trade{}, err
	}
	proceeds, err := lmsr.SellProceeds(m.Shares, m.Liquidity, outcome, shares)
	if err != nil {
		return trade{}, lmsrError(err)
	}
	t := trade{side: types.SIDE_SELL, outcome: outcome, shares: shares, amount: proceeds, fee: fee(proceeds, m, p.ProtocolFeeShareBps)}
	if !t.paid().IsPositive() {
		return trade{}, errorsmod.Wrapf(types.ErrDustTrade, "selling %s shares pays nothing after the fee", shares)
	}
	return t, nil
}
