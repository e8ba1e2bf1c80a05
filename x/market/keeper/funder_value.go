package keeper

import (
	"context"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/x/market/lmsr"
	"github.com/delphi-network/delphi/x/market/types"
)

// FunderValue values an open market's funder position (types.FunderValue).
func (k Keeper) FunderValue(ctx context.Context, id uint64) (types.FunderValue, error) {
	m, err := k.GetMarket(ctx, id)
	if err != nil {
		return types.FunderValue{}, err
	}
	prices, err := lmsr.Prices(m.Shares, m.Liquidity)
	if err != nil {
		return types.FunderValue{}, lmsrError(err)
	}
	e, err := k.eval.GetEvaluation(ctx, m.EvaluationId)
	if err != nil {
		return types.FunderValue{}, err
	}
	h := sdk.UnwrapSDKContext(ctx).BlockHeight()
	mark := m.LpMark
	if mark.IsNil() {
		mark = m.Subsidy // stored before lp_mark existed
	}
	low, high := m.MarkedValue(prices, true), m.MarkedValue(prices, false)
	return types.FunderValue{
		Withdraw: math.MinInt(low, m.MarkLow(h)),
		Deposit:  math.MaxInt(math.MaxInt(high, mark), m.Subsidy.Add(m.LpFees)),
		Exposed:  types.Exposed(m, e, h),
		SettleBy: m.SettleDeadlineHeight,
	}, nil
}
