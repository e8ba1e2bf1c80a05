package keeper

import (
	"cosmossdk.io/math"

	"github.com/delphi-network/delphi/x/market/types"
)

// feeSplit is one trade's fee and where it goes; the parts add up to total
// exactly.
type feeSplit struct {
	total, protocol, creator, lp math.Int
}

// fee charges feeBps of amount, rounded up (the market never undercharges),
// and splits it: the protocol's and the creator's shares rounded down, the
// liquidity provider takes the remainder.
func fee(amount math.Int, m types.Market, protocolBps uint32) feeSplit {
	bp := math.NewInt(types.BasisPoints)
	total := ceilDiv(amount.MulRaw(int64(m.FeeBps)), bp)
	protocol := total.MulRaw(int64(protocolBps)).Quo(bp)
	// Governance may raise the protocol share after a market was created:
	// the creator's share then shrinks so the parts never exceed the fee.
	creator := math.MinInt(total.MulRaw(int64(m.CreatorFeeShareBps)).Quo(bp), total.Sub(protocol))
	return feeSplit{total: total, protocol: protocol, creator: creator, lp: total.Sub(protocol).Sub(creator)}
}

// maxCostWithin is the largest LMSR cost c with c + fee(c) <= budget.
func maxCostWithin(budget math.Int, m types.Market) math.Int {
	bp := int64(types.BasisPoints)
	// c·(1 + f) <= budget, ignoring the fee's rounding up; then step down
	// while the rounded fee pushes it over (at most once or twice).
	c := budget.MulRaw(bp).QuoRaw(bp + int64(m.FeeBps))
	for c.IsPositive() && c.Add(fee(c, m, 0).total).GT(budget) {
		c = c.SubRaw(1)
	}
	return c
}

func ceilDiv(a, b math.Int) math.Int {
	q := a.Quo(b)
	if !a.Mod(b).IsZero() {
		q = q.AddRaw(1)
	}
	return q
}
