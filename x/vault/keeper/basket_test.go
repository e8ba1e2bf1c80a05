package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/x/vault/types"
)

// TestBasketAllOrNothing: a basket buys a model in every open market that
// lists it (filtered by category), refuses as a whole above max_cost, and
// sells back as a whole.
func TestBasketAllOrNothing(t *testing.T) {
	f := newFixture(t)
	id := f.vault(t, types.FUND_RULE_CATEGORY)
	f.deposit(t, f.alice, id, 100_000_000)
	m1, err := f.market(t, f.carol, id, 1, f.models[0], f.models[1])
	require.NoError(t, err)
	m2, err := f.market(t, f.carol, id, 1, f.models[1], f.models[2])
	require.NoError(t, err)
	m3, err := f.market(t, f.carol, 0, 2, f.models[1], f.models[0]) // wine, creator-funded
	require.NoError(t, err)

	before := f.bank.Balance(f.ctx, f.bob, usdc)
	buy := func(maxCost int64, category ...uint64) (*types.MsgBuyBasketResponse, error) {
		return exec(f, func(ctx sdk.Context) (*types.MsgBuyBasketResponse, error) {
			return f.msg.BuyBasket(ctx, &types.MsgBuyBasket{Buyer: f.bob.String(), ModelIds: []uint64{f.models[1]},
				Category: category, AmountPerLeg: math.NewInt(1_000_000), MaxCost: math.NewInt(maxCost)})
		})
	}
	_, err = buy(2_500_000)
	require.ErrorIs(t, err, types.ErrSlippage, "three legs of up to 1 USDC do not fit in 2.5")
	require.Equal(t, before, f.bank.Balance(f.ctx, f.bob, usdc), "nothing was bought")
	res, err := buy(2_000_000, 1)
	require.NoError(t, err)
	require.Equal(t, []types.BasketLeg{{MarketId: m1, Outcome: 1}, {MarketId: m2, Outcome: 0}}, res.Legs, "iris markets only")
	require.True(t, res.Cost.LTE(math.NewInt(2_000_000)))
	require.Equal(t, before.Sub(res.Cost), f.bank.Balance(f.ctx, f.bob, usdc))
	f.check(t)
	_, err = exec(f, func(ctx sdk.Context) (*types.MsgBuyBasketResponse, error) {
		return f.msg.BuyBasket(ctx, &types.MsgBuyBasket{Buyer: f.bob.String(), ModelIds: []uint64{99},
			AmountPerLeg: math.NewInt(1_000_000), MaxCost: math.NewInt(10_000_000)})
	})
	require.ErrorIs(t, err, types.ErrEmptyBasket)

	sold, err := exec(f, func(ctx sdk.Context) (*types.MsgSellBasketResponse, error) {
		return f.msg.SellBasket(ctx, &types.MsgSellBasket{Seller: f.bob.String(), ModelIds: []uint64{f.models[1]}, MinProceeds: math.ZeroInt()})
	})
	require.NoError(t, err)
	require.Len(t, sold.Legs, 2)
	require.True(t, sold.Proceeds.LT(res.Cost), "a round trip never profits")
	_, err = f.mk.Positions.Get(f.ctx, collections.Join(m1, f.bob))
	require.Error(t, err, "the position is closed")
	_ = m3
	f.check(t)
}

// TestCreateVaultAndGenesis: refusals, and an export that validates and
// imports to the same state.
func TestCreateVaultAndGenesis(t *testing.T) {
	f := newFixture(t)
	for name, msg := range map[string]*types.MsgCreateVault{
		"no category":    {Manager: f.alice.String(), Name: "v", CollateralDenom: usdc, SubsidyCap: math.NewInt(1), Rule: types.FUND_RULE_CATEGORY},
		"zero cap":       {Manager: f.alice.String(), Name: "v", CollateralDenom: usdc, Category: []uint64{1}, SubsidyCap: math.ZeroInt(), Rule: types.FUND_RULE_CATEGORY},
		"no rule":        {Manager: f.alice.String(), Name: "v", CollateralDenom: usdc, Category: []uint64{1}, SubsidyCap: math.NewInt(1)},
		"repeated bench": {Manager: f.alice.String(), Name: "v", CollateralDenom: usdc, Category: []uint64{1, 1}, SubsidyCap: math.NewInt(1), Rule: types.FUND_RULE_CATEGORY},
		"empty name":     {Manager: f.alice.String(), CollateralDenom: usdc, Category: []uint64{1}, SubsidyCap: math.NewInt(1), Rule: types.FUND_RULE_CATEGORY},
	} {
		_, err := exec(f, func(ctx sdk.Context) (*types.MsgCreateVaultResponse, error) { return f.msg.CreateVault(ctx, msg) })
		require.ErrorIs(t, err, types.ErrInvalidVault, name)
	}
	id := f.vault(t, types.FUND_RULE_CATEGORY)
	require.Equal(t, types.DefaultParams().CreationDeposit.AmountOf("udelphi"), f.bank.Balance(f.ctx, mod("distribution"), "udelphi"),
		"the creation deposit went to the community pool")
	f.deposit(t, f.bob, id, 20_000_000)
	_, err := f.market(t, f.carol, id, 1, f.models[0], f.models[1])
	require.NoError(t, err)
	f.withdraw(t, f.bob, id, math.NewInt(19_000_000_000_000))

	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, gs.Validate())
	require.Len(t, gs.Withdrawals, 1)
	g := newFixture(t)
	require.NoError(t, g.k.InitGenesis(g.ctx, *gs))
	again, err := g.k.ExportGenesis(g.ctx)
	require.NoError(t, err)
	require.Equal(t, gs, again)
	broken := *gs
	broken.Deposits = nil
	require.Error(t, broken.Validate(), "shares no depositor holds")
}
