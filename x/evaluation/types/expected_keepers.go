package types

import (
	"context"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
)

// BankKeeper moves deposits and reporter rewards.
type BankKeeper interface {
	SendCoinsFromAccountToModule(ctx context.Context, sender sdk.AccAddress, recipient string, amt sdk.Coins) error
	SendCoinsFromModuleToAccount(ctx context.Context, sender string, recipient sdk.AccAddress, amt sdk.Coins) error
	SendCoinsFromModuleToModule(ctx context.Context, sender, recipient string, amt sdk.Coins) error
	BurnCoins(ctx context.Context, module string, amt sdk.Coins) error
}

// StakingKeeper finds the validator behind a consensus address.
type StakingKeeper interface {
	ValidatorByConsAddr(ctx context.Context, addr sdk.ConsAddress) (stakingtypes.ValidatorI, error)
	PowerReduction(ctx context.Context) math.Int
}

// SlashingKeeper penalises validators that do not report.
type SlashingKeeper interface {
	Slash(ctx context.Context, consAddr sdk.ConsAddress, fraction math.LegacyDec, power, distributionHeight int64) error
	Jail(ctx context.Context, consAddr sdk.ConsAddress) error
}

// DistributionKeeper pays reporter rewards to validators (and their
// delegators), and takes what nobody earned.
type DistributionKeeper interface {
	AllocateTokensToValidator(ctx context.Context, val stakingtypes.ValidatorI, tokens sdk.DecCoins) error
	FundCommunityPool(ctx context.Context, amount sdk.Coins, sender sdk.AccAddress) error
}

// Dependencies are the keepers x/evaluation works through. Staking,
// Slashing and Distribution may be nil in unit fixtures: participation is
// then recorded but nobody is penalised, and reward pools go unpaid.
type Dependencies struct {
	Bank         BankKeeper
	Staking      StakingKeeper
	Slashing     SlashingKeeper
	Distribution DistributionKeeper
}
