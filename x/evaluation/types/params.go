package types

import (
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Hard ceilings that params may not exceed: they bound the work one
// evaluation can ask of every validator, whatever governance votes.
const (
	CeilingModels        = 64
	CeilingRounds        = 1000
	CeilingItemsPerRound = 10_000
	CeilingArtifactBytes = 1 << 30
	CeilingURIs          = 16
	// CeilingVoteExtensionBytes bounds what governance may allow per
	// validator; the extended commit of every validator rides in the next
	// block, so the default is far lower.
	CeilingVoteExtensionBytes = 256 << 10
	CeilingResultsPerExt      = 4096
	CeilingRoundTimeout       = 100_000
	CeilingRoundRetries       = 10
	CeilingChallengeWindow    = 100_000
)

// DefaultParams are the params of a new chain.
func DefaultParams() Params {
	return Params{
		BenchmarkDeposit:         sdk.NewCoins(sdk.NewCoin("udelphi", math.NewInt(100_000_000))),
		PermissionlessBenchmarks: false,
		MaxModels:                16,
		MaxRounds:                100,
		MaxItemsPerRound:         1000,
		MinBlocksBetweenRounds:   2,
		MaxArtifactBytes:         64 << 20,
		MaxUris:                  4,
		MaxVoteExtensionBytes:    16 << 10,
		MaxResultsPerExtension:   256,
		RoundTimeoutBlocks:       10,
		MaxRoundRetries:          2,
		ChallengeWindowBlocks:    3,
	}
}

// Validate checks the params against the hard ceilings.
func (p Params) Validate() error {
	if err := p.BenchmarkDeposit.Validate(); err != nil {
		return errorsmod.Wrapf(ErrInvalidParams, "benchmark_deposit: %v", err)
	}
	switch {
	case p.MaxModels < 2 || p.MaxModels > CeilingModels:
		return errorsmod.Wrapf(ErrInvalidParams, "max_models %d not in [2, %d]", p.MaxModels, CeilingModels)
	case p.MaxRounds < 1 || p.MaxRounds > CeilingRounds:
		return errorsmod.Wrapf(ErrInvalidParams, "max_rounds %d not in [1, %d]", p.MaxRounds, CeilingRounds)
	case p.MaxItemsPerRound < 1 || p.MaxItemsPerRound > CeilingItemsPerRound:
		return errorsmod.Wrapf(ErrInvalidParams, "max_items_per_round %d not in [1, %d]", p.MaxItemsPerRound, CeilingItemsPerRound)
	case p.MinBlocksBetweenRounds < 1:
		return errorsmod.Wrap(ErrInvalidParams, "min_blocks_between_rounds must be at least 1")
	case p.MaxArtifactBytes < 1 || p.MaxArtifactBytes > CeilingArtifactBytes:
		return errorsmod.Wrapf(ErrInvalidParams, "max_artifact_bytes %d not in [1, %d]", p.MaxArtifactBytes, CeilingArtifactBytes)
	case p.MaxUris < 1 || p.MaxUris > CeilingURIs:
		return errorsmod.Wrapf(ErrInvalidParams, "max_uris %d not in [1, %d]", p.MaxUris, CeilingURIs)
	case p.MaxVoteExtensionBytes < 1024 || p.MaxVoteExtensionBytes > CeilingVoteExtensionBytes:
		return errorsmod.Wrapf(ErrInvalidParams, "max_vote_extension_bytes %d not in [1024, %d]", p.MaxVoteExtensionBytes, CeilingVoteExtensionBytes)
	case p.MaxResultsPerExtension < 1 || p.MaxResultsPerExtension > CeilingResultsPerExt:
		return errorsmod.Wrapf(ErrInvalidParams, "max_results_per_extension %d not in [1, %d]", p.MaxResultsPerExtension, CeilingResultsPerExt)
	case p.RoundTimeoutBlocks < 1 || p.RoundTimeoutBlocks > CeilingRoundTimeout:
		return errorsmod.Wrapf(ErrInvalidParams, "round_timeout_blocks %d not in [1, %d]", p.RoundTimeoutBlocks, CeilingRoundTimeout)
	case p.MaxRoundRetries > CeilingRoundRetries:
		return errorsmod.Wrapf(ErrInvalidParams, "max_round_retries %d above %d", p.MaxRoundRetries, CeilingRoundRetries)
	case p.ChallengeWindowBlocks > CeilingChallengeWindow:
		return errorsmod.Wrapf(ErrInvalidParams, "challenge_window_blocks %d above %d", p.ChallengeWindowBlocks, CeilingChallengeWindow)
	}
	return nil
}
