package types

import (
	"context"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// BankKeeper moves collateral between traders and the module account.
type BankKeeper interface {
	SendCoinsFromAccountToModule(ctx context.Context, sender sdk.AccAddress, recipient string, amt sdk.Coins) error
	SendCoinsFromModuleToAccount(ctx context.Context, sender string, recipient sdk.AccAddress, amt sdk.Coins) error
	SendCoinsFromModuleToModule(ctx context.Context, sender, recipient string, amt sdk.Coins) error
	GetBalance(ctx context.Context, addr sdk.AccAddress, denom string) sdk.Coin
}

// DistributionKeeper receives the protocol's fee share into the community pool.
type DistributionKeeper interface {
	FundCommunityPool(ctx context.Context, amount sdk.Coins, sender sdk.AccAddress) error
}

// VaultKeeper is x/vault as a market's funder: it escrows a market's
// subsidy from a vault, and accounts what the market pays back (the coins
// are sent to the vault module before the call).
type VaultKeeper interface {
	// FundMarket escrows m.Subsidy from vault m.FunderVaultId for the new
	// market m (not yet stored) on a benchmarkID evaluation, if the vault's
	// rules accept it.
	FundMarket(ctx context.Context, m Market, benchmarkID uint64) error
	MarketReturned(ctx context.Context, vaultID, marketID uint64, amount math.Int, settled bool) error
	// ModuleName is the vault module account that receives the payouts.
	ModuleName() string
}

// EvaluationKeeper creates, reads and cancels the evaluations markets trade on.
type EvaluationKeeper interface {
	CreateEvaluation(ctx context.Context, msg *evaluationtypes.MsgCreateEvaluation) (evaluationtypes.Evaluation, error)
	GetEvaluation(ctx context.Context, id uint64) (evaluationtypes.Evaluation, error)
	// GetModel reads a registered model (queries name outcomes by it).
	GetModel(ctx context.Context, id uint64) (evaluationtypes.Model, error)
	CancelEvaluation(ctx context.Context, id uint64, reason string, byCreator bool) error
	// FundReporters adds coins, already sent to x/evaluation's module
	// account, to what the evaluation's reporters will share.
	FundReporters(ctx context.Context, evaluationID uint64, coins sdk.Coins) error
	// HasOpenDisputes reports whether a dispute about one of the
	// evaluation's results is open.
	HasOpenDisputes(ctx context.Context, evaluationID uint64) (bool, error)
}
