package keeper_test

import (
	"context"
	"strings"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/delphi-network/delphi/x/verde/types"
)

// fakeBank records every transfer as "from>to" (module names, addresses,
// "burned", "pool").
type fakeBank struct{ sent map[string]sdk.Coins }

func (b *fakeBank) SendCoinsFromAccountToModule(_ context.Context, from sdk.AccAddress, to string, amt sdk.Coins) error {
	b.sent[from.String()+">"+to] = b.sent[from.String()+">"+to].Add(amt...)
	return nil
}

func (b *fakeBank) SendCoinsFromModuleToAccount(_ context.Context, from string, to sdk.AccAddress, amt sdk.Coins) error {
	b.sent[from+">"+to.String()] = b.sent[from+">"+to.String()].Add(amt...)
	return nil
}

func (b *fakeBank) SendCoinsFromModuleToModule(_ context.Context, from, to string, amt sdk.Coins) error {
	b.sent[from+">"+to] = b.sent[from+">"+to].Add(amt...)
	return nil
}

func (b *fakeBank) BurnCoins(_ context.Context, from string, amt sdk.Coins) error {
	b.sent[from+">burned"] = b.sent[from+">burned"].Add(amt...)
	return nil
}

func (b *fakeBank) FundCommunityPool(_ context.Context, amt sdk.Coins, from sdk.AccAddress) error {
	b.sent[from.String()+">pool"] = b.sent[from.String()+">pool"].Add(amt...)
	return nil
}

// GetAllBalances is the verde module account's net inflow (what the bonds
// invariant reads); other accounts hold nothing here.
func (b *fakeBank) GetAllBalances(_ context.Context, addr sdk.AccAddress) sdk.Coins {
	if !addr.Equals(authtypes.NewModuleAddress(types.ModuleName)) {
		return sdk.NewCoins()
	}
	in, out := sdk.NewCoins(), sdk.NewCoins()
	for k, amt := range b.sent {
		from, to, _ := strings.Cut(k, ">")
		if to == types.ModuleName {
			in = in.Add(amt...)
		}
		if from == types.ModuleName || from == addr.String() {
			out = out.Add(amt...)
		}
	}
	held, _ := in.SafeSub(out...)
	return held
}
