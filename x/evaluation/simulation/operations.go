// Package simulation gives x/evaluation's registry and evaluation messages
// to the simulator: each operation builds a message that must succeed in
// the current state and delivers it as a signed transaction. Results come
// from the validators' vote extensions, which the simulator has not:
// Network (network.go) plays them; without it evaluations run their
// schedule and fail at their deadline.
package simulation

import (
	"encoding/hex"
	"fmt"
	"math/rand"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/client"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"
	"github.com/cosmos/cosmos-sdk/x/simulation"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/internal/simkit"
	"github.com/delphi-network/delphi/x/evaluation/keeper"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// Operation weights, overridable through the simulator's app params.
const (
	OpWeightRegisterModel    = "op_weight_msg_register_model"
	OpWeightUpdateModelURIs  = "op_weight_msg_update_model_uris"
	OpWeightCreateEvaluation = "op_weight_msg_create_evaluation"
)

// Keepers is what the operations read state through.
type Keepers struct {
	Evaluation *keeper.Keeper
	Account    simulation.AccountKeeper
	Bank       simulation.BankKeeper
	// Benchmark is the benchmark evaluations run on.
	Benchmark uint64
}

// WeightedOperations returns the evaluation operations with their weights.
func WeightedOperations(appParams simtypes.AppParams, txGen client.TxConfig, k Keepers) simulation.WeightedOperations {
	weight := func(key string, def int) int { return simkit.Weight(appParams, key, def) }
	return simulation.WeightedOperations{
		simulation.NewWeightedOperation(weight(OpWeightRegisterModel, 8), SimulateRegisterModel(txGen, k)),
		simulation.NewWeightedOperation(weight(OpWeightUpdateModelURIs, 4), SimulateUpdateModelURIs(txGen, k)),
		simulation.NewWeightedOperation(weight(OpWeightCreateEvaluation, 6), SimulateCreateEvaluation(txGen, k)),
	}
}

func deliver(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, txGen client.TxConfig, k Keepers,
	acc simtypes.Account, msg sdk.Msg, spent sdk.Coins,
) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
	return simkit.Deliver(r, app, ctx, txGen, k.Account, k.Bank, types.ModuleName, acc, msg, spent)
}

func randomHex(r *rand.Rand) string {
	b := make([]byte, 32)
	r.Read(b)
	return hex.EncodeToString(b)
}

// SimulateRegisterModel registers an ONNX model with a random artifact
// hash and weight root, served from one or two https URIs, declaring a
// referee step within the runtime's bounds.
func SimulateRegisterModel(txGen client.TxConfig, k Keepers) simtypes.Operation {
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		acc, _ := simtypes.RandomAcc(r, accs)
		n := r.Intn(1 << 30)
		uris := []string{fmt.Sprintf("https://models.example/%d.onnx", n)}
		if r.Intn(2) == 0 {
			uris = append(uris, fmt.Sprintf("https://mirror.example/%d.onnx", n))
		}
		msg := &types.MsgRegisterModel{Owner: acc.Address.String(), Name: fmt.Sprintf("sim-model-%d", n), Format: "onnx",
			WeightsSha256: randomHex(r), WeightsRoot: randomHex(r), ArtifactUris: uris,
			RefereeStepBytes: uint64(1_000 + r.Intn(500_000)), RefereeStepFlops: uint64(1_000 + r.Intn(50_000_000))}
		return deliver(r, app, ctx, txGen, k, acc, msg, nil)
	}
}

// SimulateUpdateModelURIs moves a random model's artifact to new URIs, as
// its owner.
func SimulateUpdateModelURIs(txGen client.TxConfig, k Keepers) simtypes.Operation {
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		msg := &types.MsgUpdateModelURIs{}
		models := ownedModels(ctx, k, accs)
		if len(models) == 0 {
			return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(msg), "no model owned by a simulated account"), nil, nil
		}
		m := models[r.Intn(len(models))]
		acc, _ := simtypes.FindAccount(accs, sdk.MustAccAddressFromBech32(m.Owner))
		*msg = types.MsgUpdateModelURIs{Owner: m.Owner, ModelId: m.Id,
			ArtifactUris: []string{fmt.Sprintf("https://moved.example/%d-%d.onnx", m.Id, r.Intn(1<<30))}}
		return deliver(r, app, ctx, txGen, k, acc, msg, nil)
	}
}

// SimulateCreateEvaluation schedules a standalone evaluation of 2 to 4
// registered models with a short deadline, paying its deposit.
func SimulateCreateEvaluation(txGen client.TxConfig, k Keepers) simtypes.Operation {
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		msg := &types.MsgCreateEvaluation{}
		p, err := k.Evaluation.Params.Get(ctx)
		if err != nil {
			return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(msg), "no params"), nil, err
		}
		var ids []uint64
		if err := k.Evaluation.Models.Walk(ctx, nil, func(id uint64, _ types.Model) (bool, error) {
			ids = append(ids, id)
			return len(ids) >= 64, nil
		}); err != nil {
			return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(msg), "models"), nil, err
		}
		if len(ids) < 2 {
			return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(msg), "fewer than two models"), nil, nil
		}
		r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
		n := 2 + r.Intn(min(3, len(ids)-1))
		rounds, items := uint32(1+r.Intn(2)), uint32(2+r.Intn(8))
		acc, _ := simtypes.RandomAcc(r, accs)
		*msg = types.MsgCreateEvaluation{Creator: acc.Address.String(), BenchmarkId: k.Benchmark, ModelIds: ids[:n],
			Rounds: rounds, ItemsPerRound: items, BlocksBetweenRounds: uint64(2 + r.Intn(4)),
			StartDelay: uint64(1 + r.Intn(10)), DeadlineBlocks: uint64(10 + r.Intn(25))}
		deposit := types.RequiredDeposit(p, n, rounds, items)
		if !k.Bank.SpendableCoins(ctx, acc.Address).IsAllGTE(deposit) {
			return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(msg), "cannot post the deposit"), nil, nil
		}
		return deliver(r, app, ctx, txGen, k, acc, msg, deposit)
	}
}

// ownedModels lists (at most 64) models whose owner is a simulated account.
func ownedModels(ctx sdk.Context, k Keepers, accs []simtypes.Account) []types.Model {
	var out []types.Model
	_ = k.Evaluation.Models.Walk(ctx, nil, func(_ uint64, m types.Model) (bool, error) {
		if owner, err := sdk.AccAddressFromBech32(m.Owner); err == nil {
			if _, ok := simtypes.FindAccount(accs, owner); ok {
				out = append(out, m)
			}
		}
		return len(out) >= 64, nil
	})
	return out
}

// Module is x/evaluation in the SDK simulator: one benchmark and four
// models at genesis (RandomizedGenState) and the operations above. Results
// come from the validators' vote extensions, which Network plays.
func Module(k keeper.Keeper, ak simulation.AccountKeeper, bk simulation.BankKeeper) modkit.Simulation {
	ops := func(s module.SimulationState) []simtypes.WeightedOperation {
		return WeightedOperations(s.AppParams, s.TxConfig, Keepers{Evaluation: &k, Account: ak, Bank: bk, Benchmark: GenesisBenchmark})
	}
	return modkit.Simulation{StoreKey: types.StoreKey, Schema: k.Schema, Genesis: RandomizedGenState, Operations: ops}
}
