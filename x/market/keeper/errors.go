package keeper

import (
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/delphi-network/delphi/x/market/lmsr"
	"github.com/delphi-network/delphi/x/market/types"
)

// lmsrError maps the math package's sentinels to the module's registered
// errors, keeping the package's message as context.
func lmsrError(err error) error {
	pairs := []struct {
		from error
		to   *errorsmod.Error
	}{
		{lmsr.ErrUnknownOutcome, types.ErrUnknownOutcome},
		{lmsr.ErrDustTrade, types.ErrDustTrade},
		{lmsr.ErrOverSell, types.ErrOverSell},
		{lmsr.ErrOverflow, types.ErrAmountRange},
		{lmsr.ErrPriceRange, types.ErrPriceRange},
		{lmsr.ErrSlippage, types.ErrSlippage},
		{lmsr.ErrOutcomeCount, types.ErrTooManyOutcomes},
		{lmsr.ErrInvalidLiquidity, types.ErrInvalidLiquidity},
	}
	for _, p := range pairs {
		if errors.Is(err, p.from) {
			return errorsmod.Wrap(p.to, err.Error())
		}
	}
	return err
}

// wrapNotFound turns a missing market into ErrMarketNotFound.
func wrapNotFound(err error, id uint64) error {
	if errors.Is(err, collections.ErrNotFound) {
		return errorsmod.Wrapf(types.ErrMarketNotFound, "market %d", id)
	}
	return err
}

// fundsError names the account and amount when a transfer fails for lack
// of funds, under the module's own code.
func fundsError(err error, who string, amt sdk.Coins) error {
	if errors.Is(err, sdkerrors.ErrInsufficientFunds) {
		return errorsmod.Wrapf(types.ErrInsufficientFunds, "%s cannot pay %s", who, amt)
	}
	return err
}
