// Package simulation gives x/vault's messages to the SDK simulator: each
// operation reads the state and builds a message that must succeed, then
// delivers it as a signed transaction.
package simulation

import (
	"math/rand"

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
	markettypes "github.com/delphi-network/delphi/x/market/types"
	"github.com/delphi-network/delphi/x/vault/keeper"
	"github.com/delphi-network/delphi/x/vault/types"
)

// Keepers is what the operations read state through.
type Keepers struct {
	Vault     keeper.Keeper
	Account   simulation.AccountKeeper
	Bank      simulation.BankKeeper
	Benchmark uint64
	Models    []uint64
}

// WeightedOperations returns the vault operations with their weights.
func WeightedOperations(appParams simtypes.AppParams, txGen client.TxConfig, k Keepers) simulation.WeightedOperations {
	weight := func(key string, def int) int { return simkit.Weight(appParams, key, def) }
	return simulation.WeightedOperations{
		simulation.NewWeightedOperation(weight("op_weight_msg_create_vault", 3), SimulateCreateVault(txGen, k)),
		simulation.NewWeightedOperation(weight("op_weight_msg_deposit", 30), SimulateDeposit(txGen, k)),
		simulation.NewWeightedOperation(weight("op_weight_msg_withdraw", 20), SimulateWithdraw(txGen, k)),
		simulation.NewWeightedOperation(weight("op_weight_msg_vault_market", 10), SimulateVaultMarket(txGen, k)),
		simulation.NewWeightedOperation(weight("op_weight_msg_buy_basket", 15), SimulateBuyBasket(txGen, k)),
	}
}

func deliver(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, txGen client.TxConfig, k Keepers,
	acc simtypes.Account, msg sdk.Msg, spent sdk.Coins,
) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
	if !k.Bank.SpendableCoins(ctx, acc.Address).IsAllGTE(spent) {
		return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(msg), "cannot pay"), nil, nil
	}
	return simkit.Deliver(r, app, ctx, txGen, k.Account, k.Bank, types.ModuleName, acc, msg, spent)
}

// SimulateCreateVault creates a category vault on the simulated benchmark.
func SimulateCreateVault(txGen client.TxConfig, k Keepers) simtypes.Operation {
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		acc, _ := simtypes.RandomAcc(r, accs)
		p, err := k.Vault.Params.Get(ctx)
		if err != nil {
			return simtypes.NoOpMsg(types.ModuleName, "create-vault", "no params"), nil, err
		}
		msg := &types.MsgCreateVault{Manager: acc.Address.String(), Name: "sim vault", CollateralDenom: "uusdc",
			Category: []uint64{k.Benchmark}, SubsidyCap: math.NewInt(int64(5_000_000 + r.Intn(50_000_000))),
			MinFeeBps: uint32(r.Intn(100)), Rule: types.FUND_RULE_CATEGORY}
		return deliver(r, app, ctx, txGen, k, acc, msg, p.CreationDeposit)
	}
}

// SimulateDeposit deposits a random amount into a random vault.
func SimulateDeposit(txGen client.TxConfig, k Keepers) simtypes.Operation {
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		v, ok := randomVault(r, ctx, k)
		if !ok {
			return simtypes.NoOpMsg(types.ModuleName, "deposit", "no vault"), nil, nil
		}
		if paused, err := k.Vault.DepositsPaused(ctx, v); err != nil || paused != "" {
			return simtypes.NoOpMsg(types.ModuleName, "deposit", "deposits paused"), nil, err
		}
		acc, _ := simtypes.RandomAcc(r, accs)
		amount := math.NewInt(int64(1_000_000 + r.Intn(40_000_000)))
		msg := &types.MsgDeposit{Depositor: acc.Address.String(), VaultId: v.Id, Amount: amount}
		return deliver(r, app, ctx, txGen, k, acc, msg, sdk.NewCoins(sdk.NewCoin(v.CollateralDenom, amount)))
	}
}

// SimulateWithdraw withdraws part of a random depositor's shares (paid now
// or queued).
func SimulateWithdraw(txGen client.TxConfig, k Keepers) simtypes.Operation {
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		var found []types.Deposit
		_ = k.Vault.Deposits.Walk(ctx, nil, func(_ collections.Pair[uint64, sdk.AccAddress], d types.Deposit) (bool, error) {
			found = append(found, d)
			return false, nil
		})
		if len(found) == 0 {
			return simtypes.NoOpMsg(types.ModuleName, "withdraw", "no deposit"), nil, nil
		}
		d := found[r.Intn(len(found))]
		addr, err := sdk.AccAddressFromBech32(d.Depositor)
		if err != nil {
			return simtypes.NoOpMsg(types.ModuleName, "withdraw", "bad address"), nil, err
		}
		acc, ok := simtypes.FindAccount(accs, addr)
		if !ok {
			return simtypes.NoOpMsg(types.ModuleName, "withdraw", "not simulated"), nil, nil
		}
		shares := d.Shares.MulRaw(int64(1 + r.Intn(100))).QuoRaw(100)
		v, err := k.Vault.GetVault(ctx, d.VaultId)
		if err != nil {
			return simtypes.NoOpMsg(types.ModuleName, "withdraw", "no vault"), nil, err
		}
		value, err := k.Vault.WithdrawValue(ctx, v, shares)
		if err != nil || !value.IsPositive() {
			return simtypes.NoOpMsg(types.ModuleName, "withdraw", "dust"), nil, err
		}
		return deliver(r, app, ctx, txGen, k, acc, &types.MsgWithdraw{Depositor: d.Depositor, VaultId: d.VaultId, Shares: shares}, nil)
	}
}

// SimulateVaultMarket creates a market funded by a vault that can fund it.
func SimulateVaultMarket(txGen client.TxConfig, k Keepers) simtypes.Operation {
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		v, ok := randomVault(r, ctx, k)
		// b = 4·10^6 over 2 outcomes needs ⌈4·10^6·ln 2⌉ < 2.8·10^6 of subsidy.
		if !ok || v.Idle.LT(math.NewInt(3_000_000)) || v.SubsidyCap.LT(math.NewInt(3_000_000)) {
			return simtypes.NoOpMsg(types.ModuleName, "vault-market", "no vault can fund"), nil, nil
		}
		if has, _ := hasQueue(ctx, k, v.Id); has {
			return simtypes.NoOpMsg(types.ModuleName, "vault-market", "withdrawals queued"), nil, nil
		}
		acc, _ := simtypes.RandomAcc(r, accs)
		msg := &markettypes.MsgCreateMarket{Creator: acc.Address.String(), Title: "vault market", CollateralDenom: v.CollateralDenom,
			Liquidity: math.NewInt(4_000_000), FeeBps: max(v.MinFeeBps, 100), VaultId: v.Id,
			Spec: &markettypes.EvaluationSpec{BenchmarkId: k.Benchmark, ModelIds: k.Models[:2], Rounds: 1, ItemsPerRound: 5,
				BlocksBetweenRounds: 2, StartDelay: uint64(1 + r.Intn(5)), DeadlineBlocks: uint64(10 + r.Intn(20))}}
		// The vault's rules and the params (max_open_markets, max_locked,
		// ...) may refuse it: skipped with the chain's reason.
		if err := simkit.Refusal(app, ctx, msg); err != nil {
			return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(msg), "refused: "+err.Error()), nil, nil
		}
		// The vault funds the subsidy; the creator posts the evaluation's deposit.
		return deliver(r, app, ctx, txGen, k, acc, msg, evaluationtypes.RequiredDeposit(evaluationtypes.DefaultParams(), 2, 1, 5))
	}
}

// SimulateBuyBasket buys a random model across every open market.
func SimulateBuyBasket(txGen client.TxConfig, k Keepers) simtypes.Operation {
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		acc, _ := simtypes.RandomAcc(r, accs)
		model := k.Models[r.Intn(len(k.Models))]
		legs := 0
		_ = k.Vault.MarketsWalk(ctx, func(m markettypes.Market) {
			if m.Status != markettypes.MARKET_STATUS_OPEN || m.Outcome(model) < 0 {
				return
			}
			if ts, err := k.Vault.MarketTrading(ctx, m); err == nil && ts.Open {
				legs++
			}
		})
		if legs == 0 {
			return simtypes.NoOpMsg(types.ModuleName, "buy-basket", "no market lists the model"), nil, nil
		}
		per := math.NewInt(int64(100_000 + r.Intn(2_000_000)))
		total := per.MulRaw(int64(legs))
		msg := &types.MsgBuyBasket{Buyer: acc.Address.String(), ModelIds: []uint64{model}, AmountPerLeg: per, MaxCost: total}
		return deliver(r, app, ctx, txGen, k, acc, msg, sdk.NewCoins(sdk.NewCoin("uusdc", total)))
	}
}

func randomVault(r *rand.Rand, ctx sdk.Context, k Keepers) (types.Vault, bool) {
	var vs []types.Vault
	_ = k.Vault.Vaults.Walk(ctx, nil, func(_ uint64, v types.Vault) (bool, error) {
		vs = append(vs, v)
		return false, nil
	})
	if len(vs) == 0 {
		return types.Vault{}, false
	}
	return vs[r.Intn(len(vs))], true
}

func hasQueue(ctx sdk.Context, k Keepers, id uint64) (bool, error) {
	found := false
	err := k.Vault.Queue.Walk(ctx, collections.NewPrefixedPairRange[uint64, uint64](id), func(collections.Pair[uint64, uint64]) (bool, error) {
		found = true
		return true, nil
	})
	return found, err
}

// Module is x/vault in the SDK simulator: the default genesis and the
// operations above, over x/evaluation's genesis models.
func Module(k keeper.Keeper, ak simulation.AccountKeeper, bk simulation.BankKeeper) modkit.Simulation {
	ops := func(s module.SimulationState) []simtypes.WeightedOperation {
		return WeightedOperations(s.AppParams, s.TxConfig, Keepers{Vault: k, Account: ak, Bank: bk,
			Models: evaluationsim.GenesisModels, Benchmark: evaluationsim.GenesisBenchmark})
	}
	return modkit.Simulation{StoreKey: types.StoreKey, Schema: k.Schema,
		Genesis: modkit.DefaultGenesis(types.ModuleName, types.DefaultGenesis()), Operations: ops}
}
