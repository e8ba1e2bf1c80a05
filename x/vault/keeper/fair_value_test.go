package keeper_test

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	markettypes "github.com/delphi-network/delphi/x/market/types"
	"github.com/delphi-network/delphi/x/vault/types"
)

// TestAWithdrawalAfterRoundsAreDrawnWaitsForSettlement reproduces the exit
// at face value: the vault's market is heading for a loss (traders backed
// the model the rounds show winning), and a depositor who reads that
// withdrew at the pre-loss price, leaving the loss to those who stayed.
// Now, before any round is drawn, open markets count at their marked value
// (below the subsidy once traders took a side); once a round is drawn,
// deposits are refused and a withdrawal waits for the market to settle and
// is paid at the price of then: bob, who asked early, gets per share what
// alice, who asked after settlement, gets.
func TestAWithdrawalAfterRoundsAreDrawnWaitsForSettlement(t *testing.T) {
	f := newFixture(t).withRounds(func(i int, _ uint32) uint64 { return uint64(9 - i) }) // model 0 leads
	id := f.vault(t, types.FUND_RULE_CATEGORY)
	aliceShares := f.deposit(t, f.alice, id, 20_000_000)
	bobShares := f.deposit(t, f.bob, id, 20_000_000)
	market := f.liveMarket(t, f.carol, id, 2, f.models[0], f.models[1])
	face := f.getVault(t, id)
	f.buy(t, f.carol, market, 0, 12_000_000) // the side that will win

	byFace := bobShares.Mul(face.Idle.Add(face.Locked).AddRaw(1)).Quo(face.TotalShares.Add(types.DefaultParams().VirtualShares))
	marked, err := f.k.WithdrawValue(f.ctx, f.getVault(t, id), bobShares)
	require.NoError(t, err)
	require.True(t, marked.LT(byFace), "marked %s, at face %s: the market's open position counts at its price", marked, byFace)

	for !f.exposed(t, market) {
		f.block(t)
	}
	_, err = f.tryDeposit(f.carol, id, 5_000_000)
	require.ErrorIs(t, err, types.ErrDepositsPaused)
	res := f.withdraw(t, f.bob, id, bobShares)
	require.True(t, res.Paid.IsZero(), "not paid while the market is exposed: %s", res.Paid)
	require.Equal(t, []uint64{market}, f.queued(t, f.bob)[0].WaitsFor)
	q, err := f.q.Vault(f.ctx, &types.QueryVaultRequest{VaultId: id})
	require.NoError(t, err)
	require.Contains(t, q.DepositsPaused, fmt.Sprintf("markets [%d]", market))

	before := f.bank.Balance(f.ctx, f.bob, usdc)
	for f.marketStatus(t, market) == markettypes.MARKET_STATUS_OPEN {
		require.Len(t, f.queued(t, f.bob), 1, "height %d: still waiting", f.ctx.BlockHeight())
		f.block(t)
	}
	require.Empty(t, f.queued(t, f.bob), "paid in the block the market settled")
	bobPaid := f.bank.Balance(f.ctx, f.bob, usdc).Sub(before)
	alicePaid := f.withdraw(t, f.alice, id, aliceShares).Paid
	require.True(t, bobPaid.LT(byFace), "bob bore the loss: %s, at face %s", bobPaid, byFace)
	// Per share alike, up to a unit of rounding.
	diff := bobPaid.Mul(aliceShares).Sub(alicePaid.Mul(bobShares)).Abs()
	require.True(t, diff.LTE(aliceShares.Add(bobShares)), "bob %s for %s shares, alice %s for %s", bobPaid, bobShares, alicePaid, aliceShares)
	_, err = f.tryDeposit(f.carol, id, 5_000_000)
	require.NoError(t, err, "deposits resume after settlement")
}

// TestTheQueueIsPaidInBoundedStepsByTheChain reproduces the unbounded
// queue walk inside settlement: the hook that settled a market (and the
// last redemption of one) paid every queued withdrawal, in another user's
// transaction. Now settlement only marks the vault due; its EndBlocker
// pays at most a quarter of max_queue_payments_per_block per vault and block.
func TestTheQueueIsPaidInBoundedStepsByTheChain(t *testing.T) {
	f := newFixture(t)
	p := types.DefaultParams()
	p.MaxQueuePaymentsPerBlock = 8 // two per vault and block
	_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
	require.NoError(t, err)
	id := f.vault(t, types.FUND_RULE_CATEGORY)
	var depositors []sdk.AccAddress
	shares := map[string]math.Int{}
	for i := 0; i < 6; i++ {
		d := account(fmt.Sprintf("%d", i))
		f.bank.SetBalance(f.ctx, d, usdc, math.NewInt(2_000_000))
		shares[d.String()] = f.deposit(t, d, id, 2_000_000)
		depositors = append(depositors, d)
	}
	market, err := f.market(t, f.alice, id, 1, f.models[0], f.models[1]) // 6.93 of the 12 USDC
	require.NoError(t, err)
	queued := 0
	for _, d := range depositors {
		if r := f.withdraw(t, d, id, shares[d.String()]); r.Paid.IsZero() {
			queued++
		}
	}
	require.Equal(t, 4, queued, "two fit in the idle 5.07 USDC")

	m, err := f.mk.GetMarket(f.ctx, market)
	require.NoError(t, err)
	_, err = exec(f, func(ctx sdk.Context) (struct{}, error) {
		return struct{}{}, f.mk.Hooks().AfterEvaluationFinalized(ctx, m.EvaluationId, []evaluationtypes.Standing{
			{ModelId: m.ModelIds[0], Rank: 1}, {ModelId: m.ModelIds[1], Rank: 2}})
	})
	require.NoError(t, err)
	f.check(t)
	waiting := func() int {
		n := 0
		for _, d := range depositors {
			n += len(f.queued(t, d))
		}
		return n
	}
	require.Equal(t, 4, waiting(), "the settlement paid nobody from the queue")
	f.endBlock(t)
	require.Equal(t, 2, waiting(), "two per block")
	f.endBlock(t)
	require.Zero(t, waiting())
	for _, d := range depositors {
		require.True(t, f.bank.Balance(f.ctx, d, usdc).IsPositive())
	}
}

// TestNoDepositorGainsByTimingAWithdrawal runs random vault lives: random
// deposits, a funded market over random models with random trades before
// its draw, random round scores, and bob asking to withdraw everything at a
// random block while alice waits for settlement. Whenever bob asked after
// the market's first draw (results knowable), he gets no more per share
// than alice; collateral is conserved throughout, and both modules'
// invariants (escrow covers the worst-case payout) hold after every block.
func TestNoDepositorGainsByTimingAWithdrawal(t *testing.T) {
	for seed := int64(1); seed <= 12; seed++ {
		t.Run(fmt.Sprintf("seed-%d", seed), func(t *testing.T) {
			r := rand.New(rand.NewSource(seed))
			scores := []uint64{uint64(r.Intn(10)), uint64(r.Intn(10)), uint64(r.Intn(10))}
			f := newFixture(t).withRounds(func(i int, round uint32) uint64 { return scores[i] + uint64(r.Intn(2))*uint64(round) })
			id := f.vault(t, types.FUND_RULE_CATEGORY)
			total := func() math.Int {
				sum := math.ZeroInt()
				for _, a := range []sdk.AccAddress{f.alice, f.bob, f.carol, mod(types.ModuleName), mod(markettypes.ModuleName),
					mod(evaluationtypes.ModuleName), mod("distribution")} {
					sum = sum.Add(f.bank.Balance(f.ctx, a, usdc))
				}
				return sum
			}
			amount := int64(10_000_000 + r.Intn(20_000_000))
			aliceShares := f.deposit(t, f.alice, id, amount)
			bobShares := f.deposit(t, f.bob, id, amount)
			if r.Intn(2) == 0 {
				f.deposit(t, f.carol, id, int64(1_000_000+r.Intn(10_000_000)))
			}
			start := total()
			market := f.liveMarket(t, f.carol, id, uint32(1+r.Intn(3)), f.models...)
			askAt := 1 + r.Intn(40)
			var bobAsked int64
			bobBefore := f.bank.Balance(f.ctx, f.bob, usdc)
			exposedWhenAsked := false
			for i := 0; f.marketStatus(t, market) == markettypes.MARKET_STATUS_OPEN || len(f.queued(t, f.bob)) > 0; i++ {
				require.Less(t, i, 200, "the market never settled")
				if r.Intn(3) == 0 {
					_, _ = exec(f, func(ctx sdk.Context) (*markettypes.MsgBuySharesResponse, error) {
						return f.mmsg.BuyShares(ctx, &markettypes.MsgBuyShares{Trader: f.carol.String(), MarketId: market,
							Outcome: uint32(r.Intn(3)), Shares: math.NewInt(int64(100_000 + r.Intn(8_000_000))), MaxCost: math.NewInt(1 << 50)})
					})
				}
				if i == askAt && bobAsked == 0 {
					exposedWhenAsked = f.exposed(t, market)
					f.withdraw(t, f.bob, id, bobShares)
					bobAsked = f.ctx.BlockHeight()
				}
				f.block(t)
				require.Equal(t, start, total(), "collateral is conserved")
			}
			if bobAsked == 0 {
				f.withdraw(t, f.bob, id, bobShares)
			}
			bobPaid := f.bank.Balance(f.ctx, f.bob, usdc).Sub(bobBefore)
			alicePaid := f.withdraw(t, f.alice, id, aliceShares).Paid
			require.Equal(t, start, total())
			t.Logf("bob asked at %d (exposed %v): %s for %s shares; alice %s for %s", bobAsked, exposedWhenAsked, bobPaid, bobShares, alicePaid, aliceShares)
			if exposedWhenAsked || bobAsked == 0 {
				require.True(t, bobPaid.Mul(aliceShares).LTE(alicePaid.Mul(bobShares).Add(aliceShares.Add(bobShares))),
					"bob asked at %d (exposed %v) and got %s for %s shares; alice %s for %s", bobAsked, exposedWhenAsked,
					bobPaid, bobShares, alicePaid, aliceShares)
			}
		})
	}
}
