package keeper

import (
	"context"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/x/market/lmsr"
	"github.com/delphi-network/delphi/x/market/types"
)

// FunderValue is what an open market's funder position is worth to x/vault
// now, for its share price.
type FunderValue struct {
	// Withdraw is the lowest of the position marked to market now and at
	// the end of every block of the last MarkWindowBlocks at least
	// (Market.MarkLow), liability rounded up: lifting what a withdrawal
	// takes means holding lifted prices, which anyone may trade against,
	// for that long — not a trade placed in the withdrawing transaction.
	Withdraw math.Int
	// Deposit is the highest of the marked values and the subsidy plus LP
	// fees: a trade cannot lower what a deposit pays for its shares.
	Deposit math.Int
	// Exposed: some round of the market's evaluation is drawn, so scores
	// are (partly) knowable that prices may not reflect (types.Exposed).
	Exposed bool
	// SettleBy is the market's settle deadline: it settles or is made
	// invalid by then.
	SettleBy int64
}

// FunderValue values an open market's funder position (see FunderValue).
func (k Keeper) FunderValue(ctx context.Context, id uint64) (FunderValue, error) {
	m, err := k.GetMarket(ctx, id)
	if err != nil {
		return FunderValue{}, err
	}
	prices, err := lmsr.Prices(m.Shares, m.Liquidity)
	if err != nil {
		return FunderValue{}, lmsrError(err)
	}
	e, err := k.eval.GetEvaluation(ctx, m.EvaluationId)
	if err != nil {
		return FunderValue{}, err
	}
	h := sdk.UnwrapSDKContext(ctx).BlockHeight()
	mark := m.LpMark
	if mark.IsNil() {
		mark = m.Subsidy // stored before lp_mark existed
	}
	low, high := m.MarkedValue(prices, true), m.MarkedValue(prices, false)
	return FunderValue{
		Withdraw: math.MinInt(low, m.MarkLow(h)),
		Deposit:  math.MaxInt(math.MaxInt(high, mark), m.Subsidy.Add(m.LpFees)),
		Exposed:  types.Exposed(m, e, h),
		SettleBy: m.SettleDeadlineHeight,
	}, nil
}
