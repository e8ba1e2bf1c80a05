package evaluator

import (
	"context"
	"fmt"
	"strings"

	markettypes "github.com/delphi-network/delphi/x/market/types"
)

// VerifyMarket verifies a market's evaluation and whether its settlement
// follows from the local standings: the models ranked first win, k tied
// winners paying 1/k per share; an invalid market pays 1/N.
func (v *Verifier) VerifyMarket(ctx context.Context, id uint64, progress Progress) (Report, error) {
	ctx, _, err := v.pin(ctx)
	if err != nil {
		return Report{}, fmt.Errorf("market %d: %w", id, err)
	}
	mq := markettypes.NewQueryClient(v.chain.cctx)
	res, err := mq.Market(ctx, &markettypes.QueryMarketRequest{MarketId: id})
	if err != nil {
		return Report{}, fmt.Errorf("market %d: %w", id, err)
	}
	m := res.Market
	rep, err := v.VerifyEvaluation(ctx, m.EvaluationId, -1, progress)
	if err != nil {
		return rep, err
	}
	rep.checkSettlement(m)
	return rep, nil
}

// checkSettlement holds market m's settlement against the local standings:
// the models ranked first win, k tied winners paying 1/k per share; an
// invalid market pays 1/N, and only when its evaluation cannot decide it.
func (rep *Report) checkSettlement(m markettypes.Market) {
	rep.Market = m.Id
	rep.SettledOK = true
	switch {
	case m.Status == markettypes.MARKET_STATUS_RESOLVED && rep.Status != "FINALIZED":
		// x/market resolves a market only when its evaluation finalizes.
		rep.SettlementChecked, rep.SettledOK = true, false
		rep.Settlement = fmt.Sprintf("resolved with payout %v/%d per share, but its evaluation is %s", m.PayoutNumerators,
			m.PayoutDenominator, rep.Status)
	case m.Status == markettypes.MARKET_STATUS_RESOLVED && len(rep.LocalStandings) == 0:
		// Without every round re-run there are no local standings to
		// hold the payout against: unchecked, not wrong, not verified.
		rep.Settlement = fmt.Sprintf("resolved: payout %v/%d per share; not checked, since not every result could be re-run",
			m.PayoutNumerators, m.PayoutDenominator)
		rep.OK = false
	case m.Status == markettypes.MARKET_STATUS_RESOLVED:
		want := make([]uint64, len(m.ModelIds))
		var den uint64
		for _, s := range rep.LocalStandings {
			if s.Rank == 1 {
				if i := m.Outcome(s.ModelId); i >= 0 {
					want[i], den = 1, den+1
				}
			}
		}
		rep.SettlementChecked = true
		rep.SettledOK = den == m.PayoutDenominator && fmt.Sprint(want) == fmt.Sprint(m.PayoutNumerators)
		rep.Settlement = fmt.Sprintf("resolved: payout %v/%d per share; the local standings give %v/%d", m.PayoutNumerators,
			m.PayoutDenominator, want, den)
	case m.Status == markettypes.MARKET_STATUS_INVALID:
		// Invalid pays every outcome alike. A market is made invalid by
		// its evaluation failing, its settle deadline passing or its
		// cancellation (by its creator or governance, whose evaluation may
		// still finalize later): never after its evaluation finalized,
		// which resolves an open market in the same block.
		uniform := m.PayoutDenominator == uint64(len(m.ModelIds)) && len(m.PayoutNumerators) == len(m.ModelIds)
		for _, n := range m.PayoutNumerators {
			uniform = uniform && n == 1
		}
		rep.SettlementChecked, rep.SettledOK = true, uniform
		rep.Settlement = fmt.Sprintf("invalid at height %d: payout %v/%d per share (the evaluation is %s; settle deadline %d)",
			m.ResolvedHeight, m.PayoutNumerators, m.PayoutDenominator, rep.Status, m.SettleDeadlineHeight)
	default:
		rep.Settlement = strings.ToLower(strings.TrimPrefix(m.Status.String(), "MARKET_STATUS_"))
	}
	rep.OK = rep.OK && rep.SettledOK
}
