// Package fakebank is the bank that keeper unit tests of x/market and
// x/vault run against: balances kept in the context's own store, so a
// message run in a cache context that fails (as baseapp runs them) loses
// its transfers with the rest of its writes. It stands in for
// x/distribution's community pool too (the "distribution" module account).
package fakebank

import (
	"context"
	"fmt"

	"cosmossdk.io/math"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
)

// CommunityPool is where FundCommunityPool sends coins.
var CommunityPool = authtypes.NewModuleAddress("distribution")

// Bank keeps balances under Key.
type Bank struct{ Key *storetypes.KVStoreKey }

// Balance is addr's balance of denom.
func (b Bank) Balance(ctx context.Context, addr sdk.AccAddress, denom string) math.Int {
	bz := sdk.UnwrapSDKContext(ctx).KVStore(b.Key).Get([]byte(addr.String() + "/" + denom))
	if bz == nil {
		return math.ZeroInt()
	}
	v, _ := math.NewIntFromString(string(bz))
	return v
}

// SetBalance sets addr's balance of denom (test setup).
func (b Bank) SetBalance(ctx context.Context, addr sdk.AccAddress, denom string, v math.Int) {
	sdk.UnwrapSDKContext(ctx).KVStore(b.Key).Set([]byte(addr.String()+"/"+denom), []byte(v.String()))
}

// Send moves amt, all or nothing, failing with ErrInsufficientFunds.
func (b Bank) Send(ctx context.Context, from, to sdk.AccAddress, amt sdk.Coins) error {
	for _, c := range amt {
		if have := b.Balance(ctx, from, c.Denom); have.LT(c.Amount) {
			return fmt.Errorf("%s has %s, not %s: %w", from, have, c, sdkerrors.ErrInsufficientFunds)
		}
	}
	for _, c := range amt {
		b.SetBalance(ctx, from, c.Denom, b.Balance(ctx, from, c.Denom).Sub(c.Amount))
		b.SetBalance(ctx, to, c.Denom, b.Balance(ctx, to, c.Denom).Add(c.Amount))
	}
	return nil
}

// SendCoinsFromAccountToModule implements the modules' BankKeeper.
func (b Bank) SendCoinsFromAccountToModule(ctx context.Context, from sdk.AccAddress, to string, amt sdk.Coins) error {
	return b.Send(ctx, from, authtypes.NewModuleAddress(to), amt)
}

// SendCoinsFromModuleToAccount implements the modules' BankKeeper.
func (b Bank) SendCoinsFromModuleToAccount(ctx context.Context, from string, to sdk.AccAddress, amt sdk.Coins) error {
	return b.Send(ctx, authtypes.NewModuleAddress(from), to, amt)
}

// SendCoinsFromModuleToModule implements the modules' BankKeeper.
func (b Bank) SendCoinsFromModuleToModule(ctx context.Context, from, to string, amt sdk.Coins) error {
	return b.Send(ctx, authtypes.NewModuleAddress(from), authtypes.NewModuleAddress(to), amt)
}

// GetBalance implements the modules' BankKeeper.
func (b Bank) GetBalance(ctx context.Context, addr sdk.AccAddress, denom string) sdk.Coin {
	return sdk.NewCoin(denom, b.Balance(ctx, addr, denom))
}

// FundCommunityPool stands in for x/distribution.
func (b Bank) FundCommunityPool(ctx context.Context, amt sdk.Coins, from sdk.AccAddress) error {
	return b.Send(ctx, from, CommunityPool, amt)
}

// BurnCoins implements x/evaluation's BankKeeper: the coins leave the
// module account for good.
func (b Bank) BurnCoins(ctx context.Context, module string, amt sdk.Coins) error {
	return b.Send(ctx, authtypes.NewModuleAddress(module), Burned, amt)
}

// Burned is where burned coins go, so tests can count them.
var Burned = authtypes.NewModuleAddress("burned")
