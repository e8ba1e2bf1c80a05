package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/testutil/evalsim"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	markettypes "github.com/delphi-network/delphi/x/market/types"
	"github.com/delphi-network/delphi/x/vault/types"
)

// withRounds makes the fixture's evaluations run: four validators report
// score(i, round) correct answers for the model at position i of
// f.models in every open round.
func (f *fixture) withRounds(score func(i int, round uint32) uint64) *fixture {
	f.sim = evalsim.New(f.ek, 4)
	f.sim.Results = f.sim.Claims(func(_ int, r evaluationtypes.Round, m uint64) *evaluationtypes.RoundResult {
		for i, id := range f.models {
			if id == m {
				return evalsim.Result(score(i, r.Round), byte(m))
			}
		}
		return nil
	})
	return f
}

// block runs the next block: x/evaluation through the sim, then the end
// blockers of x/market and x/vault in the app's order.
func (f *fixture) block(t testing.TB) {
	t.Helper()
	f.ctx = f.sim.Block(t, f.ctx)
	require.NoError(t, f.mk.EndBlocker(f.ctx))
	require.NoError(t, f.k.EndBlocker(f.ctx))
	f.check(t)
}

// liveMarket creates a market funded by vault over the models, with
// rounds rounds drawn 8 blocks apart from 6 blocks on.
func (f *fixture) liveMarket(t testing.TB, creator sdk.AccAddress, vault uint64, rounds uint32, models ...uint64) uint64 {
	t.Helper()
	res, err := exec(f, func(ctx sdk.Context) (*markettypes.MsgCreateMarketResponse, error) {
		return f.mmsg.CreateMarket(ctx, &markettypes.MsgCreateMarket{Creator: creator.String(), Title: "live", CollateralDenom: usdc,
			Liquidity: math.NewInt(10_000_000), FeeBps: 100, VaultId: vault,
			Spec: &markettypes.EvaluationSpec{BenchmarkId: 1, ModelIds: models, Rounds: rounds, ItemsPerRound: 10,
				BlocksBetweenRounds: 8, StartDelay: 6, DeadlineBlocks: 40}})
	})
	require.NoError(t, err)
	f.check(t)
	return res.MarketId
}

func (f *fixture) tryDeposit(who sdk.AccAddress, vault uint64, amount int64) (*types.MsgDepositResponse, error) {
	return exec(f, func(ctx sdk.Context) (*types.MsgDepositResponse, error) {
		return f.msg.Deposit(ctx, &types.MsgDeposit{Depositor: who.String(), VaultId: vault, Amount: math.NewInt(amount)})
	})
}

// queued are the vault's queued withdrawals, in order.
func (f *fixture) queued(t testing.TB, who sdk.AccAddress) []types.Withdrawal {
	t.Helper()
	res, err := f.q.Withdrawals(f.ctx, &types.QueryWithdrawalsRequest{Address: who.String()})
	require.NoError(t, err)
	return res.Withdrawals
}

// marketStatus is a market's status now.
func (f *fixture) marketStatus(t testing.TB, id uint64) markettypes.MarketStatus {
	t.Helper()
	m, err := f.mk.GetMarket(f.ctx, id)
	require.NoError(t, err)
	return m.Status
}

// exposed reports whether some round of market id's evaluation is drawn.
func (f *fixture) exposed(t testing.TB, id uint64) bool {
	t.Helper()
	m, err := f.mk.GetMarket(f.ctx, id)
	require.NoError(t, err)
	e, err := f.ek.GetEvaluation(f.ctx, m.EvaluationId)
	require.NoError(t, err)
	return markettypes.Exposed(m, e, f.ctx.BlockHeight())
}

// depositorShares are who's shares in vault.
func (f *fixture) depositorShares(t testing.TB, vault uint64, who sdk.AccAddress) math.Int {
	t.Helper()
	res, err := f.q.Depositor(f.ctx, &types.QueryDepositorRequest{VaultId: vault, Address: who.String()})
	require.NoError(t, err)
	return res.Shares
}
