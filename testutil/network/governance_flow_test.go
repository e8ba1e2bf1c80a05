package network_test

import (
	"encoding/json"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	clienttx "github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"

	"github.com/delphi-network/delphi/app"
	"github.com/delphi-network/delphi/testutil/network"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// fastGovernance makes proposals pass in seconds: a 4-second voting period
// and a 1-unit deposit.
func fastGovernance(cdc codec.Codec, state map[string]json.RawMessage) {
	var gov govv1.GenesisState
	cdc.MustUnmarshalJSON(state[govtypes.ModuleName], &gov)
	period, expedited := 4*time.Second, 3*time.Second
	gov.Params.VotingPeriod, gov.Params.ExpeditedVotingPeriod, gov.Params.MaxDepositPeriod = &period, &expedited, &period
	gov.Params.MinDeposit = sdk.NewCoins(sdk.NewCoin(app.BondDenom, math.NewInt(1)))
	gov.Params.ExpeditedMinDeposit = sdk.NewCoins(sdk.NewCoin(app.BondDenom, math.NewInt(2)))
	state[govtypes.ModuleName] = cdc.MustMarshalJSON(&gov)
}

// vote has validator i's operator vote yes with its own key.
func vote(t *testing.T, net *network.Network, i int, proposal uint64) {
	t.Helper()
	v := net.Validators[i]
	addr := sdk.AccAddress(v.Node.ValAddr)
	clientCtx := v.ClientCtx.WithFromAddress(addr).WithFromName("validator").WithBroadcastMode("sync").
		WithSkipConfirmation(true).WithOutput(io.Discard)
	txf := clienttx.Factory{}.WithTxConfig(clientCtx.TxConfig).WithKeybase(clientCtx.Keyring).
		WithAccountRetriever(authtypes.AccountRetriever{}).WithChainID(net.ChainID).WithGas(300_000)
	require.NoError(t, clienttx.BroadcastTx(clientCtx, txf, govv1.NewMsgVote(addr, proposal, govv1.OptionYes, "")))
}

// TestLoweringExtensionLimitsOnARunningNetworkKeepsItFinalizing: while an
// evaluation runs, governance lowers max_vote_extension_bytes to its
// minimum and max_results_per_extension to 2 (a round's two models take
// two commitments, then two reveals; with rounds overlapping, extensions
// carry up to four). The extensions signed just before the change are
// judged by the limits they were made under (the next proposals are
// accepted: no halt; the exact case is TestLoweringExtensionLimitsBy-
// GovernanceDoesNotHaltTheChain in app/), the validators then report at
// most two results per extension, and the evaluation finalizes.
func TestLoweringExtensionLimitsOnARunningNetworkKeepsItFinalizing(t *testing.T) {
	net, _ := startEvaluationSpec(t, network.Setup{Validators: 4, Sidecars: 4, Genesis: fastGovernance}, true, 3, 60)
	dumpOnFailure(t, net)
	api := net.Nodes[0].API()
	p := evaluationtypes.DefaultParams()
	p.MaxResultsPerExtension, p.MaxVoteExtensionBytes = 2, 1024
	prop, err := govv1.NewMsgSubmitProposal([]sdk.Msg{&evaluationtypes.MsgUpdateParams{
		Authority: authtypes.NewModuleAddress(govtypes.ModuleName).String(), Params: p}},
		sdk.NewCoins(sdk.NewCoin(app.BondDenom, math.NewInt(1))), net.Accounts["carol"].String(), "", "lower limits", "lower limits", false)
	require.NoError(t, err)
	broadcast(t, net, "carol", prop) // alice's evaluation may still be in the mempool
	require.NoError(t, net.WaitForHeight(net.Height()+2, 30*time.Second))
	for i := range net.Validators {
		vote(t, net, i, 1)
	}
	t.Cleanup(func() {
		if t.Failed() {
			var props map[string]any
			_ = tryGetJSON(api+"/cosmos/gov/v1/proposals", &props)
			t.Logf("proposals: %v", props)
		}
	})
	require.Eventually(t, func() bool {
		var raw struct {
			Params struct {
				MaxResultsPerExtension int `json:"max_results_per_extension"`
			} `json:"params"`
		}
		return tryGetJSON(api+"/delphi/evaluation/v1/params", &raw) == nil && raw.Params.MaxResultsPerExtension == 2
	}, 60*time.Second, 250*time.Millisecond, "the proposal passed")
	passed := net.Height()
	require.NoError(t, net.WaitForHeight(passed+3, 30*time.Second), "blocks after the change are accepted")

	got := waitForEnd(t, net)
	require.Equal(t, "EVALUATION_STATUS_FINALIZED", got.Evaluation.Status, "rounds keep finalizing under the new limits")
}
