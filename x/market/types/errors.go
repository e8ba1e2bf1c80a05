package types

import errorsmod "cosmossdk.io/errors"

// Registered errors, by concern.
var (
	// 2–9: markets and their creation.
	ErrInvalidMarket     = errorsmod.Register(ModuleName, 2, "invalid market")
	ErrMarketNotFound    = errorsmod.Register(ModuleName, 3, "market not found")
	ErrEvaluationTaken   = errorsmod.Register(ModuleName, 4, "evaluation already has a market")
	ErrEvaluationStarted = errorsmod.Register(ModuleName, 5, "evaluation already started")
	ErrInvalidFee        = errorsmod.Register(ModuleName, 6, "fee outside the params")
	ErrInvalidLiquidity  = errorsmod.Register(ModuleName, 7, "liquidity outside the params")
	ErrTooManyOutcomes   = errorsmod.Register(ModuleName, 8, "too many outcomes")
	ErrInvalidDenom      = errorsmod.Register(ModuleName, 9, "collateral denom not allowed")

	// 10–19: trading.
	ErrUnknownOutcome    = errorsmod.Register(ModuleName, 10, "unknown outcome")
	ErrDustTrade         = errorsmod.Register(ModuleName, 11, "zero, negative or dust trade")
	ErrSlippage          = errorsmod.Register(ModuleName, 12, "slippage limit exceeded")
	ErrOverSell          = errorsmod.Register(ModuleName, 13, "selling more shares than held")
	ErrTradingClosed     = errorsmod.Register(ModuleName, 14, "trading closed")
	ErrAmountRange       = errorsmod.Register(ModuleName, 15, "amount out of range")
	ErrPriceRange        = errorsmod.Register(ModuleName, 16, "trade would move a price out of range")
	ErrInsufficientFunds = errorsmod.Register(ModuleName, 17, "insufficient funds")

	// 20–29: settlement and redemption.
	ErrNotSettled      = errorsmod.Register(ModuleName, 20, "market not settled")
	ErrNothingToRedeem = errorsmod.Register(ModuleName, 21, "nothing to redeem")
	ErrNotCancellable  = errorsmod.Register(ModuleName, 22, "market cannot be cancelled")

	// 100–102, alike in every Delphi module (internal/modkit): the
	// authority, params and signer addresses.
	ErrUnauthorized   = errorsmod.Register(ModuleName, 100, "unauthorized")
	ErrInvalidParams  = errorsmod.Register(ModuleName, 101, "invalid params")
	ErrInvalidAddress = errorsmod.Register(ModuleName, 102, "invalid address")
)
