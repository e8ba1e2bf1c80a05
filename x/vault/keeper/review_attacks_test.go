package keeper_test

// Attacks found by review of the vault's valuation and queue, each now
// refused.

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	markettypes "github.com/delphi-network/delphi/x/market/types"
	"github.com/delphi-network/delphi/x/vault/types"
)

// TestAQueuedWithdrawalIsNeverPaidWhileAMarketIsExposed (review): a
// withdrawal queued while nothing was exposed (waits_for empty) used to be
// paid whenever idle covered it — even while a market was exposed, at its
// stale mark — and the depositor chose that moment by cancelling a no-trade
// market of its own on the vault's money. Now the queue's head waits for
// every market exposed when it would be paid, and bob gets per share what
// alice, who waited for settlement, gets.
func TestAQueuedWithdrawalIsNeverPaidWhileAMarketIsExposed(t *testing.T) {
	f := newFixture(t).withRounds(func(i int, _ uint32) uint64 { return uint64(9 - i) }) // model 0 wins
	id := f.vault(t, types.FUND_RULE_CATEGORY)
	aliceShares := f.deposit(t, f.alice, id, 20_000_000)
	bobShares := f.deposit(t, f.bob, id, 20_000_000)
	market := f.liveMarket(t, f.carol, id, 1, f.models[0], f.models[1])
	f.buy(t, f.carol, market, 0, 12_000_000) // the winning side: LP will lose

	// bob locks idle in a market of his own, far from its draw.
	res, err := exec(f, func(ctx sdk.Context) (*markettypes.MsgCreateMarketResponse, error) {
		return f.mmsg.CreateMarket(ctx, &markettypes.MsgCreateMarket{Creator: f.bob.String(), Title: "lock", CollateralDenom: usdc,
			Liquidity: math.NewInt(20_000_000), FeeBps: 100, VaultId: id,
			Spec: &markettypes.EvaluationSpec{BenchmarkId: 1, ModelIds: f.models, Rounds: 1, ItemsPerRound: 10,
				BlocksBetweenRounds: 2, StartDelay: 1000, DeadlineBlocks: 50}})
	})
	require.NoError(t, err)
	lock := res.MarketId
	require.False(t, f.exposed(t, market))
	w := f.withdraw(t, f.bob, id, bobShares)
	require.True(t, w.Paid.IsZero(), "queued: idle does not cover it")
	require.Empty(t, f.queued(t, f.bob)[0].WaitsFor, "nothing exposed when asked")

	for !f.exposed(t, market) {
		f.block(t)
	}
	for i := 0; i < 3; i++ { // bob now knows model 0 wins
		f.block(t)
	}
	require.Equal(t, markettypes.MARKET_STATUS_OPEN, f.marketStatus(t, market))
	before := f.bank.Balance(f.ctx, f.bob, usdc)
	_, err = exec(f, func(ctx sdk.Context) (*markettypes.MsgCancelMarketResponse, error) {
		return f.mmsg.CancelMarket(ctx, &markettypes.MsgCancelMarket{Signer: f.bob.String(), MarketId: lock})
	})
	require.NoError(t, err)
	f.block(t)
	require.Equal(t, markettypes.MARKET_STATUS_OPEN, f.marketStatus(t, market))
	q := f.queued(t, f.bob)
	require.Len(t, q, 1, "not paid while market %d is exposed", market)
	require.Equal(t, []uint64{market}, q[0].WaitsFor, "it now waits for the exposed market")
	for f.marketStatus(t, market) == markettypes.MARKET_STATUS_OPEN {
		f.block(t)
	}
	require.Empty(t, f.queued(t, f.bob), "paid once the market settled")
	bobPaid := f.bank.Balance(f.ctx, f.bob, usdc).Sub(before)
	alicePaid := f.withdraw(t, f.alice, id, aliceShares).Paid
	t.Logf("bob %s for %s shares; alice %s for %s shares", bobPaid, bobShares, alicePaid, aliceShares)
	require.True(t, bobPaid.Mul(aliceShares).LTE(alicePaid.Mul(bobShares).Add(aliceShares.Add(bobShares))),
		"bob escaped the loss he could foresee")
}

// TestLiftingTheMarkForABlockDoesNotPay (review): a depositor pushes
// prices to uniform (the LP's best mark) in block N, withdraws in N+1 and
// sells back — a round trip that costs only fees (LMSR is path
// independent). With one block's mark that paid; the lowest mark over the
// last window of MarkWindowBlocks does not move.
func TestLiftingTheMarkForABlockDoesNotPay(t *testing.T) {
	f := newFixture(t)
	id := f.vault(t, types.FUND_RULE_CATEGORY)
	aliceShares := f.deposit(t, f.alice, id, 20_000_000)
	bobShares := f.deposit(t, f.bob, id, 20_000_000)
	res, err := exec(f, func(ctx sdk.Context) (*markettypes.MsgCreateMarketResponse, error) {
		return f.mmsg.CreateMarket(ctx, &markettypes.MsgCreateMarket{Creator: f.carol.String(), Title: "m", CollateralDenom: usdc,
			Liquidity: math.NewInt(10_000_000), FeeBps: 100, VaultId: id,
			Spec: &markettypes.EvaluationSpec{BenchmarkId: 1, ModelIds: f.models[:2], Rounds: 1, ItemsPerRound: 10,
				BlocksBetweenRounds: 2, StartDelay: 1000, DeadlineBlocks: 50}})
	})
	require.NoError(t, err)
	market := res.MarketId
	f.buy(t, f.carol, market, 0, 25_000_000) // prices skewed (~0.92 / 0.08)
	next := func() {
		require.NoError(t, f.mk.EndBlocker(f.ctx))
		require.NoError(t, f.k.EndBlocker(f.ctx))
		f.ctx = f.ctx.WithBlockHeight(f.ctx.BlockHeight() + 1)
	}
	next()
	fair, err := f.k.WithdrawValue(f.ctx, f.getVault(t, id), bobShares)
	require.NoError(t, err)

	before := f.bank.Balance(f.ctx, f.bob, usdc)
	f.buy(t, f.bob, market, 1, 25_000_000)   // block N: back to uniform
	next()                                   // end of N records lp_mark at uniform
	w := f.withdraw(t, f.bob, id, bobShares) // block N+1
	require.True(t, w.Paid.IsPositive())
	_, err = exec(f, func(ctx sdk.Context) (*markettypes.MsgSellSharesResponse, error) {
		return f.mmsg.SellShares(ctx, &markettypes.MsgSellShares{Trader: f.bob.String(), MarketId: market, Outcome: 1,
			Shares: math.NewInt(25_000_000), MinProceeds: math.ZeroInt()})
	})
	require.NoError(t, err)
	net := f.bank.Balance(f.ctx, f.bob, usdc).Sub(before)
	t.Logf("honest withdrawal %s; with the two-block round trip bob nets %s (gain %s); alice's shares %s", fair, net, net.Sub(fair), aliceShares)
	require.True(t, net.LTE(fair), "bob gained %s by inflating the mark for one block", net.Sub(fair))
}

// TestOneVaultsQueueCannotStarveAnother (review): one vault's long queue
// (spam of dust withdrawals) used the whole per-block budget every block
// while vaults with higher ids waited. Queues are served round-robin, each
// vault a share of the budget: bob's withdrawal from the other vault is
// paid within two blocks.
func TestOneVaultsQueueCannotStarveAnother(t *testing.T) {
	f := newFixture(t)
	p := types.DefaultParams()
	p.MaxQueuePaymentsPerBlock = 4
	_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
	require.NoError(t, err)
	v1, v2 := f.vault(t, types.FUND_RULE_CATEGORY), f.vault(t, types.FUND_RULE_CATEGORY)
	spam := f.deposit(t, f.carol, v1, 8_000_000)
	bobShares := f.deposit(t, f.bob, v2, 8_000_000)
	m1, err := f.market(t, f.alice, v1, 1, f.models[0], f.models[1]) // locks 6.93 of 8
	require.NoError(t, err)
	m2, err := f.market(t, f.alice, v2, 1, f.models[0], f.models[1])
	require.NoError(t, err)
	// carol: one large request that idle cannot cover, then 40 dust ones behind it.
	f.withdraw(t, f.carol, v1, spam.QuoRaw(2))
	for i := 0; i < 40; i++ {
		f.withdraw(t, f.carol, v1, math.NewInt(2_000_000)) // ~2 uusdc each
	}
	require.True(t, f.withdraw(t, f.bob, v2, bobShares).Paid.IsZero())
	f.settle(t, m1, 5, 5)
	f.settle(t, m2, 5, 5)
	blocks := 0
	for len(f.queued(t, f.bob)) > 0 {
		f.endBlock(t)
		blocks++
	}
	t.Logf("bob (vault %d) paid after %d end blocks; carol's spam waits in vault %d", v2, blocks, v1)
	require.LessOrEqual(t, blocks, 2)
}

// TestAStrangerCannotFreezeACategoryVault (review): anyone could have a
// category vault with default rules fund a market whose first round is
// drawn at once and whose last ~1.9M blocks later — deposits refused and
// every withdrawal waiting for months. A stranger's market now settles
// within category_schedule_blocks (when the vault sets no
// max_schedule_blocks); the manager may still fund a long one.
func TestAStrangerCannotFreezeACategoryVault(t *testing.T) {
	f := newFixture(t)
	id := f.vault(t, types.FUND_RULE_CATEGORY)
	f.deposit(t, f.bob, id, 20_000_000)
	create := func(who sdk.AccAddress) error {
		_, err := exec(f, func(ctx sdk.Context) (*markettypes.MsgCreateMarketResponse, error) {
			return f.mmsg.CreateMarket(ctx, &markettypes.MsgCreateMarket{Creator: who.String(), Title: "freeze", CollateralDenom: usdc,
				Liquidity: math.NewInt(1_000_000), FeeBps: 100, VaultId: id,
				Spec: &markettypes.EvaluationSpec{BenchmarkId: 1, ModelIds: f.models[:2], Rounds: 2, ItemsPerRound: 10,
					BlocksBetweenRounds: 1_900_000, StartDelay: 6, DeadlineBlocks: 40}})
		})
		return err
	}
	err := create(f.carol)
	require.ErrorIs(t, err, types.ErrFundingRefused)
	require.Contains(t, err.Error(), "category_schedule_blocks")
	require.NoError(t, create(f.alice), "its manager decides for itself")
}

// TestMinAmountRefusesASandwichedWithdrawal (review): a trade placed just
// before a withdrawal lowers the mark it is paid at, and is reversed right
// after. min_amount refuses the withdrawal instead of paying it less.
func TestMinAmountRefusesASandwichedWithdrawal(t *testing.T) {
	f := newFixture(t)
	id := f.vault(t, types.FUND_RULE_CATEGORY)
	f.deposit(t, f.alice, id, 20_000_000)
	bobShares := f.deposit(t, f.bob, id, 20_000_000)
	res, err := exec(f, func(ctx sdk.Context) (*markettypes.MsgCreateMarketResponse, error) {
		return f.mmsg.CreateMarket(ctx, &markettypes.MsgCreateMarket{Creator: f.carol.String(), Title: "m", CollateralDenom: usdc,
			Liquidity: math.NewInt(10_000_000), FeeBps: 100, VaultId: id,
			Spec: &markettypes.EvaluationSpec{BenchmarkId: 1, ModelIds: f.models[:2], Rounds: 1, ItemsPerRound: 10,
				BlocksBetweenRounds: 2, StartDelay: 1000, DeadlineBlocks: 50}})
	})
	require.NoError(t, err)
	fair, err := f.k.WithdrawValue(f.ctx, f.getVault(t, id), bobShares)
	require.NoError(t, err)
	f.buy(t, f.carol, res.MarketId, 0, 25_000_000)                               // front-run
	_, err = exec(f, func(ctx sdk.Context) (*types.MsgWithdrawResponse, error) { // bob, same block
		return f.msg.Withdraw(ctx, &types.MsgWithdraw{Depositor: f.bob.String(), VaultId: id, Shares: bobShares, MinAmount: fair})
	})
	require.ErrorIs(t, err, types.ErrSlippage)
	require.Contains(t, err.Error(), "below min_amount")
	require.Equal(t, bobShares, f.depositorShares(t, id, f.bob), "nothing withdrawn")
}
