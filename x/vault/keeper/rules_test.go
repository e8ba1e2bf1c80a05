package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	markettypes "github.com/delphi-network/delphi/x/market/types"
	"github.com/delphi-network/delphi/x/vault/types"
)

// TestACategoryVaultFundsOnlyWithinItsRules reproduces the draw on a
// category vault: anyone could have it fund any models on any schedule —
// two markets whose evaluations end ~10^9 blocks out locked most of a
// vault for nothing. Now a market settles within max_settle_blocks (params)
// whoever funds it, and a category vault funds others' markets only within
// its manager's rules: allowed models, a schedule no longer than
// max_schedule_blocks, its total locked within max_locked. Its manager may
// go beyond the models and schedule, not beyond max_locked; only the
// manager changes the rules.
func TestACategoryVaultFundsOnlyWithinItsRules(t *testing.T) {
	f := newFixture(t)
	res, err := exec(f, func(ctx sdk.Context) (*types.MsgCreateVaultResponse, error) {
		return f.msg.CreateVault(ctx, &types.MsgCreateVault{Manager: f.alice.String(), Name: "iris fund", CollateralDenom: usdc,
			Category: []uint64{1}, SubsidyCap: math.NewInt(50_000_000), MinFeeBps: 50, Rule: types.FUND_RULE_CATEGORY,
			AllowedModels: f.models[:2], MaxLocked: math.NewInt(10_000_000), MaxScheduleBlocks: 6_000})
	})
	require.NoError(t, err)
	id := res.VaultId
	f.deposit(t, f.bob, id, 20_000_000)

	var rounds uint32 = 1
	var between uint64 = 2
	create := func(who sdk.AccAddress, deadline uint64, models ...uint64) error {
		_, err := exec(f, func(ctx sdk.Context) (*markettypes.MsgCreateMarketResponse, error) {
			return f.mmsg.CreateMarket(ctx, &markettypes.MsgCreateMarket{Creator: who.String(), Title: "t", CollateralDenom: usdc,
				Liquidity: math.NewInt(10_000_000), FeeBps: 100, VaultId: id,
				Spec: &markettypes.EvaluationSpec{BenchmarkId: 1, ModelIds: models, Rounds: rounds, ItemsPerRound: 10,
					BlocksBetweenRounds: between, StartDelay: 5, DeadlineBlocks: deadline}})
		})
		return err
	}
	rounds, between = 100, 10_000_000
	err = create(f.carol, 10_000_000, f.models[0], f.models[1])
	require.ErrorIs(t, err, markettypes.ErrInvalidMarket, "a billion blocks out")
	rounds, between = 1, 2
	require.Contains(t, err.Error(), "max_settle_blocks")
	err = create(f.carol, 2_000, f.models[0], f.models[1])
	require.ErrorIs(t, err, types.ErrFundingRefused)
	require.Contains(t, err.Error(), "max_schedule_blocks 6000")
	err = create(f.carol, 50, f.models[0], f.models[2])
	require.ErrorIs(t, err, types.ErrFundingRefused)
	require.Contains(t, err.Error(), "model 3 is not among the models it funds")
	require.NoError(t, create(f.carol, 50, f.models[0], f.models[1]), "within the rules")
	err = create(f.carol, 50, f.models[0], f.models[1])
	require.ErrorIs(t, err, types.ErrFundingRefused)
	require.Contains(t, err.Error(), "above its max_locked")
	require.Equal(t, math.NewInt(6_931_472), f.getVault(t, id).Locked)

	update := func(who sdk.AccAddress, maxLocked int64) error {
		_, err := exec(f, func(ctx sdk.Context) (*types.MsgUpdateVaultRulesResponse, error) {
			return f.msg.UpdateVaultRules(ctx, &types.MsgUpdateVaultRules{Manager: who.String(), VaultId: id, Category: []uint64{1},
				SubsidyCap: math.NewInt(50_000_000), MinFeeBps: 50, Rule: types.FUND_RULE_CATEGORY, AllowedModels: f.models[:2],
				MaxLocked: math.NewInt(maxLocked), MaxScheduleBlocks: 6_000})
		})
		return err
	}
	require.ErrorIs(t, update(f.carol, 100_000_000), types.ErrUnauthorized)
	require.ErrorIs(t, update(f.alice, -1), types.ErrInvalidVault)
	require.NoError(t, update(f.alice, 14_000_000))
	require.NoError(t, create(f.alice, 2_000, f.models[0], f.models[2]), "the manager may list other models on a longer schedule")
	err = create(f.alice, 50, f.models[0], f.models[1])
	require.ErrorIs(t, err, types.ErrFundingRefused, "not beyond max_locked")
	f.check(t)
}
