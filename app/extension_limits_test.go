package app_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"

	"github.com/delphi-network/delphi/testutil/chaintest"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// bigExtension is the largest extension of well-formed results that the
// params in force allow, up to n results: what a busy validator sends.
func bigExtension(t *testing.T, p evaluationtypes.Params, n int) []byte {
	t.Helper()
	var out []byte
	for k := 1; k <= n && k <= int(p.MaxResultsPerExtension); k++ {
		var results []*evaluationtypes.RoundResult
		for i := 1; i <= k; i++ {
			results = append(results, &evaluationtypes.RoundResult{EvaluationId: uint64(i), ModelId: 1, Correct: 7,
				TraceRoot: bytes.Repeat([]byte{byte(i)}, 32), Leaves: 100})
		}
		bz, err := (&evaluationtypes.VoteExtension{Results: results}).Marshal()
		require.NoError(t, err)
		if len(bz) > int(p.MaxVoteExtensionBytes) {
			break
		}
		out = bz
	}
	return out
}

// TestLoweringExtensionLimitsByGovernanceDoesNotHaltTheChain: extensions
// are judged by the limits under which they were made and verified. A
// governance proposal that lowers max_vote_extension_bytes and
// max_results_per_extension passes while every validator's extension is
// large; the next block carries those extensions and must still be
// accepted, and the chain goes on under the new limits.
func TestLoweringExtensionLimitsByGovernanceDoesNotHaltTheChain(t *testing.T) {
	c := chaintest.New(t, chaintest.Options{Genesis: chaintest.FastGovernance})
	c.Extend = func(int, int64) []byte {
		p, err := c.App.EvaluationKeeper.Params.Get(c.Context())
		require.NoError(t, err)
		return bigExtension(t, p, 30)
	}
	for c.Height < 4 {
		c.NextBlock()
	}
	p, err := c.App.EvaluationKeeper.Params.Get(c.Context())
	require.NoError(t, err)
	require.Greater(t, len(bigExtension(t, p, 30)), 1024, "extensions are above the new byte limit")
	p.MaxResultsPerExtension, p.MaxVoteExtensionBytes = 1, 1024
	c.Govern(&evaluationtypes.MsgUpdateParams{Authority: authtypes.NewModuleAddress(govtypes.ModuleName).String(), Params: p})
	got, err := c.App.EvaluationKeeper.Params.Get(c.Context())
	require.NoError(t, err)
	require.EqualValues(t, 1, got.MaxResultsPerExtension, "the proposal passed")
	for i := 0; i < 3; i++ {
		c.NextBlock()
	}
}
