package network_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/delphi-network/delphi/testutil/network"
	markettypes "github.com/delphi-network/delphi/x/market/types"
)

type disputesView struct {
	Disputes []struct {
		ID             string `json:"id"`
		Status         string `json:"status"`
		OpenedHeight   string `json:"opened_height"`
		ResolvedHeight string `json:"resolved_height"`
		Hi             string `json:"hi"`
		Reason         string `json:"reason"`
		Challenger     struct {
			Validators []string `json:"validators"`
		} `json:"challenger"`
		Claimant struct {
			Validators []string `json:"validators"`
		} `json:"claimant"`
		History []struct {
			Index string `json:"index"`
		} `json:"history"`
	} `json:"disputes"`
}

type validatorsView struct {
	Validators []struct {
		Jailed bool   `json:"jailed"`
		Tokens string `json:"tokens"`
	} `json:"validators"`
}

// faultLeaf is the leaf the byzantine sidecars falsify: an early item's
// operator output or score leaf, depending on the model (the iris models
// have a handful of operators, then four score leaves, per item); the
// referee recomputes either.
const faultLeaf = 7

// TestByzantineEvaluatorIsOutvotedChallengedAndSlashed: one of four
// sidecars falsifies an operator output. Its claims lose the tally, the
// honest sidecars play the dispute against it automatically through
// x/verde, the chain recomputes the operator, and the byzantine validator
// is slashed and jailed while the evaluation finalizes on the honest
// results.
func TestByzantineEvaluatorIsOutvotedChallengedAndSlashed(t *testing.T) {
	net, _ := startEvaluationWith(t, network.Setup{Validators: 4, Sidecars: 4, Faulty: []int{3}, FaultLeaf: faultLeaf}, true)
	dumpOnFailure(t, net)
	api := net.Nodes[0].API()
	got := waitForEnd(t, net)
	require.Equal(t, "EVALUATION_STATUS_FINALIZED", got.Evaluation.Status)

	var ds disputesView
	getJSON(t, api+"/delphi/verde/v1/disputes", &ds)
	require.NotEmpty(t, ds.Disputes, "the byzantine claims were disputed")
	for _, d := range ds.Disputes {
		require.Equal(t, "DISPUTE_STATUS_CLAIMANT_WON", d.Status, d.Reason)
		require.Equal(t, strconv.Itoa(faultLeaf), d.Hi, "the referee step was at the falsified operator")
		require.Len(t, d.Challenger.Validators, 1)
		require.LessOrEqual(t, len(d.History), 1+8, "1 + ⌈log2 150⌉ bisection steps")
		opened, _ := strconv.Atoi(d.OpenedHeight)
		resolved, _ := strconv.Atoi(d.ResolvedHeight)
		t.Logf("dispute %s: %d reveal steps, opened at %d, resolved at %d: %d blocks", d.ID, len(d.History), opened, resolved, resolved-opened)
	}
	var vals validatorsView
	getJSON(t, api+"/cosmos/staking/v1beta1/validators?status=", &vals)
	jailed := 0
	for _, v := range vals.Validators {
		if v.Jailed {
			jailed++
		}
	}
	require.Equal(t, 1, jailed, "only the byzantine validator")
	require.NoError(t, net.WaitForHeight(net.Height()+2, 20*time.Second), "the chain goes on")
}

// TestHonestMinorityOverturnsByzantineMajority: three of four sidecars
// (75% of the power) lie alike, so their results become final; the one
// honest sidecar challenges, wins every dispute, the three are slashed and
// jailed, the honest results replace the final ones, and the market over
// the evaluation settles on the honest standings. The lie is either a
// falsified operator output (found by bisection and the referee) or the
// honest trace with a wrong score (--fault-score: the score is the trace's
// last leaf, so the liars lose at the first step).
func TestHonestMinorityOverturnsByzantineMajority(t *testing.T) {
	for _, tc := range []struct {
		name, reason string
		setup        network.Setup
	}{
		{"falsified operator", "", network.Setup{Validators: 4, Sidecars: 4, Faulty: []int{1, 2, 3}, FaultLeaf: faultLeaf}},
		{"wrong score over the honest trace", "is not the score it claims",
			network.Setup{Validators: 4, Sidecars: 4, Faulty: []int{1, 2, 3}, FaultScore: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			net, _ := startEvaluationWith(t, tc.setup, false)
			dumpOnFailure(t, net)
			overturned(t, net, tc.reason)
		})
	}
}

// overturned runs a market over a one-round evaluation to its end and
// requires that the honest minority won every dispute (with reason, if
// given), replaced both results, got the three liars jailed, and that the
// market settled and the chain goes on.
func overturned(t *testing.T, net *network.Network, reason string) {
	t.Helper()
	api := net.Nodes[0].API()
	alice := net.Accounts["alice"].String()
	broadcast(t, net, "alice", &markettypes.MsgCreateMarket{
		Creator: alice, Title: "iris under attack", CollateralDenom: "uusdc", Liquidity: math.NewInt(10_000_000),
		Spec: &markettypes.EvaluationSpec{BenchmarkId: 1, ModelIds: []uint64{1, 2}, Rounds: 1, ItemsPerRound: 30,
			BlocksBetweenRounds: 3, StartDelay: 3, DeadlineBlocks: 40},
	})
	got := waitForEnd(t, net)
	require.Equal(t, "EVALUATION_STATUS_FINALIZED", got.Evaluation.Status)

	var ds disputesView
	getJSON(t, api+"/delphi/verde/v1/disputes", &ds)
	require.Len(t, ds.Disputes, 2, "one per model's result")
	for _, d := range ds.Disputes {
		require.Equal(t, "DISPUTE_STATUS_CHALLENGER_WON", d.Status, d.Reason)
		require.Contains(t, d.Reason, reason)
		require.Len(t, d.Claimant.Validators, 3)
	}
	var results struct {
		Results []struct {
			Replaced bool `json:"replaced"`
		} `json:"results"`
	}
	getJSON(t, api+"/delphi/evaluation/v1/evaluations/1/results", &results)
	require.Len(t, results.Results, 2)
	for _, r := range results.Results {
		require.True(t, r.Replaced, "the honest claim replaced the byzantine majority's")
	}
	var vals validatorsView
	getJSON(t, api+"/cosmos/staking/v1beta1/validators?status=", &vals)
	jailed := 0
	for _, v := range vals.Validators {
		if v.Jailed {
			jailed++
		}
	}
	require.Equal(t, 3, jailed)

	var m marketView
	require.Eventually(t, func() bool {
		return tryGetJSON(api+"/delphi/market/v1/markets/1", &m) == nil && m.Market.Status == "MARKET_STATUS_RESOLVED"
	}, 20*time.Second, 200*time.Millisecond)
	require.NoError(t, net.WaitForHeight(net.Height()+2, 30*time.Second), "the honest validator carries the chain")
}

// dumpOnFailure logs the disputes and every sidecar's health when the
// test fails, so a stuck game shows where it stopped.
func dumpOnFailure(t *testing.T, net *network.Network) {
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		for _, url := range []string{net.Nodes[0].API() + "/delphi/verde/v1/disputes", net.Nodes[0].API() + "/delphi/evaluation/v1/evaluations/1",
			net.Nodes[0].API() + "/delphi/evaluation/v1/evaluations/1/results"} {
			var v any
			_ = tryGetJSON(url, &v)
			t.Logf("%s: %v", url, v)
		}
		for _, nd := range net.Nodes {
			var h any
			_ = tryGetJSON("http://"+nd.EvaluatorHealth()+"/healthz", &h)
			t.Logf("%s sidecar: %v", nd.Moniker, h)
		}
	})
}
