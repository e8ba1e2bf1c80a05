package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/market/types"
)

// TestLifecycleExactAmounts follows one market from creation to the last
// redemption and checks every transfer against hand-computed figures:
// b = 10 USDC over 2 outcomes, fee 1% (10% protocol, 20% creator, 70% LP).
// C(q) = b·ln Σ exp(q_i/b) was evaluated to 60 digits with Python's decimal.
func TestLifecycleExactAmounts(t *testing.T) {
	f := newFixture(t)
	start := f.balance(f.alice)
	totalBefore := f.total()

	m := f.create(t, 2)
	// MaxLoss = ⌈10^7·ln 2⌉ = ⌈6931471.806⌉.
	require.Equal(t, math.NewInt(6_931_472), m.Subsidy)
	require.Equal(t, start.SubRaw(6_931_472), f.balance(f.alice))
	e, err := f.ek.GetEvaluation(f.ctx, m.EvaluationId)
	require.NoError(t, err)
	require.Equal(t, m.ModelIds, e.ModelIds)
	require.Equal(t, evaluationtypes.EVALUATION_STATUS_SCHEDULED, e.Status)

	// Bob buys 5·10^6 of outcome 0: cost ⌈2809298.036⌉ = 2809299, fee
	// ⌈28092.99⌉ = 28093 → protocol 2809, creator 5618, LP 19666.
	res := f.buy(t, f.bob, m.Id, 0, 5_000_000)
	require.Equal(t, math.NewInt(2_809_299+28_093), res.Cost)
	require.Equal(t, math.NewInt(28_093), res.Fee)
	// Carol buys 3·10^6 of outcome 1: cost ⌈1240618.852⌉ = 1240619, fee 12407
	// → protocol 1240, creator 2481, LP 8686.
	res = f.buy(t, f.carol, m.Id, 1, 3_000_000)
	require.Equal(t, math.NewInt(1_240_619+12_407), res.Cost)
	// Bob sells 3·10^6 of outcome 0: proceeds ⌊1537422.093⌋ = 1537422, fee
	// ⌈15374.22⌉ = 15375 → protocol 1537, creator 3075, LP 10763.
	sold := f.sell(t, f.bob, m.Id, 0, 3_000_000)
	require.Equal(t, math.NewInt(1_537_422-15_375), sold.Proceeds)

	m = f.market(t, m.Id)
	require.Equal(t, []math.Int{math.NewInt(2_000_000), math.NewInt(3_000_000)}, m.Shares)
	require.Equal(t, math.NewInt(6_931_472+2_809_299+1_240_619-1_537_422), m.Escrow)
	require.Equal(t, math.NewInt(5_618+2_481+3_075), m.CreatorFees)
	require.Equal(t, math.NewInt(19_666+8_686+10_763), m.LpFees)
	f.checkInvariants(t)
	require.True(t, f.balance(communityPool).IsZero(), "protocol fees wait for the end of the block")
	// The block's protocol fees go out in one transfer each: half of each
	// trade's (rounded down) to the reporters of the evaluation, the rest
	// to the community pool.
	f.endBlock(t)
	require.Equal(t, math.NewInt(1_405+620+769), f.balance(communityPool))
	pool, err := f.ek.RewardPools.Get(f.ctx, m.EvaluationId)
	require.NoError(t, err)
	require.Equal(t, "2792uusdc", pool.Coins.String())
	require.Equal(t, math.NewInt(2_792), f.balance(authtypes.NewModuleAddress(evaluationtypes.ModuleName)))
	pending, err := f.k.ProtocolFees.Has(f.ctx, usdc)
	require.NoError(t, err)
	require.False(t, pending, "nothing is left pending after EndBlock")
	require.Equal(t, uint64(3), m.TradeCount)
	require.Equal(t, uint64(2), m.Holders)

	// Outcome 1 wins: 3·10^6 shares stay in escrow; the rest, the LP fees
	// and the creator fees go to Alice at once.
	aliceBefore := f.balance(f.alice)
	f.finalize(t, m, 10, 14)
	m = f.market(t, m.Id)
	require.Equal(t, types.MARKET_STATUS_RESOLVED, m.Status)
	require.Equal(t, []uint64{0, 1}, m.PayoutNumerators)
	require.Equal(t, uint64(1), m.PayoutDenominator)
	require.Equal(t, math.NewInt(3_000_000), m.Escrow)
	released := int64(6_931_472 + 2_809_299 + 1_240_619 - 1_537_422 - 3_000_000)
	require.Equal(t, aliceBefore.AddRaw(released+39_115+11_174), f.balance(f.alice))

	require.Equal(t, math.NewInt(3_000_000), f.redeem(t, f.carol, m.Id))
	require.True(t, f.redeem(t, f.bob, m.Id).IsZero())
	m = f.market(t, m.Id)
	require.Zero(t, m.Holders)
	require.True(t, m.Escrow.IsZero())
	require.True(t, f.balance(f.k.ModuleAddress()).IsZero())

	// Who gained what, to the unit; nothing created or lost.
	base := math.NewInt(1_000_000_000_000)
	require.Equal(t, base.SubRaw(437_215), f.balance(f.alice))
	require.Equal(t, base.SubRaw(2_837_392-1_522_047), f.balance(f.bob))
	require.Equal(t, base.AddRaw(3_000_000-1_253_026), f.balance(f.carol))
	require.Equal(t, totalBefore, f.total())
}

// TestTieSplitsAndDustReturns: two tied winners pay 1/2 per share, rounded
// down per position, and the dust left after the last redemption returns to
// the funder.
func TestTieSplitsAndDustReturns(t *testing.T) {
	f := newFixture(t)
	total := f.total()
	m := f.create(t, 3)
	f.buy(t, f.bob, m.Id, 0, 1_000_001)
	f.buy(t, f.carol, m.Id, 1, 2_000_001)
	f.buy(t, f.carol, m.Id, 2, 5_000_000)
	f.finalize(t, m, 12, 12, 3)
	m = f.market(t, m.Id)
	require.Equal(t, []uint64{1, 1, 0}, m.PayoutNumerators)
	require.Equal(t, uint64(2), m.PayoutDenominator)
	// ⌈(1000001 + 2000001)/2⌉ = 1500001 kept back.
	require.Equal(t, math.NewInt(1_500_001), m.Escrow)
	require.Equal(t, math.NewInt(500_000), f.redeem(t, f.bob, m.Id))
	require.Equal(t, math.NewInt(1_000_000), f.redeem(t, f.carol, m.Id))
	m = f.market(t, m.Id)
	require.True(t, m.Escrow.IsZero(), "the 1 unit of rounding dust went to the funder")
	f.endBlock(t)
	require.True(t, f.balance(f.k.ModuleAddress()).IsZero())
	require.Equal(t, total, f.total())
}

// TestFailedEvaluationMakesMarketInvalid: every share of every outcome pays
// 1/N, through the real x/evaluation failure path.
func TestFailedEvaluationMakesMarketInvalid(t *testing.T) {
	f := newFixture(t)
	total := f.total()
	m := f.create(t, 4)
	f.buy(t, f.bob, m.Id, 0, 4_000_000)
	f.buy(t, f.carol, m.Id, 3, 2_000_002)
	_, err := exec(f, func(ctx sdk.Context) (struct{}, error) {
		return struct{}{}, f.ek.CancelEvaluation(ctx, m.EvaluationId, "test: no quorum", false)
	})
	require.NoError(t, err)
	f.checkInvariants(t)
	m = f.market(t, m.Id)
	require.Equal(t, types.MARKET_STATUS_INVALID, m.Status)
	require.Equal(t, []uint64{1, 1, 1, 1}, m.PayoutNumerators)
	require.Equal(t, uint64(4), m.PayoutDenominator)
	require.Equal(t, math.NewInt(1_000_000), f.redeem(t, f.bob, m.Id))
	require.Equal(t, math.NewInt(500_000), f.redeem(t, f.carol, m.Id))
	f.endBlock(t)
	require.True(t, f.balance(f.k.ModuleAddress()).IsZero())
	require.Equal(t, total, f.total())
}

// TestCancel: the creator may cancel before the first trade (escrow back,
// evaluation stopped); after a trade only governance may, and the market is
// then invalid.
func TestCancel(t *testing.T) {
	f := newFixture(t)
	start := f.balance(f.alice)
	m := f.create(t, 2)
	res, err := exec(f, func(ctx sdk.Context) (*types.MsgCancelMarketResponse, error) {
		return f.msg.CancelMarket(ctx, &types.MsgCancelMarket{Signer: f.alice.String(), MarketId: m.Id})
	})
	require.NoError(t, err)
	require.Equal(t, types.MARKET_STATUS_CANCELLED, res.Status)
	require.Equal(t, start, f.balance(f.alice))
	e, err := f.ek.GetEvaluation(f.ctx, m.EvaluationId)
	require.NoError(t, err)
	require.Equal(t, evaluationtypes.EVALUATION_STATUS_FAILED, e.Status)
	require.Equal(t, types.MARKET_STATUS_CANCELLED, f.market(t, m.Id).Status, "the evaluation's failure hook leaves it cancelled")

	m = f.create(t, 2)
	f.buy(t, f.bob, m.Id, 1, 2_000_000)
	_, err = exec(f, func(ctx sdk.Context) (*types.MsgCancelMarketResponse, error) {
		return f.msg.CancelMarket(ctx, &types.MsgCancelMarket{Signer: f.alice.String(), MarketId: m.Id})
	})
	require.ErrorIs(t, err, types.ErrNotCancellable)
	_, err = exec(f, func(ctx sdk.Context) (*types.MsgCancelMarketResponse, error) {
		return f.msg.CancelMarket(ctx, &types.MsgCancelMarket{Signer: f.bob.String(), MarketId: m.Id})
	})
	require.ErrorIs(t, err, types.ErrUnauthorized)
	res, err = exec(f, func(ctx sdk.Context) (*types.MsgCancelMarketResponse, error) {
		return f.msg.CancelMarket(ctx, &types.MsgCancelMarket{Signer: f.authority, MarketId: m.Id})
	})
	require.NoError(t, err)
	require.Equal(t, types.MARKET_STATUS_INVALID, res.Status)
	f.checkInvariants(t)
	require.Equal(t, math.NewInt(1_000_000), f.redeem(t, f.bob, m.Id))
}
