package types_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// TestParamsValidate: the defaults hold, and every window relation the
// consensus path depends on is refused when broken.
func TestParamsValidate(t *testing.T) {
	require.NoError(t, types.DefaultParams().Validate())
	for name, tc := range map[string]struct {
		edit func(*types.Params)
		want string
	}{
		"one model":                  {func(p *types.Params) { p.MaxModels = 1 }, "max_models"},
		"commit window of one block": {func(p *types.Params) { p.CommitWindowBlocks = 1 }, "commit_window_blocks"},
		"reveal window of two":       {func(p *types.Params) { p.RevealWindowBlocks = 2 }, "reveal_window_blocks"},
		"challenge before reveals end": {func(p *types.Params) { p.ChallengeWindowBlocks = p.RevealWindowBlocks - 1 },
			"challenge_window_blocks"},
		"windows beyond the timeout": {func(p *types.Params) { p.RoundTimeoutBlocks = p.CommitWindowBlocks + p.RevealWindowBlocks + 1 },
			"round_timeout_blocks"},
		"seed lead under three":       {func(p *types.Params) { p.SeedLeadBlocks = 2 }, "seed_lead_blocks"},
		"no seed grace":               {func(p *types.Params) { p.SeedGraceBlocks = 0 }, "seed_grace_blocks"},
		"max wait shorter than grace": {func(p *types.Params) { p.SeedMaxWaitBlocks = p.SeedGraceBlocks - 1 }, "seed_max_wait_blocks"},
		"no missed rounds":            {func(p *types.Params) { p.MaxMissedRounds = 0 }, "max_missed_rounds"},
		"no abstained rounds":         {func(p *types.Params) { p.MaxAbstainedRounds = 0 }, "max_abstained_rounds"},
		"no draws":                    {func(p *types.Params) { p.MaxDrawsPerBlock = 0 }, "max_draws_per_block"},
		"slash above one":             {func(p *types.Params) { p.MissedRoundsSlashFraction = math.LegacyNewDec(2) }, "missed_rounds_slash_fraction"},
		"a runtime this binary lacks": {func(p *types.Params) { p.RuntimeVersion = runtime.Version + 1 }, "runtime_version"},
	} {
		t.Run(name, func(t *testing.T) {
			p := types.DefaultParams()
			tc.edit(&p)
			err := p.Validate()
			require.ErrorIs(t, err, types.ErrInvalidParams)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

// TestRuntimeVersionDefaults: new chains take the runtime's version; params
// and evaluations from before the field (0) mean version 1, which this
// binary implements.
func TestRuntimeVersionDefaults(t *testing.T) {
	require.Equal(t, runtime.Version, types.DefaultParams().RuntimeVersion)
	legacy := types.DefaultParams()
	legacy.RuntimeVersion = 0
	require.NoError(t, legacy.Validate())
	require.Equal(t, uint32(1), legacy.Runtime())
	require.Equal(t, uint32(1), types.Evaluation{}.Runtime())
	require.Equal(t, uint32(7), types.Evaluation{RuntimeVersion: 7}.Runtime())
}
