package types

import (
	"context"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// EvaluationKeeper is what a dispute reads and changes in x/evaluation.
type EvaluationKeeper interface {
	GetEvaluation(ctx context.Context, id uint64) (evaluationtypes.Evaluation, error)
	GetResult(ctx context.Context, evaluationID uint64, round uint32, modelID uint64) (evaluationtypes.Result, error)
	GetRound(ctx context.Context, evaluationID uint64, round uint32) (evaluationtypes.Round, error)
	ChallengeWindowBlocks(ctx context.Context) (int64, error)
	GetBenchmark(ctx context.Context, id uint64) (evaluationtypes.Benchmark, error)
	GetModel(ctx context.Context, id uint64) (evaluationtypes.Model, error)
	ReplaceResult(ctx context.Context, evaluationID uint64, round uint32, modelID uint64, c evaluationtypes.Claim) error
	CancelEvaluation(ctx context.Context, id uint64, reason string, byCreator bool) error
	RedrawRound(ctx context.Context, evaluationID uint64, round uint32, attempt uint32) (bool, error)
}

// StakingKeeper finds validators by consensus or operator address.
type StakingKeeper interface {
	ValidatorByConsAddr(ctx context.Context, addr sdk.ConsAddress) (stakingtypes.ValidatorI, error)
	Validator(ctx context.Context, addr sdk.ValAddress) (stakingtypes.ValidatorI, error)
	PowerReduction(ctx context.Context) math.Int
}

// SlashingKeeper punishes the losing side.
type SlashingKeeper interface {
	Slash(ctx context.Context, consAddr sdk.ConsAddress, fraction math.LegacyDec, power, distributionHeight int64) error
	Jail(ctx context.Context, consAddr sdk.ConsAddress) error
}

// BankKeeper escrows and pays challenger bonds.
type BankKeeper interface {
	SendCoinsFromAccountToModule(ctx context.Context, sender sdk.AccAddress, recipient string, amt sdk.Coins) error
	SendCoinsFromModuleToAccount(ctx context.Context, sender string, recipient sdk.AccAddress, amt sdk.Coins) error
	// GetAllBalances reads the module account (the bonds invariant).
	GetAllBalances(ctx context.Context, addr sdk.AccAddress) sdk.Coins
}

// DistributionKeeper receives forfeited bonds that have no account to go to.
type DistributionKeeper interface {
	FundCommunityPool(ctx context.Context, amount sdk.Coins, sender sdk.AccAddress) error
}
