package types

import errorsmod "cosmossdk.io/errors"

// Registered errors, by concern.
var (
	// 2–9: vaults.
	ErrInvalidVault  = errorsmod.Register(ModuleName, 2, "invalid vault")
	ErrVaultNotFound = errorsmod.Register(ModuleName, 3, "vault not found")
	// 10–19: deposits and withdrawals.
	ErrDust               = errorsmod.Register(ModuleName, 10, "amount too small to mint or burn a share")
	ErrSlippage           = errorsmod.Register(ModuleName, 11, "slippage limit exceeded")
	ErrInsufficientShares = errorsmod.Register(ModuleName, 12, "more shares than held")
	ErrInsufficientFunds  = errorsmod.Register(ModuleName, 13, "insufficient funds")
	ErrDepositsPaused     = errorsmod.Register(ModuleName, 14, "deposits paused")
	// 20–29: funding markets.
	ErrFundingRefused = errorsmod.Register(ModuleName, 20, "vault refuses to fund the market")
	// 30–39: baskets.
	ErrEmptyBasket = errorsmod.Register(ModuleName, 30, "basket matches no open market outcome")

	// 100–102, alike in every Delphi module (internal/modkit): the
	// authority, params and signer addresses.
	ErrUnauthorized   = errorsmod.Register(ModuleName, 100, "unauthorized")
	ErrInvalidParams  = errorsmod.Register(ModuleName, 101, "invalid params")
	ErrInvalidAddress = errorsmod.Register(ModuleName, 102, "invalid address")
)
