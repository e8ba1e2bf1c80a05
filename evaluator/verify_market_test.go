package evaluator

import (
	"testing"

	"github.com/stretchr/testify/require"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	markettypes "github.com/delphi-network/delphi/x/market/types"
)

// TestSettlementFollowsTheLocalStandings: a resolved market must pay the
// local winners (tied winners alike), an invalid one 1/N and only when its
// evaluation could not decide it; a payout the local standings do not give
// is a mismatch, and one that could not be checked is not.
func TestSettlementFollowsTheLocalStandings(t *testing.T) {
	local := []evaluationtypes.Standing{{ModelId: 5, Correct: 9, Rank: 1}, {ModelId: 7, Correct: 9, Rank: 1}, {ModelId: 6, Correct: 2, Rank: 3}}
	resolved := func(nums []uint64, den uint64) markettypes.Market {
		return markettypes.Market{Id: 3, ModelIds: []uint64{5, 6, 7}, Status: markettypes.MARKET_STATUS_RESOLVED,
			PayoutNumerators: nums, PayoutDenominator: den}
	}
	invalid := markettypes.Market{Id: 3, ModelIds: []uint64{5, 6, 7}, Status: markettypes.MARKET_STATUS_INVALID,
		PayoutNumerators: []uint64{1, 1, 1}, PayoutDenominator: 3, ResolvedHeight: 90, SettleDeadlineHeight: 100}
	lopsided := invalid
	lopsided.PayoutNumerators = []uint64{2, 0, 1}
	for _, tc := range []struct {
		name        string
		m           markettypes.Market
		status      string
		standings   []evaluationtypes.Standing
		checked, ok bool
		verified    bool // the report's OK
	}{
		{"tied winners paid alike", resolved([]uint64{1, 0, 1}, 2), "FINALIZED", local, true, true, true},
		{"one of two winners paid", resolved([]uint64{1, 0, 0}, 1), "FINALIZED", local, true, false, false},
		{"the loser paid", resolved([]uint64{0, 1, 0}, 1), "FINALIZED", local, true, false, false},
		{"resolved before its evaluation finalized", resolved([]uint64{1, 0, 1}, 2), "RUNNING", nil, true, false, false},
		{"no local standings: unchecked, not verified", resolved([]uint64{1, 0, 0}, 1), "FINALIZED", nil, false, true, false},
		{"invalid: the evaluation failed", invalid, "FAILED", nil, true, true, true},
		{"invalid: cancelled, the evaluation finalized later", invalid, "FINALIZED", local, true, true, true},
		{"invalid but not 1/N", lopsided, "FAILED", nil, true, false, false},
		{"still open", markettypes.Market{Id: 3, Status: markettypes.MARKET_STATUS_OPEN}, "RUNNING", nil, false, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := Report{Status: tc.status, LocalStandings: tc.standings, StandingsMatch: true, OK: true}
			rep.checkSettlement(tc.m)
			require.Equal(t, uint64(3), rep.Market)
			require.Equal(t, tc.checked, rep.SettlementChecked, rep.Settlement)
			require.Equal(t, tc.ok, rep.SettledOK, rep.Settlement)
			require.Equal(t, tc.verified, rep.OK)
			require.Equal(t, !tc.ok, rep.Mismatched())
		})
	}
}
