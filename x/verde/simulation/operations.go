// Package simulation gives x/verde's messages to the simulator: challenges
// of final results inside their window, and the bisection moves of every
// open dispute — those opened by a challenge and those the chain opened
// itself when a validator reported another claim than the final one
// (x/evaluation's simulation.Network makes a few do). Every trace in a
// simulation is made by internal/simkit, which keeps it, so either side's
// moves can be played by anyone, as the chain allows. The referee step
// needs a real model and benchmark, which a simulation has not: a dispute
// that reaches it is decided at its deadline.
package simulation

import (
	"math/rand"

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
	"github.com/delphi-network/delphi/x/verde/keeper"
	"github.com/delphi-network/delphi/x/verde/types"
)

// Operation weights, overridable through the simulator's app params.
const (
	OpWeightChallenge = "op_weight_msg_challenge"
	OpWeightBisect    = "op_weight_msg_bisect"
)

// Keepers is what the operations read state through.
type Keepers struct {
	Verde      keeper.Keeper
	Evaluation types.EvaluationKeeper
	Account    simulation.AccountKeeper
	Bank       simulation.BankKeeper
}

// WeightedOperations returns the dispute operations with their weights.
func WeightedOperations(appParams simtypes.AppParams, txGen client.TxConfig, k Keepers) simulation.WeightedOperations {
	weight := func(key string, def int) int { return simkit.Weight(appParams, key, def) }
	return simulation.WeightedOperations{
		simulation.NewWeightedOperation(weight(OpWeightChallenge, 8), SimulateChallenge(txGen, k)),
		simulation.NewWeightedOperation(weight(OpWeightBisect, 100), SimulateBisect(txGen, k)),
	}
}

// RandomizedGenState is x/verde's simulated genesis: default params with a
// random step deadline and a challenger bond simulated accounts can post.
func RandomizedGenState(simState *module.SimulationState) {
	gs := types.DefaultGenesis()
	gs.Params.StepBlocks = uint64(8 + simState.Rand.Intn(13))
	gs.Params.ChallengerBond = sdk.NewCoins(sdk.NewCoin(simState.BondDenom, math.NewInt(1_000_000+simState.Rand.Int63n(100_000_000))))
	simState.GenState[types.ModuleName] = simState.Cdc.MustMarshalJSON(gs)
}

// SimulateChallenge challenges a random final result of a running
// evaluation of the last 32 with a claim of its own: another score and
// either a trace that agrees with the result's up to a random leaf, or the
// result's own trace (a lie about the score alone). What the chain
// would refuse (the window closed, the bond not affordable, a claim
// already disputed) is skipped with its reason.
func SimulateChallenge(txGen client.TxConfig, k Keepers) simtypes.Operation {
	last := uint64(0) // the highest evaluation id seen: ids only grow
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		msg := &types.MsgChallenge{}
		for {
			if _, err := k.Evaluation.GetEvaluation(ctx, last+1); err != nil {
				break
			}
			last++
		}
		var candidates []evaluationtypes.Result
		for id := last; id > 0 && id+32 > last; id-- {
			candidates = append(candidates, finalResults(ctx, k, id)...)
		}
		if len(candidates) == 0 {
			return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(msg), "no final result of a running evaluation"), nil, nil
		}
		res := candidates[r.Intn(len(candidates))]
		e, _ := k.Evaluation.GetEvaluation(ctx, res.EvaluationId)
		round, _ := k.Evaluation.GetRound(ctx, res.EvaluationId, res.Round)
		items := uint64(e.ItemsPerRound)
		correct := (res.Correct + 1 + uint64(r.Int63n(int64(items)))) % (items + 1)
		key := evaluationsim.ResultKey(res.EvaluationId, res.Round, round.Attempt, res.ModelId)
		root, leaves := simkit.Trace(key[:], uint64(r.Int63()), r.Intn(simkit.TraceLeaves), correct)
		if r.Intn(2) == 0 {
			// A challenger that lies only about the score: the result's own
			// trace, another correct. Its last leaf is the result's score,
			// so the first step decides against it.
			root, leaves = res.TraceRoot, res.Leaves
		}
		acc, _ := simtypes.RandomAcc(r, accs)
		*msg = types.MsgChallenge{Challenger: acc.Address.String(), EvaluationId: res.EvaluationId, Round: res.Round,
			ModelId: res.ModelId, Correct: correct, TraceRoot: root, Leaves: leaves}
		if err := simkit.Refusal(app, ctx, msg); err != nil {
			return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(msg), "refused: "+err.Error()), nil, nil
		}
		p, err := k.Verde.Params.Get(ctx)
		if err != nil {
			return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(msg), "no params"), nil, err
		}
		return simkit.Deliver(r, app, ctx, txGen, k.Account, k.Bank, types.ModuleName, acc, msg, p.ChallengerBond)
	}
}

// finalResults are the final, not replaced results of evaluation id while
// it runs.
func finalResults(ctx sdk.Context, k Keepers, id uint64) []evaluationtypes.Result {
	e, err := k.Evaluation.GetEvaluation(ctx, id)
	if err != nil || e.Status != evaluationtypes.EVALUATION_STATUS_RUNNING {
		return nil
	}
	var out []evaluationtypes.Result
	for round := uint32(0); round < e.Rounds; round++ {
		for _, m := range e.ModelIds {
			if res, err := k.Evaluation.GetResult(ctx, id, round, m); err == nil && !res.Replaced {
				out = append(out, res)
			}
		}
	}
	return out
}

// SimulateBisect plays the moves open disputes wait for — each side's leaf
// at the step's index, with its proof, from the side's trace — as the
// sides' players would: up to 16 per operation, each from a random account
// (anyone may submit a move), and again every block from its first run on
// (a future operation). Every move must be accepted. A dispute whose sides
// both miss a step loses for both, slashing and jailing the result's
// backers — most of the validators — so the moves are played as reliably
// as the sidecars play them.
func SimulateBisect(txGen client.TxConfig, k Keepers) simtypes.Operation {
	// Like the sidecars' players, the moves are played every block: the
	// first run queues the next one, and so on (at most one queued).
	var (
		play   simtypes.Operation
		queued int64
	)
	play = func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		var future []simtypes.FutureOperation
		if h := ctx.BlockHeight(); queued <= h {
			queued = h + 1
			future = []simtypes.FutureOperation{{BlockHeight: int(h + 1), Op: play}}
		}
		noop := func(comment string, err error) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
			return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(&types.MsgBisect{}), comment), future, err
		}
		type move struct {
			d    types.Dispute
			side types.Side
		}
		var moves []move
		if err := k.Verde.Disputes.Walk(ctx, nil, func(_ uint64, d types.Dispute) (bool, error) {
			if d.Phase == types.PHASE_BISECT {
				for _, s := range types.WaitingFor(d) {
					moves = append(moves, move{d, s})
				}
			}
			return len(moves) >= 16, nil
		}); err != nil {
			return noop("disputes", err)
		}
		if len(moves) == 0 {
			return noop("no dispute waits for a leaf", nil)
		}
		var last simtypes.OperationMsg
		for _, mv := range moves {
			party := mv.d.Claimant
			if mv.side == types.SIDE_CHALLENGER {
				party = mv.d.Challenger
			}
			tr, ok := simkit.TraceByRoot(party.TraceRoot)
			if !ok {
				continue // a trace no simulated run made: nobody can play it
			}
			acc, _ := simtypes.RandomAcc(r, accs)
			msg, err := types.RevealLeaf(acc.Address.String(), mv.d, mv.side, tr)
			if err != nil {
				return noop(err.Error(), err)
			}
			op, _, err := simkit.Deliver(r, app, ctx, txGen, k.Account, k.Bank, types.ModuleName, acc, msg, nil)
			if err != nil {
				return op, nil, err
			}
			last = op
		}
		if last.Route == "" {
			return noop("only traces no simulated run made", nil)
		}
		return last, future, nil
	}
	return play
}

// Module is x/verde in the SDK simulator: RandomizedGenState and the
// operations above; ev is x/evaluation, whose results the challenges read.
func Module(k keeper.Keeper, ev types.EvaluationKeeper, ak simulation.AccountKeeper, bk simulation.BankKeeper) modkit.Simulation {
	ops := func(s module.SimulationState) []simtypes.WeightedOperation {
		return WeightedOperations(s.AppParams, s.TxConfig, Keepers{Verde: k, Evaluation: ev, Account: ak, Bank: bk})
	}
	return modkit.Simulation{StoreKey: types.StoreKey, Schema: k.Schema, Genesis: RandomizedGenState, Operations: ops}
}
