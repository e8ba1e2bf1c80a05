package keeper_test

import (
	"math/big"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	evaluationkeeper "github.com/delphi-network/delphi/x/evaluation/keeper"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/market/types"
)

// snapshot is everything a refused message must leave untouched.
type snapshot struct {
	market   *types.GenesisState
	eval     *evaluationtypes.GenesisState
	balances []math.Int
}

func (f *fixture) snapshot(t *testing.T) snapshot {
	t.Helper()
	// Close the block first, so fees a refused message might have
	// collected show up as a balance change.
	f.endBlock(t)
	mg, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	eg, err := f.ek.ExportGenesis(f.ctx)
	require.NoError(t, err)
	var bal []math.Int
	for _, a := range []sdk.AccAddress{f.alice, f.bob, f.carol, communityPool, f.k.ModuleAddress(), account("p")} {
		bal = append(bal, f.balance(a))
	}
	return snapshot{mg, eg, bal}
}

// TestBadInputIsRefusedWithoutEffect sends every kind of bad message and
// checks each gets its registered error while no state and no funds move.
func TestBadInputIsRefusedWithoutEffect(t *testing.T) {
	f := newFixture(t)
	open := f.create(t, 2)
	f.buy(t, f.bob, open.Id, 0, 1_000_000)

	settled := f.create(t, 2)
	f.buy(t, f.bob, settled.Id, 1, 1_000_000)
	f.finalize(t, settled, 3, 9)
	f.redeem(t, f.bob, settled.Id)

	closing := f.createMsg(2)
	closing.TradingBlocks = 1
	res, err := exec(f, func(ctx sdk.Context) (*types.MsgCreateMarketResponse, error) { return f.msg.CreateMarket(ctx, closing) })
	require.NoError(t, err)
	closed := res.MarketId

	// An evaluation whose round 0 is at this very height has started (its
	// draw waits for a seed at least 3 blocks after its creation).
	emsg := evaluationkeeper.NewMsgServerImpl(*f.ek)
	started, err := emsg.CreateEvaluation(f.ctx.WithBlockHeight(97), &evaluationtypes.MsgCreateEvaluation{
		Creator: f.bob.String(), BenchmarkId: f.benchmark, ModelIds: f.models[:2], Rounds: 1, ItemsPerRound: 5,
		BlocksBetweenRounds: 2, StartDelay: 1, DeadlineBlocks: 20,
	})
	require.NoError(t, err)
	fresh, err := emsg.CreateEvaluation(f.ctx, &evaluationtypes.MsgCreateEvaluation{
		Creator: f.bob.String(), BenchmarkId: f.benchmark, ModelIds: f.models[:3], Rounds: 1, ItemsPerRound: 5,
		BlocksBetweenRounds: 2, StartDelay: 5, DeadlineBlocks: 20,
	})
	require.NoError(t, err)

	f.ctx = f.ctx.WithBlockHeight(101) // the closing market's last block has passed
	poor := account("p")
	big := math.NewIntFromBigInt(new(big.Int).Lsh(big.NewInt(1), 200))
	bob := f.bob.String()

	buy := func(id uint64, outcome uint32, shares, maxCost math.Int) func(sdk.Context) error {
		return func(ctx sdk.Context) error {
			_, err := f.msg.BuyShares(ctx, &types.MsgBuyShares{Trader: bob, MarketId: id, Outcome: outcome, Shares: shares, MaxCost: maxCost})
			return err
		}
	}
	sell := func(who string, id uint64, outcome uint32, shares, min math.Int) func(sdk.Context) error {
		return func(ctx sdk.Context) error {
			_, err := f.msg.SellShares(ctx, &types.MsgSellShares{Trader: who, MarketId: id, Outcome: outcome, Shares: shares, MinProceeds: min})
			return err
		}
	}
	buyFor := func(id uint64, amount, min math.Int) func(sdk.Context) error {
		return func(ctx sdk.Context) error {
			_, err := f.msg.BuyForAmount(ctx, &types.MsgBuyForAmount{Trader: bob, MarketId: id, Outcome: 1, Amount: amount, MinShares: min})
			return err
		}
	}
	create := func(edit func(*types.MsgCreateMarket)) func(sdk.Context) error {
		return func(ctx sdk.Context) error {
			msg := f.createMsg(2)
			edit(msg)
			_, err := f.msg.CreateMarket(ctx, msg)
			return err
		}
	}
	n := func(v int64) math.Int { return math.NewInt(v) }
	maxCost := n(1 << 50)

	cases := map[string]struct {
		run  func(sdk.Context) error
		want error
	}{
		"unknown market":     {buy(999, 0, n(10_000), maxCost), types.ErrMarketNotFound},
		"unknown outcome":    {buy(open.Id, 2, n(10_000), maxCost), types.ErrUnknownOutcome},
		"zero shares":        {buy(open.Id, 0, n(0), maxCost), types.ErrDustTrade},
		"negative shares":    {buy(open.Id, 0, n(-5), maxCost), types.ErrDustTrade},
		"dust shares":        {buy(open.Id, 0, n(999), maxCost), types.ErrDustTrade},
		"missing shares":     {buy(open.Id, 0, math.Int{}, maxCost), types.ErrDustTrade},
		"overflowing shares": {buy(open.Id, 0, big, maxCost), types.ErrAmountRange},
		"price out of range": {buy(open.Id, 0, n(2_000_000_000), maxCost), types.ErrPriceRange},
		"buy slippage":       {buy(open.Id, 0, n(1_000_000), n(500_000)), types.ErrSlippage},
		"missing max cost":   {buy(open.Id, 0, n(1_000_000), math.Int{}), types.ErrSlippage},
		"insufficient funds": {func(ctx sdk.Context) error {
			_, err := f.msg.BuyShares(ctx, &types.MsgBuyShares{Trader: poor.String(), MarketId: open.Id, Shares: n(10_000), MaxCost: maxCost})
			return err
		}, types.ErrInsufficientFunds},
		"bad trader address": {func(ctx sdk.Context) error {
			_, err := f.msg.BuyShares(ctx, &types.MsgBuyShares{Trader: "delphi1nope", MarketId: open.Id, Shares: n(10_000), MaxCost: maxCost})
			return err
		}, types.ErrInvalidAddress},
		"buy-for slippage":         {buyFor(open.Id, n(1_000_000), n(10_000_000)), types.ErrSlippage},
		"buy-for dust":             {buyFor(open.Id, n(3), n(0)), types.ErrDustTrade},
		"buy-for zero":             {buyFor(open.Id, n(0), n(0)), types.ErrDustTrade},
		"buy-for overflow":         {buyFor(open.Id, big, n(0)), types.ErrAmountRange},
		"over-selling":             {sell(bob, open.Id, 0, n(1_000_001), n(0)), types.ErrOverSell},
		"selling what is not held": {sell(bob, open.Id, 1, n(10_000), n(0)), types.ErrOverSell},
		"selling with no position": {sell(f.carol.String(), open.Id, 0, n(10_000), n(0)), types.ErrOverSell},
		"sell slippage":            {sell(bob, open.Id, 0, n(500_000), n(400_000)), types.ErrSlippage},
		"sell dust":                {sell(bob, open.Id, 0, n(10), n(0)), types.ErrDustTrade},
		"trading after the end":    {buy(closed, 0, n(10_000), maxCost), types.ErrTradingClosed},
		"trading after resolution": {buy(settled.Id, 0, n(10_000), maxCost), types.ErrTradingClosed},
		"selling after resolution": {sell(bob, settled.Id, 1, n(10_000), n(0)), types.ErrTradingClosed},
		"redeeming twice": {func(ctx sdk.Context) error {
			_, err := f.msg.Redeem(ctx, &types.MsgRedeem{Owner: bob, MarketId: settled.Id})
			return err
		}, types.ErrNothingToRedeem},
		"redeeming an open market": {func(ctx sdk.Context) error {
			_, err := f.msg.Redeem(ctx, &types.MsgRedeem{Owner: bob, MarketId: open.Id})
			return err
		}, types.ErrNotSettled},
		"fee above max":              {create(func(m *types.MsgCreateMarket) { m.FeeBps = 501 }), types.ErrInvalidFee},
		"creator share above max":    {create(func(m *types.MsgCreateMarket) { m.CreatorFeeShareBps = 5_001 }), types.ErrInvalidFee},
		"liquidity below min":        {create(func(m *types.MsgCreateMarket) { m.Liquidity = n(999_999) }), types.ErrInvalidLiquidity},
		"liquidity above max":        {create(func(m *types.MsgCreateMarket) { m.Liquidity = big }), types.ErrInvalidLiquidity},
		"liquidity missing":          {create(func(m *types.MsgCreateMarket) { m.Liquidity = math.Int{} }), types.ErrInvalidLiquidity},
		"too many outcomes":          {create(func(m *types.MsgCreateMarket) { m.Spec.ModelIds = make([]uint64, 17) }), types.ErrTooManyOutcomes},
		"denom not allowed":          {create(func(m *types.MsgCreateMarket) { m.CollateralDenom = "udelphi" }), types.ErrInvalidDenom},
		"empty title":                {create(func(m *types.MsgCreateMarket) { m.Title = "" }), types.ErrInvalidMarket},
		"spec and evaluation id":     {create(func(m *types.MsgCreateMarket) { m.EvaluationId = fresh.Id }), types.ErrInvalidMarket},
		"evaluation already started": {create(func(m *types.MsgCreateMarket) { m.Spec, m.EvaluationId = nil, started.Id }), types.ErrEvaluationStarted},
		"evaluation already listed":  {create(func(m *types.MsgCreateMarket) { m.Spec, m.EvaluationId = nil, open.EvaluationId }), types.ErrEvaluationTaken},
		"unknown evaluation":         {create(func(m *types.MsgCreateMarket) { m.Spec, m.EvaluationId = nil, 999 }), evaluationtypes.ErrEvaluationNotFound},
		"unknown model in spec":      {create(func(m *types.MsgCreateMarket) { m.Spec.ModelIds = []uint64{1, 999} }), evaluationtypes.ErrModelNotFound},
		"creator cannot pay":         {create(func(m *types.MsgCreateMarket) { m.Creator = poor.String() }), types.ErrInsufficientFunds},
		"cancel a settled market": {func(ctx sdk.Context) error {
			_, err := f.msg.CancelMarket(ctx, &types.MsgCancelMarket{Signer: f.authority, MarketId: settled.Id})
			return err
		}, types.ErrNotCancellable},
		"params from a non-authority": {func(ctx sdk.Context) error {
			_, err := f.msg.UpdateParams(ctx, &types.MsgUpdateParams{Authority: bob, Params: types.DefaultParams()})
			return err
		}, types.ErrUnauthorized},
		"invalid params": {func(ctx sdk.Context) error {
			_, err := f.msg.UpdateParams(ctx, &types.MsgUpdateParams{Authority: f.authority, Params: types.Params{}})
			return err
		}, types.ErrInvalidParams},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			before := f.snapshot(t)
			_, err := exec(f, func(ctx sdk.Context) (struct{}, error) { return struct{}{}, tc.run(ctx) })
			require.ErrorIs(t, err, tc.want)
			require.Equal(t, before, f.snapshot(t), "a refused message changed state or moved funds")
		})
	}
	// The fresh evaluation (not started, no market) is still listable.
	_, err = exec(f, func(ctx sdk.Context) (*types.MsgCreateMarketResponse, error) {
		msg := f.createMsg(2)
		msg.Spec, msg.EvaluationId = nil, fresh.Id
		return f.msg.CreateMarket(ctx, msg)
	})
	require.NoError(t, err)
	f.checkInvariants(t)
}
