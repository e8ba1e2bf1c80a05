package types

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	markettypes "github.com/delphi-network/delphi/x/market/types"
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

// MarketKeeper is x/market as a vault sees it: the markets it values and
// picks basket legs from, positions, and the trades a basket makes (through
// x/market's own message handlers). The reverse direction — a market
// drawing its subsidy from a vault and paying it back — is x/market's
// VaultKeeper, which this module implements.
type MarketKeeper interface {
	GetMarket(ctx context.Context, id uint64) (markettypes.Market, error)
	// WalkMarkets calls fn for every market in id order until fn says stop.
	WalkMarkets(ctx context.Context, fn func(markettypes.Market) (stop bool, err error)) error
	// TradingState is whether a market trades now.
	TradingState(ctx context.Context, m markettypes.Market) (markettypes.TradingState, error)
	// FunderValue values an open market's funder position.
	FunderValue(ctx context.Context, marketID uint64) (markettypes.FunderValue, error)
	// Position is owner's position; found is false when it holds none.
	Position(ctx context.Context, marketID uint64, owner sdk.AccAddress) (p markettypes.Position, found bool, err error)
	BuyForAmount(ctx context.Context, msg *markettypes.MsgBuyForAmount) (*markettypes.MsgBuyForAmountResponse, error)
	SellShares(ctx context.Context, msg *markettypes.MsgSellShares) (*markettypes.MsgSellSharesResponse, error)
}
