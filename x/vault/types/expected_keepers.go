package types

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// BankKeeper moves collateral between depositors, the vault module and the
// market module.
type BankKeeper interface {
	SendCoinsFromAccountToModule(ctx context.Context, sender sdk.AccAddress, recipient string, amt sdk.Coins) error
	SendCoinsFromModuleToAccount(ctx context.Context, sender string, recipient sdk.AccAddress, amt sdk.Coins) error
	SendCoinsFromModuleToModule(ctx context.Context, sender, recipient string, amt sdk.Coins) error
	GetBalance(ctx context.Context, addr sdk.AccAddress, denom string) sdk.Coin
}

// DistributionKeeper receives vault creation deposits into the community pool.
type DistributionKeeper interface {
	FundCommunityPool(ctx context.Context, amount sdk.Coins, sender sdk.AccAddress) error
}

// EvaluationKeeper tells which benchmark a market's evaluation runs on.
type EvaluationKeeper interface {
	GetEvaluation(ctx context.Context, id uint64) (evaluationtypes.Evaluation, error)
}
