package lmsr

import "errors"

// Sentinel errors. Functions wrap them with context (fmt.Errorf("%w: ...")),
// so callers test with errors.Is and the x/market module maps each one to its
// registered error code.
var (
	// ErrOutcomeCount: fewer than MinOutcomes or more than MaxOutcomes.
	ErrOutcomeCount = errors.New("lmsr: outcome count out of range")
	// ErrUnknownOutcome: an outcome index outside [0, n).
	ErrUnknownOutcome = errors.New("lmsr: unknown outcome")
	// ErrInvalidLiquidity: b missing, below MinLiquidity or above MaxLiquidity.
	ErrInvalidLiquidity = errors.New("lmsr: invalid liquidity")
	// ErrInvalidQuantity: a missing or negative outstanding quantity q_i.
	ErrInvalidQuantity = errors.New("lmsr: invalid quantity")
	// ErrDustTrade: a zero or negative trade, an amount that buys no share, or
	// a sell that would pay nothing.
	ErrDustTrade = errors.New("lmsr: zero or dust trade")
	// ErrOverSell: a sell that would take q_i below zero.
	ErrOverSell = errors.New("lmsr: selling below the floor")
	// ErrOverflow: a quantity, trade or amount above MaxAmount.
	ErrOverflow = errors.New("lmsr: amount out of range")
	// ErrPriceRange: a state in which some price would fall below e^-MaxSpread
	// relative to the highest, where the precision guarantees end.
	ErrPriceRange = errors.New("lmsr: price out of range")
	// ErrSlippage: the cost exceeds the trader's maximum, or the proceeds fall
	// below the trader's minimum.
	ErrSlippage = errors.New("lmsr: slippage limit exceeded")
)
