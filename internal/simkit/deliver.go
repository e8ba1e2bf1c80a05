// Package simkit is what the Delphi modules' simulation operations share:
// their weights, delivering a message as a signed transaction with a fee,
// asking first whether the chain would refuse it, and the simulated
// evaluation traces (traces.go) that validators report and disputes bisect.
package simkit

import (
	"fmt"

	"math/rand"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/client"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"
	"github.com/cosmos/cosmos-sdk/x/simulation"
)

// Deliver signs msg for acc and delivers it, paying a random fee of at
// most a thousandth (and a million units) of one denom the message leaves
// spendable. (The SDK's
// random fees reach the whole balance, which drains the simulated accounts
// within a few hundred transactions and leaves a long simulation refusing
// everything for want of funds.)
func Deliver(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, txGen client.TxConfig, ak simulation.AccountKeeper,
	bk simulation.BankKeeper, module string, acc simtypes.Account, msg sdk.Msg, spent sdk.Coins,
) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
	left, neg := bk.SpendableCoins(ctx, acc.Address).SafeSub(spent...)
	if neg {
		return simtypes.NoOpMsg(module, sdk.MsgTypeURL(msg), "message doesn't leave room for fees"), nil, nil
	}
	var fees sdk.Coins
	if !left.IsZero() && r.Intn(4) > 0 {
		c := left[r.Intn(len(left))]
		if most := math.MinInt(c.Amount.QuoRaw(1000), math.NewInt(1_000_000)); most.IsPositive() {
			fees = sdk.NewCoins(sdk.NewCoin(c.Denom, math.NewInt(1+r.Int63n(most.Int64()))))
		}
	}
	account := ak.GetAccount(ctx, acc.Address)
	// The SDK's generator writes a random memo of up to 100 characters,
	// which a chain whose max_memo_characters governance lowered refuses;
	// its randomness here is one that draws an empty memo.
	tx, err := simtestutil.GenSignedMockTx(rand.New(rand.NewSource(emptyMemoSeed)), txGen, []sdk.Msg{msg}, fees,
		simtestutil.DefaultGenTxGas, ctx.ChainID(), []uint64{account.GetAccountNumber()}, []uint64{account.GetSequence()}, acc.PrivKey)
	if err != nil {
		return simtypes.NoOpMsg(module, sdk.MsgTypeURL(msg), "unable to generate the transaction"), nil, err
	}
	if _, _, err := app.SimDeliver(txGen.TxEncoder(), tx); err != nil {
		return simtypes.NoOpMsg(module, sdk.MsgTypeURL(msg), "unable to deliver tx"), nil, err
	}
	return simtypes.NewOperationMsg(msg, true, ""), nil, nil
}

// emptyMemoSeed seeds a source whose first draw of a memo length (0 to 99)
// is 0.
var emptyMemoSeed = func() int64 {
	for s := int64(0); ; s++ {
		if rand.New(rand.NewSource(s)).Intn(100) == 0 {
			return s
		}
	}
}()

// Weight is an operation's weight: the simulator's app param key, or def.
func Weight(appParams simtypes.AppParams, key string, def int) int {
	var w int
	appParams.GetOrGenerate(key, &w, nil, func(*rand.Rand) { w = def })
	return w
}

// Refusal is why the chain would refuse msg in ctx's state, or nil: the
// message's handler run on a branch of the state that is then dropped.
// Operations whose preconditions are many (a challenge's window, bond and
// claim) ask it before delivering, so that what they deliver succeeds and
// what they skip is reported with the chain's own reason.
func Refusal(app *baseapp.BaseApp, ctx sdk.Context, msg sdk.Msg) error {
	handler := app.MsgServiceRouter().Handler(msg)
	if handler == nil {
		return fmt.Errorf("no handler for %s", sdk.MsgTypeURL(msg))
	}
	branch, _ := ctx.CacheContext()
	_, err := handler(branch.WithEventManager(sdk.NewEventManager()), msg)
	return err
}
