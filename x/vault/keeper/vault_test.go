package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	markettypes "github.com/delphi-network/delphi/x/market/types"
	"github.com/delphi-network/delphi/x/vault/types"
)

// TestDepositWithdrawRounding: exact shares and values with V = 10^6.
func TestDepositWithdrawRounding(t *testing.T) {
	f := newFixture(t)
	id := f.vault(t, types.FUND_RULE_CATEGORY)
	require.Equal(t, math.NewInt(1_000_000_000_000_000), f.deposit(t, f.alice, id, 1_000_000_000)) // 10^9·(0+10^6)/(0+1)
	require.Equal(t, math.NewInt(500_000_000_000_000), f.deposit(t, f.bob, id, 500_000_000))       // ⌊5·10^8·(10^15+10^6)/(10^9+1)⌋
	res := f.withdraw(t, f.alice, id, math.NewInt(1_000_000_000_000_000))
	require.Equal(t, math.NewInt(1_000_000_000), res.Paid, "⌊10^15·(1.5·10^9+1)/(1.5·10^15+10^6)⌋")
	require.True(t, res.QueuedShares.IsZero())
	v := f.getVault(t, id)
	require.Equal(t, math.NewInt(500_000_000), v.Idle)
	// Dust: one share is worth nothing; a zero deposit mints nothing.
	_, err := exec(f, func(ctx sdk.Context) (*types.MsgWithdrawResponse, error) {
		return f.msg.Withdraw(ctx, &types.MsgWithdraw{Depositor: f.bob.String(), VaultId: id, Shares: math.NewInt(1)})
	})
	require.ErrorIs(t, err, types.ErrDust)
	_, err = exec(f, func(ctx sdk.Context) (*types.MsgDepositResponse, error) {
		return f.msg.Deposit(ctx, &types.MsgDeposit{Depositor: f.bob.String(), VaultId: id, Amount: math.ZeroInt()})
	})
	require.ErrorIs(t, err, types.ErrDust)
	_, err = exec(f, func(ctx sdk.Context) (*types.MsgWithdrawResponse, error) {
		return f.msg.Withdraw(ctx, &types.MsgWithdraw{Depositor: f.carol.String(), VaultId: id, Shares: math.NewInt(10)})
	})
	require.ErrorIs(t, err, types.ErrInsufficientShares)
	_, err = exec(f, func(ctx sdk.Context) (*types.MsgDepositResponse, error) {
		return f.msg.Deposit(ctx, &types.MsgDeposit{Depositor: f.bob.String(), VaultId: id, Amount: math.NewInt(10), MinShares: math.NewInt(1 << 40)})
	})
	require.ErrorIs(t, err, types.ErrSlippage)
	_, err = exec(f, func(ctx sdk.Context) (*types.MsgDepositResponse, error) {
		return f.msg.Deposit(ctx, &types.MsgDeposit{Depositor: f.bob.String(), VaultId: 9, Amount: math.NewInt(10)})
	})
	require.ErrorIs(t, err, types.ErrVaultNotFound)
}

// TestInflationAttackFails: the first depositor deposits 1 unit and
// donates 10^9 to the vault (here by a market paying it); a victim's
// deposit of 10^9 keeps 99.99997% of its value, and the attacker loses half
// its donation.
func TestInflationAttackFails(t *testing.T) {
	f := newFixture(t)
	id := f.vault(t, types.FUND_RULE_CATEGORY)
	require.Equal(t, math.NewInt(1_000_000), f.deposit(t, f.carol, id, 1))
	// The donation: collateral arriving in the vault as a market payout.
	require.NoError(t, f.bank.Send(f.ctx, f.carol, mod(types.ModuleName), sdk.NewCoins(sdk.NewInt64Coin(usdc, 1_000_000_000))))
	require.NoError(t, f.k.VaultMarkets.Set(f.ctx, collections.Join(id, uint64(99)),
		types.VaultMarket{VaultId: id, MarketId: 99, Subsidy: math.ZeroInt(), Returned: math.ZeroInt(), Settled: true}))
	require.NoError(t, f.k.MarketReturned(f.ctx, id, 99, math.NewInt(1_000_000_000), true))
	f.check(t)

	victim := f.deposit(t, f.bob, id, 1_000_000_000)
	require.Equal(t, math.NewInt(1_999_999), victim)
	q, err := f.q.Depositor(f.ctx, &types.QueryDepositorRequest{VaultId: id, Address: f.bob.String()})
	require.NoError(t, err)
	require.Equal(t, math.NewInt(999_999_750), q.Value)
	q, err = f.q.Depositor(f.ctx, &types.QueryDepositorRequest{VaultId: id, Address: f.carol.String()})
	require.NoError(t, err)
	require.Equal(t, math.NewInt(500_000_125), q.Value, "the attacker lost half its donation")
}

// TestFundingRules: a vault funds only markets within its terms.
func TestFundingRules(t *testing.T) {
	f := newFixture(t)
	managed := f.vault(t, types.FUND_RULE_MANAGER)
	f.deposit(t, f.bob, managed, 100_000_000)
	_, err := f.market(t, f.carol, managed, 1, f.models[0], f.models[1])
	require.ErrorIs(t, err, types.ErrFundingRefused, "only the manager")
	_, err = f.market(t, f.alice, managed, 2, f.models[0], f.models[1])
	require.ErrorIs(t, err, types.ErrFundingRefused, "benchmark outside the category")
	_, err = exec(f, func(ctx sdk.Context) (*markettypes.MsgCreateMarketResponse, error) {
		return f.mmsg.CreateMarket(ctx, &markettypes.MsgCreateMarket{Creator: f.alice.String(), Title: "t", CollateralDenom: usdc,
			Liquidity: math.NewInt(100_000_000), FeeBps: 100, VaultId: managed,
			Spec: &markettypes.EvaluationSpec{BenchmarkId: 1, ModelIds: f.models[:2], Rounds: 1, ItemsPerRound: 10, BlocksBetweenRounds: 2, StartDelay: 5, DeadlineBlocks: 50}})
	})
	require.ErrorIs(t, err, types.ErrFundingRefused, "subsidy above the cap")
	_, err = exec(f, func(ctx sdk.Context) (*markettypes.MsgCreateMarketResponse, error) {
		return f.mmsg.CreateMarket(ctx, &markettypes.MsgCreateMarket{Creator: f.alice.String(), Title: "t", CollateralDenom: usdc,
			Liquidity: math.NewInt(10_000_000), FeeBps: 10, VaultId: managed,
			Spec: &markettypes.EvaluationSpec{BenchmarkId: 1, ModelIds: f.models[:2], Rounds: 1, ItemsPerRound: 10, BlocksBetweenRounds: 2, StartDelay: 5, DeadlineBlocks: 50}})
	})
	require.ErrorIs(t, err, types.ErrFundingRefused, "fee below what the vault asks")
	empty := f.vault(t, types.FUND_RULE_CATEGORY)
	_, err = f.market(t, f.carol, empty, 1, f.models[0], f.models[1])
	require.ErrorIs(t, err, types.ErrFundingRefused, "no idle collateral")
	before := f.bank.Balance(f.ctx, f.alice, usdc)
	_, err = f.market(t, f.alice, managed, 1, f.models[0], f.models[1])
	require.NoError(t, err)
	require.Equal(t, before, f.bank.Balance(f.ctx, f.alice, usdc), "the vault, not the creator, paid the subsidy")
}

// TestMarketsWinAndLoseAndQueueIsPaidInOrder: a vault funds two markets; in
// one the traders back the loser (the vault profits), in the other the
// winner (it loses); withdrawals beyond the idle collateral wait and are
// paid in order as the markets settle.
func TestMarketsWinAndLoseAndQueueIsPaidInOrder(t *testing.T) {
	f := newFixture(t)
	id := f.vault(t, types.FUND_RULE_CATEGORY)
	aliceShares := f.deposit(t, f.alice, id, 10_000_000)
	bobShares := f.deposit(t, f.bob, id, 6_000_000)
	m1, err := f.market(t, f.carol, id, 1, f.models[0], f.models[1])
	require.NoError(t, err)
	m2, err := f.market(t, f.carol, id, 1, f.models[1], f.models[2])
	require.NoError(t, err)
	v := f.getVault(t, id)
	subsidy := math.NewInt(6_931_472) // ⌈10^7·ln 2⌉ each
	require.Equal(t, subsidy.MulRaw(2), v.Locked)
	require.Equal(t, math.NewInt(16_000_000).Sub(subsidy.MulRaw(2)), v.Idle)

	// Both depositors withdraw everything: neither fits the idle 2.1 USDC,
	// so both are queued, alice first.
	ra := f.withdraw(t, f.alice, id, aliceShares)
	rb := f.withdraw(t, f.bob, id, bobShares)
	require.Equal(t, aliceShares, ra.QueuedShares)
	require.Equal(t, bobShares, rb.QueuedShares)
	require.Less(t, ra.WithdrawalId, rb.WithdrawalId)

	f.buy(t, f.carol, m1, 0, 5_000_000) // carol backs model 0 in market 1: it loses
	f.buy(t, f.carol, m2, 0, 5_000_000) // and model 1 in market 2: it wins
	f.settle(t, m1, 1, 9)
	v = f.getVault(t, id)
	vm1, err := f.k.VaultMarkets.Get(f.ctx, collections.Join(id, m1))
	require.NoError(t, err)
	require.True(t, vm1.Settled)
	require.True(t, vm1.Returned.GT(vm1.Subsidy), "the vault profits when traders back the loser: %s > %s", vm1.Returned, vm1.Subsidy)
	w, err := f.q.Withdrawals(f.ctx, &types.QueryWithdrawalsRequest{Address: f.alice.String()})
	require.NoError(t, err)
	require.Empty(t, w.Withdrawals, "alice, first in line, was paid from market 1's return")
	w, err = f.q.Withdrawals(f.ctx, &types.QueryWithdrawalsRequest{Address: f.bob.String()})
	require.NoError(t, err)
	require.Len(t, w.Withdrawals, 1, "bob waits for market 2")

	f.settle(t, m2, 9, 1)
	vm2, err := f.k.VaultMarkets.Get(f.ctx, collections.Join(id, m2))
	require.NoError(t, err)
	require.True(t, vm2.Returned.LT(vm2.Subsidy), "the vault loses when traders back the winner")
	// Bob is paid once the winners' redemptions are reserved; winners
	// redeem, and the last redemption's dust also returns.
	_, err = exec(f, func(ctx sdk.Context) (*markettypes.MsgRedeemResponse, error) {
		return f.mmsg.Redeem(ctx, &markettypes.MsgRedeem{Owner: f.carol.String(), MarketId: m2})
	})
	require.NoError(t, err)
	f.check(t)
	w, err = f.q.Withdrawals(f.ctx, &types.QueryWithdrawalsRequest{Address: f.bob.String()})
	require.NoError(t, err)
	require.Empty(t, w.Withdrawals)
	v = f.getVault(t, id)
	require.True(t, v.TotalShares.IsZero())
	require.True(t, v.Locked.IsZero())
	require.True(t, v.Idle.IsZero() || v.Idle.LT(math.NewInt(10)), "everything paid out but rounding: %s", v.Idle)
	require.Equal(t, v.Returned.Sub(v.Funded), vm1.Returned.Add(vm2.Returned).Sub(vm1.Subsidy).Sub(vm2.Subsidy))
}
