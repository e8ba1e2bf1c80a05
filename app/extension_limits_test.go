package app_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/types/module"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	upgradetypes "github.com/cosmos/cosmos-sdk/x/upgrade/types"

	"github.com/delphi-network/delphi/testutil/chaintest"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// bigExtension is the largest extension of well-formed reveals that the
// params in force allow, up to n of them: what a busy validator sends.
func bigExtension(t *testing.T, p evaluationtypes.Params, n int) []byte {
	t.Helper()
	me := evaluationtypes.Reporter{Address: bytes.Repeat([]byte{1}, 20), Secret: bytes.Repeat([]byte{2}, 32)}
	var out []byte
	var ve evaluationtypes.VoteExtension
	for k := 1; k <= n && k <= int(p.MaxResultsPerExtension); k++ {
		ve.Reveals = append(ve.Reveals, me.Reveal(&evaluationtypes.RoundResult{EvaluationId: uint64(k), ModelId: 1, Correct: 7,
			TraceRoot: bytes.Repeat([]byte{byte(k)}, 32), Leaves: 100}))
		bz, err := ve.Marshal()
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

// TestLoweringExtensionLimitsInAnUpgradeDoesNotHaltTheChain: an upgrade
// handler (run by x/upgrade's PreBlocker at the upgrade height) lowers
// both limits while every validator's extension is large. The extensions
// of the upgrade height were made under the old limits and the next block
// must still be accepted. (Limits recorded by the PreBlocker after the
// modules' pre-blockers would have been the new ones: a halt.)
func TestLoweringExtensionLimitsInAnUpgradeDoesNotHaltTheChain(t *testing.T) {
	c := chaintest.New(t, chaintest.Options{Genesis: chaintest.FastGovernance})
	c.Extend = func(int, int64) []byte {
		p, err := c.App.EvaluationKeeper.Params.Get(c.Context())
		require.NoError(t, err)
		return bigExtension(t, p, 30)
	}
	for c.Height < 4 {
		c.NextBlock()
	}
	at := c.Height + 8
	c.Govern(&upgradetypes.MsgSoftwareUpgrade{Authority: authtypes.NewModuleAddress(govtypes.ModuleName).String(),
		Plan: upgradetypes.Plan{Name: "lower-limits", Height: at}})
	for c.Height < at-1 {
		c.NextBlock()
	}
	// The new binary, with the handler, takes over at the upgrade height.
	c.App.UpgradeKeeper.SetUpgradeHandler("lower-limits", func(ctx context.Context, _ upgradetypes.Plan, vm module.VersionMap) (module.VersionMap, error) {
		p, err := c.App.EvaluationKeeper.Params.Get(ctx)
		if err != nil {
			return nil, err
		}
		p.MaxResultsPerExtension, p.MaxVoteExtensionBytes = 1, 1024
		return vm, c.App.EvaluationKeeper.Params.Set(ctx, p)
	})
	for c.Height < at+3 {
		c.NextBlock()
	}
	got, err := c.App.EvaluationKeeper.Params.Get(c.Context())
	require.NoError(t, err)
	require.EqualValues(t, 1, got.MaxResultsPerExtension, "the upgrade ran")
}
