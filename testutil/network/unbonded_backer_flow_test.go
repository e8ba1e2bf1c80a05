package network_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/client"
	clienttx "github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/delphi-network/delphi/evaluator/player"
	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
	"github.com/delphi-network/delphi/runtime/train"
	"github.com/delphi-network/delphi/testutil/network"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	verdetypes "github.com/delphi-network/delphi/x/verde/types"
)

// TestChallengeAfterABackerUnbondedDoesNotHalt: three byzantine sidecars
// finalize a wrong score over the honest trace; one of them (validator 3)
// then unbonds all its stake and becomes unbonded. Within the challenge
// window an account posting the challenger bond challenges the result
// with the honest run and plays its side. The liars lose; x/staking would
// refuse to slash the unbonded backer ("should not be slashing unbonded
// validator"), which used to come out of BeginBlocker and halt the chain:
// now it is skipped, the two still bonded are slashed and jailed, the
// honest claim replaces the result and the chain goes on.
func TestChallengeAfterABackerUnbondedDoesNotHalt(t *testing.T) {
	s := network.Setup{Validators: 4, Sidecars: 4, Faulty: []int{1, 2, 3}, FaultScore: true,
		Genesis: func(cdc codec.Codec, state map[string]json.RawMessage) {
			var st stakingtypes.GenesisState
			cdc.MustUnmarshalJSON(state[stakingtypes.ModuleName], &st)
			st.Params.UnbondingTime = 3 * time.Second
			state[stakingtypes.ModuleName] = cdc.MustMarshalJSON(&st)
			var ev evaluationtypes.GenesisState
			cdc.MustUnmarshalJSON(state[evaluationtypes.ModuleName], &ev)
			ev.Params.ChallengeWindowBlocks = 40
			state[evaluationtypes.ModuleName] = cdc.MustMarshalJSON(&ev)
		}}
	net, _ := startEvaluationWith(t, s, false)
	dumpOnFailure(t, net)
	net.StopSidecar(0) // the honest validator reports nothing: no dispute opens at the tally
	ctx := context.Background()
	cctx := net.Validators[0].ClientCtx
	eq, vq, sq := evaluationtypes.NewQueryClient(cctx), verdetypes.NewQueryClient(cctx), stakingtypes.NewQueryClient(cctx)

	broadcast(t, net, "alice", &evaluationtypes.MsgCreateEvaluation{Creator: net.Accounts["alice"].String(),
		BenchmarkId: 1, ModelIds: []uint64{1, 2}, Rounds: 1, ItemsPerRound: 20, BlocksBetweenRounds: 3,
		StartDelay: 2, DeadlineBlocks: 120})
	var final evaluationtypes.Result
	require.Eventually(t, func() bool {
		res, err := eq.Results(ctx, &evaluationtypes.QueryResultsRequest{Id: 1})
		if err != nil {
			return false
		}
		for _, r := range res.Results {
			if r.ModelId == 1 {
				final = r
				return true
			}
		}
		return false
	}, 90*time.Second, 250*time.Millisecond, "the byzantine result never became final")
	require.Len(t, final.Validators, 3)

	// Validator 3, a backer of the result, unbonds everything.
	v3 := net.Validators[3]
	op := sdk.AccAddress(v3.Node.ValAddr)
	del, err := sq.Delegation(ctx, &stakingtypes.QueryDelegationRequest{DelegatorAddr: op.String(), ValidatorAddr: v3.Node.ValAddr.String()})
	require.NoError(t, err)
	broadcastAs(t, net, 3, "validator", op, 300_000, stakingtypes.NewMsgUndelegate(op.String(), v3.Node.ValAddr.String(), del.DelegationResponse.Balance))
	require.Eventually(t, func() bool {
		// Unbonded with no delegation left, x/staking removes it: gone.
		v, err := sq.Validator(ctx, &stakingtypes.QueryValidatorRequest{ValidatorAddr: v3.Node.ValAddr.String()})
		return (err != nil && strings.Contains(err.Error(), "not found")) || (err == nil && v.Validator.Status == stakingtypes.Unbonded)
	}, 60*time.Second, 250*time.Millisecond, "validator 3 never finished unbonding")

	// The honest run of the round, as anyone holding the model and the data can compute it.
	raw, _, err := train.Train(train.DefaultConfig("logreg", "iris"))
	require.NoError(t, err)
	m, err := runtime.LoadModel(raw, runtime.DefaultLimits())
	require.NoError(t, err)
	ds, err := bench.Load("iris")
	require.NoError(t, err)
	rounds, err := eq.Rounds(ctx, &evaluationtypes.QueryRoundsRequest{Id: 1})
	require.NoError(t, err)
	seed, err := hex.DecodeString(rounds.Rounds[0].Seed)
	require.NoError(t, err)
	items, err := bench.Select(seed, 20, ds.Len())
	require.NoError(t, err)
	honest, err := m.Evaluate(ds, items, runtime.EvalOptions{Trace: true})
	require.NoError(t, err)
	root := honest.Trace.Root()
	require.Equal(t, hex.EncodeToString(root[:]), final.TraceRoot, "the liars reported the honest trace")
	require.NotEqual(t, uint64(honest.Correct), final.Correct, "with a wrong score")

	alice := net.Accounts["alice"]
	broadcastAs(t, net, 0, "alice", alice, 300_000, &verdetypes.MsgChallenge{Challenger: alice.String(), EvaluationId: 1, Round: 0,
		ModelId: 1, Correct: uint64(honest.Correct), TraceRoot: hex.EncodeToString(root[:]), Leaves: uint64(honest.Trace.Len())})
	run := player.Run{Trace: honest.Trace, Model: m, Dataset: ds, Items: items}
	var d verdetypes.Dispute
	require.Eventually(t, func() bool {
		res, err := vq.Dispute(ctx, &verdetypes.QueryDisputeRequest{Id: 1})
		if err != nil {
			return false
		}
		d = res.Dispute
		if d.Status != verdetypes.DISPUTE_STATUS_OPEN {
			return true
		}
		for _, side := range res.WaitingFor {
			if side != verdetypes.SIDE_CHALLENGER {
				continue
			}
			move, err := player.NextMove(alice.String(), d, side, run)
			if err == nil && move != nil {
				broadcastAs(t, net, 0, "alice", alice, 3_000_000, move)
			}
		}
		return false
	}, 60*time.Second, time.Second, "the dispute never ended")
	require.Equal(t, verdetypes.DISPUTE_STATUS_CHALLENGER_WON, d.Status, d.Reason)

	for _, i := range []int{1, 2} {
		v, err := sq.Validator(ctx, &stakingtypes.QueryValidatorRequest{ValidatorAddr: net.Validators[i].Node.ValAddr.String()})
		require.NoError(t, err)
		require.True(t, v.Validator.Jailed, "validator %d, a liar still bonded, is jailed", i)
	}
	res, err := eq.Results(ctx, &evaluationtypes.QueryResultsRequest{Id: 1})
	require.NoError(t, err)
	for _, r := range res.Results {
		if r.ModelId == 1 {
			require.True(t, r.Replaced)
			require.Equal(t, uint64(honest.Correct), r.Correct)
		}
	}
	require.NoError(t, net.WaitForHeight(net.Height()+3, 30*time.Second), "no halt: the chain goes on")
}

// broadcastAs signs msg with key name of validator i's keyring (addr is
// its address) and sends it through that validator.
func broadcastAs(t testing.TB, net *network.Network, i int, name string, addr sdk.AccAddress, gas uint64, msg sdk.Msg) {
	t.Helper()
	var out bytes.Buffer
	var cctx client.Context = net.Validators[i].ClientCtx.WithFromAddress(addr).WithFromName(name).
		WithBroadcastMode("sync").WithSkipConfirmation(true).WithOutput(&out).WithOutputFormat("json")
	txf := clienttx.Factory{}.WithTxConfig(cctx.TxConfig).WithKeybase(cctx.Keyring).
		WithAccountRetriever(authtypes.AccountRetriever{}).WithChainID(net.ChainID).WithGas(gas)
	require.NoError(t, clienttx.BroadcastTx(cctx, txf, msg))
	var res struct {
		Code   int    `json:"code"`
		RawLog string `json:"raw_log"`
	}
	if json.Unmarshal(out.Bytes(), &res) == nil && res.Code != 0 {
		t.Logf("%T refused at CheckTx: %d %s", msg, res.Code, res.RawLog)
	}
}
