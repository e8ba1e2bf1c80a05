package types

import (
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/runtime"
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
	// MinSeedLead is the fewest blocks between scheduling a draw and its
	// seed's height: validators commit to their contributions in the
	// extensions of height ≤ H−2 and reveal them from height H−1.
	MinSeedLead     = 3
	CeilingSeedLead = 10_000
	CeilingMissed   = 10_000
	CeilingDraws    = 1_000
)

// DefaultParams are the params of a new chain.
func DefaultParams() Params {
	return Params{
		BenchmarkDeposit:          sdk.NewCoins(sdk.NewCoin("udelphi", math.NewInt(100_000_000))),
		PermissionlessBenchmarks:  false,
		MaxModels:                 16,
		MaxRounds:                 100,
		MaxItemsPerRound:          1000,
		MinBlocksBetweenRounds:    2,
		MaxArtifactBytes:          64 << 20,
		MaxUris:                   4,
		MaxVoteExtensionBytes:     16 << 10,
		MaxResultsPerExtension:    256,
		RoundTimeoutBlocks:        14,
		MaxRoundRetries:           2,
		ChallengeWindowBlocks:     5,
		EvaluationDepositPerItem:  sdk.NewCoins(sdk.NewCoin("udelphi", math.NewInt(100))),
		CommitWindowBlocks:        5,
		RevealWindowBlocks:        5,
		SeedLeadBlocks:            4,
		SeedGraceBlocks:           2,
		SeedMaxWaitBlocks:         8,
		MaxMissedRounds:           8,
		MaxAbstainedRounds:        64,
		MaxDrawsPerBlock:          32,
		MissedRoundsSlashFraction: math.LegacyNewDecWithPrec(1, 4),
		RuntimeVersion:            runtime.Version,
	}
}

// Runtime is the runtime version new evaluations take: runtime_version,
// or 1 where the params predate the field (0).
func (p Params) Runtime() uint32 {
	if p.RuntimeVersion == 0 {
		return 1
	}
	return p.RuntimeVersion
}

// Runtime is the runtime version the evaluation is computed and refereed
// under: the one recorded at its creation, or 1 for an evaluation created
// before the field existed (0).
func (e Evaluation) Runtime() uint32 {
	if e.RuntimeVersion == 0 {
		return 1
	}
	return e.RuntimeVersion
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
	// A round opened at O takes its first commitments in the block of O+2
	// (ExtendVote at O+1 is the first to see it), and a window closed at C
	// its first reveals at C+2: a commit window under 2 blocks takes none,
	// a reveal window under 3 blocks gives reveals a single block.
	case p.CommitWindowBlocks < 2 || p.RevealWindowBlocks < 3:
		return errorsmod.Wrapf(ErrInvalidParams, "commit_window_blocks %d must be at least 2 and reveal_window_blocks %d at least 3",
			p.CommitWindowBlocks, p.RevealWindowBlocks)
	case p.ChallengeWindowBlocks < p.RevealWindowBlocks:
		// Reveals still count after results are final; the evaluation must
		// not finalize before its last round's reveals have been heard.
		return errorsmod.Wrapf(ErrInvalidParams, "challenge_window_blocks %d below reveal_window_blocks %d", p.ChallengeWindowBlocks, p.RevealWindowBlocks)
	case p.CommitWindowBlocks > CeilingRoundTimeout || p.RevealWindowBlocks > CeilingRoundTimeout ||
		p.CommitWindowBlocks+p.RevealWindowBlocks+2 > p.RoundTimeoutBlocks:
		// Two blocks: a commitment made in the last window block is
		// recorded in the next, and its reveal in the one after.
		return errorsmod.Wrapf(ErrInvalidParams, "commit_window_blocks %d + reveal_window_blocks %d + 2 must fit round_timeout_blocks %d",
			p.CommitWindowBlocks, p.RevealWindowBlocks, p.RoundTimeoutBlocks)
	case p.SeedLeadBlocks < MinSeedLead || p.SeedLeadBlocks > CeilingSeedLead:
		return errorsmod.Wrapf(ErrInvalidParams, "seed_lead_blocks %d not in [%d, %d]", p.SeedLeadBlocks, MinSeedLead, CeilingSeedLead)
	case p.SeedGraceBlocks < 1 || p.SeedGraceBlocks > CeilingSeedLead:
		return errorsmod.Wrapf(ErrInvalidParams, "seed_grace_blocks %d not in [1, %d]", p.SeedGraceBlocks, CeilingSeedLead)
	case p.SeedMaxWaitBlocks < p.SeedGraceBlocks || p.SeedMaxWaitBlocks > CeilingSeedLead:
		return errorsmod.Wrapf(ErrInvalidParams, "seed_max_wait_blocks %d not in [seed_grace_blocks %d, %d]", p.SeedMaxWaitBlocks, p.SeedGraceBlocks, CeilingSeedLead)
	case p.MaxDrawsPerBlock < 1 || p.MaxDrawsPerBlock > CeilingDraws:
		return errorsmod.Wrapf(ErrInvalidParams, "max_draws_per_block %d not in [1, %d]", p.MaxDrawsPerBlock, CeilingDraws)
	case p.MaxMissedRounds < 1 || p.MaxMissedRounds > CeilingMissed:
		return errorsmod.Wrapf(ErrInvalidParams, "max_missed_rounds %d not in [1, %d]", p.MaxMissedRounds, CeilingMissed)
	case p.MaxAbstainedRounds < 1 || p.MaxAbstainedRounds > CeilingMissed:
		return errorsmod.Wrapf(ErrInvalidParams, "max_abstained_rounds %d not in [1, %d]", p.MaxAbstainedRounds, CeilingMissed)
	case p.MissedRoundsSlashFraction.IsNil() || p.MissedRoundsSlashFraction.IsNegative() || p.MissedRoundsSlashFraction.GT(math.LegacyOneDec()):
		return errorsmod.Wrapf(ErrInvalidParams, "missed_rounds_slash_fraction %s not in [0, 1]", p.MissedRoundsSlashFraction)
	}
	if err := p.EvaluationDepositPerItem.Validate(); err != nil {
		return errorsmod.Wrapf(ErrInvalidParams, "evaluation_deposit_per_item: %v", err)
	}
	// Only a version this binary computes and referees: a chain moves to a
	// new one after its validators run a binary that implements it.
	if err := runtime.CheckVersion(p.Runtime()); err != nil {
		return errorsmod.Wrapf(ErrInvalidParams, "runtime_version: %v", err)
	}
	return nil
}

// RequiredDeposit is what an evaluation of this size must post: the
// params' deposit per item times models × rounds × items per round, the
// work it asks of every validator.
func RequiredDeposit(p Params, models int, rounds, items uint32) sdk.Coins {
	work := math.NewInt(int64(models)).MulRaw(int64(rounds)).MulRaw(int64(items))
	out := sdk.NewCoins()
	for _, c := range p.EvaluationDepositPerItem {
		out = out.Add(sdk.NewCoin(c.Denom, c.Amount.Mul(work)))
	}
	return out
}
