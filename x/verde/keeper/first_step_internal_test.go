package keeper

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/x/verde/types"
)

// TestFirstStepVerdict: the scores decide at the first step when both are
// false, or when one is false and the sides share their last leaf (the
// same trace, or different trees whose revealed last leaves agree); a
// false score facing a different last leaf only marks its side.
func TestFirstStepVerdict(t *testing.T) {
	for name, tc := range map[string]struct {
		claimantFalse, challengerFalse, sameLastLeaf bool
		want                                         types.DisputeStatus
	}{
		"both false":                        {true, true, false, types.DISPUTE_STATUS_BOTH_LOST},
		"claimant false, same last leaf":    {true, false, true, types.DISPUTE_STATUS_CHALLENGER_WON},
		"challenger false, same last leaf":  {false, true, true, types.DISPUTE_STATUS_CLAIMANT_WON},
		"claimant false, other last leaf":   {true, false, false, types.DISPUTE_STATUS_UNSPECIFIED},
		"both true, same last leaf":         {false, false, true, types.DISPUTE_STATUS_UNSPECIFIED},
		"challenger false, other last leaf": {false, true, false, types.DISPUTE_STATUS_UNSPECIFIED},
	} {
		d := &types.Dispute{ClaimantScoreFalse: tc.claimantFalse, ChallengerScoreFalse: tc.challengerFalse}
		got, _, ok := firstStepVerdict(d, tc.sameLastLeaf)
		require.Equal(t, tc.want, got, name)
		require.Equal(t, tc.want != types.DISPUTE_STATUS_UNSPECIFIED, ok, name)
	}
}
