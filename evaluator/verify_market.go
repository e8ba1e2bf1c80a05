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
	case m.Status == markettypes.MARKET_STATUS_RESOLVED && len(rep.LocalStandings) == 0:
		// Without every round re-run there are no local standings to
		// hold the payout against: unchecked, not wrong (OK is false).
		rep.Settlement = fmt.Sprintf("resolved: payout %v/%d per share; not checked, since not every result could be re-run",
			m.PayoutNumerators, m.PayoutDenominator)
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
		// Invalid pays every outcome alike, and only for a market whose
		// evaluation cannot decide it: failed or cancelled, or not final by
		// the market's settle deadline.
		uniform := m.PayoutDenominator == uint64(len(m.ModelIds)) && len(m.PayoutNumerators) == len(m.ModelIds)
		for _, n := range m.PayoutNumerators {
			uniform = uniform && n == 1
		}
		overdue := m.SettleDeadlineHeight > 0 && m.ResolvedHeight >= m.SettleDeadlineHeight
		rep.SettlementChecked = true
		rep.SettledOK = uniform && (rep.Status != "FINALIZED" || overdue)
		rep.Settlement = fmt.Sprintf("invalid at height %d: payout %v/%d per share (the evaluation is %s; settle deadline %d)",
			m.ResolvedHeight, m.PayoutNumerators, m.PayoutDenominator, rep.Status, m.SettleDeadlineHeight)
	default:
		rep.Settlement = strings.ToLower(strings.TrimPrefix(m.Status.String(), "MARKET_STATUS_"))
	}
	rep.OK = rep.OK && rep.SettledOK
}
