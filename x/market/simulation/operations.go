// Package simulation gives x/market's messages to the SDK simulator: each
// operation reads the current state, builds a message that must succeed
// (priced with Query/Quote, within the account's balance) and delivers it as
// a signed transaction. A delivery that fails is a simulation failure.
package simulation

import (
	"math/rand"
	"slices"
	"strconv"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/client"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"
	"github.com/cosmos/cosmos-sdk/x/simulation"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/internal/simkit"
	evaluationsim "github.com/delphi-network/delphi/x/evaluation/simulation"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/market/keeper"
	"github.com/delphi-network/delphi/x/market/types"
)

// Operation weights, overridable through the simulator's app params.
const (
	OpWeightCreateMarket = "op_weight_msg_create_market"
	OpWeightBuyShares    = "op_weight_msg_buy_shares"
	OpWeightBuyForAmount = "op_weight_msg_buy_for_amount"
	OpWeightSellShares   = "op_weight_msg_sell_shares"
	OpWeightRedeem       = "op_weight_msg_redeem"
	OpWeightCancelMarket = "op_weight_msg_cancel_market"
)

// Keepers is what the operations read state through.
type Keepers struct {
	Market  keeper.Keeper
	Account simulation.AccountKeeper
	Bank    simulation.BankKeeper
	// Models are the registered model ids markets may list; Benchmark the
	// benchmark their evaluations run on.
	Models    []uint64
	Benchmark uint64
}

// WeightedOperations returns the market operations with their weights.
func WeightedOperations(appParams simtypes.AppParams, txGen client.TxConfig, k Keepers) simulation.WeightedOperations {
	weight := func(key string, def int) int { return simkit.Weight(appParams, key, def) }
	return simulation.WeightedOperations{
		simulation.NewWeightedOperation(weight(OpWeightCreateMarket, 10), SimulateCreateMarket(txGen, k)),
		simulation.NewWeightedOperation(weight(OpWeightBuyShares, 60), SimulateBuyShares(txGen, k)),
		simulation.NewWeightedOperation(weight(OpWeightBuyForAmount, 30), SimulateBuyForAmount(txGen, k)),
		simulation.NewWeightedOperation(weight(OpWeightSellShares, 40), SimulateSellShares(txGen, k)),
		simulation.NewWeightedOperation(weight(OpWeightRedeem, 30), SimulateRedeem(txGen, k)),
		simulation.NewWeightedOperation(weight(OpWeightCancelMarket, 3), SimulateCancelMarket(txGen, k)),
	}
}

// deliver signs msg for acc and delivers it, with random fees in what the
// message leaves spendable.
func deliver(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, txGen client.TxConfig, k Keepers,
	acc simtypes.Account, msg sdk.Msg, spent sdk.Coins,
) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
	return simkit.Deliver(r, app, ctx, txGen, k.Account, k.Bank, types.ModuleName, acc, msg, spent)
}

// SimulateCreateMarket creates a market over a new evaluation of 2 to 4
// random models, with random terms within the params. With the simulated
// validators (x/evaluation's simulation.Network) its round gets results and
// the market resolves; when its short deadline passes first (a disputed
// result, a slow round) or nobody reports, it becomes invalid.
func SimulateCreateMarket(txGen client.TxConfig, k Keepers) simtypes.Operation {
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		msg := &types.MsgCreateMarket{}
		p, err := k.Market.Params.Get(ctx)
		if err != nil {
			return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(msg), "no params"), nil, err
		}
		acc, _ := simtypes.RandomAcc(r, accs)
		models := append([]uint64(nil), k.Models...)
		r.Shuffle(len(models), func(i, j int) { models[i], models[j] = models[j], models[i] })
		n := 2 + r.Intn(min(3, len(models)-1))
		liquidity := math.NewInt(int64(1_000_000 + r.Intn(30_000_000)))
		*msg = types.MsgCreateMarket{
			Creator: acc.Address.String(), Title: "sim market", CollateralDenom: p.CollateralDenoms[0],
			Liquidity: liquidity, FeeBps: uint32(r.Intn(int(p.MaxFeeBps) + 1)),
			CreatorFeeShareBps: uint32(r.Intn(int(p.MaxCreatorFeeShareBps) + 1)),
			Spec: &types.EvaluationSpec{BenchmarkId: k.Benchmark, ModelIds: models[:n], Rounds: 1, ItemsPerRound: 5,
				BlocksBetweenRounds: 2, StartDelay: uint64(1 + r.Intn(10)), DeadlineBlocks: uint64(10 + r.Intn(25))},
		}
		subsidy := sdk.NewCoins(sdk.NewCoin(msg.CollateralDenom, liquidity.MulRaw(2))) // ≥ b·ln 4
		// The creator also posts the evaluation's deposit.
		subsidy = subsidy.Add(evaluationtypes.RequiredDeposit(evaluationtypes.DefaultParams(), n, 1, 5)...)
		if !k.Bank.SpendableCoins(ctx, acc.Address).IsAllGTE(subsidy) {
			return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(msg), "cannot fund the subsidy"), nil, nil
		}
		return deliver(r, app, ctx, txGen, k, acc, msg, subsidy)
	}
}

// SimulateBuyShares buys a random number of shares of a random outcome of
// an open market, with max_cost set to the quote.
func SimulateBuyShares(txGen client.TxConfig, k Keepers) simtypes.Operation {
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		msg := &types.MsgBuyShares{}
		m, ok := randomMarket(r, ctx, k, types.MARKET_STATUS_OPEN)
		if !ok {
			return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(msg), "no open market"), nil, nil
		}
		acc, _ := simtypes.RandomAcc(r, accs)
		outcome := uint32(r.Intn(len(m.ModelIds)))
		shares := math.NewInt(int64(1_000 + r.Intn(20_000_000)))
		q, err := keeper.NewQueryServerImpl(k.Market).Quote(ctx, &types.QueryQuoteRequest{
			MarketId: m.Id, Side: "buy", Outcome: outcome, Shares: shares.String()})
		if err != nil {
			return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(msg), "unquotable: "+err.Error()), nil, nil
		}
		*msg = types.MsgBuyShares{Trader: acc.Address.String(), MarketId: m.Id, Outcome: outcome, Shares: shares, MaxCost: q.Total}
		return payable(r, app, ctx, txGen, k, acc, msg, m.CollateralDenom, q.Total)
	}
}

// SimulateBuyForAmount spends a random amount on a random outcome, with
// min_shares set to the quote.
func SimulateBuyForAmount(txGen client.TxConfig, k Keepers) simtypes.Operation {
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		msg := &types.MsgBuyForAmount{}
		m, ok := randomMarket(r, ctx, k, types.MARKET_STATUS_OPEN)
		if !ok {
			return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(msg), "no open market"), nil, nil
		}
		acc, _ := simtypes.RandomAcc(r, accs)
		outcome := uint32(r.Intn(len(m.ModelIds)))
		amount := math.NewInt(int64(1_000 + r.Intn(10_000_000)))
		q, err := keeper.NewQueryServerImpl(k.Market).Quote(ctx, &types.QueryQuoteRequest{
			MarketId: m.Id, Side: "buy", Outcome: outcome, Amount: amount.String()})
		if err != nil {
			return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(msg), "unquotable: "+err.Error()), nil, nil
		}
		*msg = types.MsgBuyForAmount{Trader: acc.Address.String(), MarketId: m.Id, Outcome: outcome, Amount: amount, MinShares: q.Shares}
		return payable(r, app, ctx, txGen, k, acc, msg, m.CollateralDenom, amount)
	}
}

// SimulateSellShares sells part of a random position of a random account,
// with min_proceeds set to the quote.
func SimulateSellShares(txGen client.TxConfig, k Keepers) simtypes.Operation {
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		msg := &types.MsgSellShares{}
		acc, _ := simtypes.RandomAcc(r, accs)
		pos, m, ok := randomPosition(r, ctx, k, acc.Address, types.MARKET_STATUS_OPEN)
		if !ok {
			return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(msg), "no open position"), nil, nil
		}
		outcome := r.Intn(len(pos.Shares))
		if pos.Shares[outcome].IsZero() {
			return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(msg), "no shares of the outcome"), nil, nil
		}
		// Sell between 1% and all of the held shares.
		shares := pos.Shares[outcome].MulRaw(int64(1 + r.Intn(100))).QuoRaw(100)
		q, err := keeper.NewQueryServerImpl(k.Market).Quote(ctx, &types.QueryQuoteRequest{
			MarketId: m.Id, Side: "sell", Outcome: uint32(outcome), Shares: shares.String()})
		if err != nil {
			return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(msg), "unquotable: "+err.Error()), nil, nil
		}
		*msg = types.MsgSellShares{Trader: acc.Address.String(), MarketId: m.Id, Outcome: uint32(outcome), Shares: shares, MinProceeds: q.Total}
		return deliver(r, app, ctx, txGen, k, acc, msg, nil)
	}
}

// SimulateRedeem redeems a random position in a settled market.
func SimulateRedeem(txGen client.TxConfig, k Keepers) simtypes.Operation {
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		msg := &types.MsgRedeem{}
		acc, _ := simtypes.RandomAcc(r, accs)
		_, m, ok := randomPosition(r, ctx, k, acc.Address, types.MARKET_STATUS_RESOLVED, types.MARKET_STATUS_INVALID)
		if !ok {
			return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(msg), "no settled position"), nil, nil
		}
		*msg = types.MsgRedeem{Owner: acc.Address.String(), MarketId: m.Id}
		return deliver(r, app, ctx, txGen, k, acc, msg, nil)
	}
}

// SimulateCancelMarket has a creator cancel its untraded open market.
func SimulateCancelMarket(txGen client.TxConfig, k Keepers) simtypes.Operation {
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		msg := &types.MsgCancelMarket{}
		m, ok := randomMarket(r, ctx, k, types.MARKET_STATUS_OPEN)
		if !ok || m.TradeCount > 0 {
			return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(msg), "no untraded open market"), nil, nil
		}
		creator, err := sdk.AccAddressFromBech32(m.Creator)
		if err != nil {
			return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(msg), "bad creator"), nil, err
		}
		acc, found := simtypes.FindAccount(accs, creator)
		if !found {
			return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(msg), "creator not simulated"), nil, nil
		}
		*msg = types.MsgCancelMarket{Signer: m.Creator, MarketId: m.Id}
		return deliver(r, app, ctx, txGen, k, acc, msg, nil)
	}
}

// payable delivers a buy if the account can pay it.
func payable(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, txGen client.TxConfig, k Keepers,
	acc simtypes.Account, msg sdk.Msg, denom string, amount math.Int,
) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
	spent := sdk.NewCoins(sdk.NewCoin(denom, amount))
	if !k.Bank.SpendableCoins(ctx, acc.Address).IsAllGTE(spent) {
		return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(msg), "cannot pay "+strconv.Quote(spent.String())), nil, nil
	}
	return deliver(r, app, ctx, txGen, k, acc, msg, spent)
}

// randomMarket picks a market with one of the statuses, uniformly, in
// key order.
func randomMarket(r *rand.Rand, ctx sdk.Context, k Keepers, statuses ...types.MarketStatus) (types.Market, bool) {
	var found []types.Market
	_ = k.Market.Markets.Walk(ctx, nil, func(_ uint64, m types.Market) (bool, error) {
		if slices.Contains(statuses, m.Status) && trades(ctx, k, m) {
			found = append(found, m)
		}
		return false, nil
	})
	if len(found) == 0 {
		return types.Market{}, false
	}
	return found[r.Intn(len(found))], true
}

// trades reports whether m is settled or trades now (an open market
// between rounds, or past its last draw, does not).
func trades(ctx sdk.Context, k Keepers, m types.Market) bool {
	if m.Status != types.MARKET_STATUS_OPEN {
		return true
	}
	ts, err := k.Market.TradingState(ctx, m)
	return err == nil && ts.Open
}

// randomPosition picks one of owner's positions in a market with one of
// the statuses.
func randomPosition(r *rand.Rand, ctx sdk.Context, k Keepers, owner sdk.AccAddress, statuses ...types.MarketStatus) (types.Position, types.Market, bool) {
	var ids []uint64
	_ = k.Market.PositionsByOwner.Walk(ctx, collections.NewPrefixedPairRange[sdk.AccAddress, uint64](owner),
		func(key collections.Pair[sdk.AccAddress, uint64]) (bool, error) {
			ids = append(ids, key.K2())
			return false, nil
		})
	r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	for _, id := range ids {
		m, err := k.Market.Markets.Get(ctx, id)
		if err != nil || !slices.Contains(statuses, m.Status) || !trades(ctx, k, m) {
			continue
		}
		pos, err := k.Market.Positions.Get(ctx, collections.Join(id, owner))
		if err == nil {
			return pos, m, true
		}
	}
	return types.Position{}, types.Market{}, false
}

// Module is x/market in the SDK simulator: the default genesis and the
// operations above, over x/evaluation's genesis models.
func Module(k keeper.Keeper, ak simulation.AccountKeeper, bk simulation.BankKeeper) modkit.Simulation {
	ops := func(s module.SimulationState) []simtypes.WeightedOperation {
		return WeightedOperations(s.AppParams, s.TxConfig, Keepers{Market: k, Account: ak, Bank: bk,
			Models: evaluationsim.GenesisModels, Benchmark: evaluationsim.GenesisBenchmark})
	}
	return modkit.Simulation{StoreKey: types.StoreKey, Schema: k.Schema,
		Genesis: modkit.DefaultGenesis(types.ModuleName, types.DefaultGenesis()), Operations: ops}
}
