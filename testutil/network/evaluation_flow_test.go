package network_test

import (
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
	"github.com/delphi-network/delphi/runtime/train"
	"github.com/delphi-network/delphi/testutil/network"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// TestEvaluationFinalizesThroughSidecarsAndVoteExtensions is the whole path
// on a real network: 4 validators, each with its own evaluator sidecar, a
// real benchmark (iris) and two real trained models. Rounds open with
// block-hash seeds, every sidecar evaluates, results travel in vote
// extensions, the proposer injects the extended commit, the PreBlocker
// tallies, and the evaluation finalizes with standings served over REST.
func TestEvaluationFinalizesThroughSidecarsAndVoteExtensions(t *testing.T) {
	net, _ := startEvaluation(t, 4, true)
	got := waitForEnd(t, net)
	require.Equal(t, "EVALUATION_STATUS_FINALIZED", got.Evaluation.Status)
	// computed under the runtime version the chain recorded for it
	require.Equal(t, runtime.Version, got.Evaluation.RuntimeVersion)
	require.Len(t, got.Evaluation.Standings, 2)
	for _, s := range got.Evaluation.Standings {
		require.Equal(t, "60", s.Items)
		c, err := strconv.Atoi(s.Correct)
		require.NoError(t, err)
		require.Greater(t, c, 30, "a trained iris model beats chance by far (model %s)", s.ModelID)
	}
	api := net.Nodes[0].API()

	var rounds struct {
		Rounds []struct {
			Status string `json:"status"`
			Seed   string `json:"seed"`
		} `json:"rounds"`
	}
	getJSON(t, api+"/delphi/evaluation/v1/evaluations/1/rounds", &rounds)
	require.Len(t, rounds.Rounds, 2)
	for _, r := range rounds.Rounds {
		require.Equal(t, "ROUND_STATUS_FINAL", r.Status)
		require.Len(t, r.Seed, 64)
	}

	// The intelligence index over REST.
	var idx struct {
		Index struct {
			Benchmarks []struct {
				Entry struct {
					Items string `json:"items"`
				} `json:"entry"`
				WilsonLower string `json:"wilson_lower"`
			} `json:"benchmarks"`
			Aggregate string `json:"aggregate"`
		} `json:"index"`
	}
	getJSON(t, api+"/delphi/evaluation/v1/index/1", &idx)
	require.Len(t, idx.Index.Benchmarks, 1)
	require.Equal(t, "60", idx.Index.Benchmarks[0].Entry.Items)
	require.Equal(t, idx.Index.Benchmarks[0].WilsonLower, idx.Index.Aggregate)

	// Every sidecar computed every result itself.
	for _, nd := range net.Nodes {
		var h struct {
			Stored int `json:"stored"`
		}
		getJSON(t, fmt.Sprintf("http://%s/healthz", nd.EvaluatorHealth()), &h)
		require.Equal(t, 4, h.Stored, nd.Moniker)
	}
}

// TestEvaluationFinalizesWithOneSidecarDown: three of four validators (75%
// of the power) still carry every result past 2/3.
func TestEvaluationFinalizesWithOneSidecarDown(t *testing.T) {
	net, _ := startEvaluation(t, 3, true)
	got := waitForEnd(t, net)
	require.Equal(t, "EVALUATION_STATUS_FINALIZED", got.Evaluation.Status)
}

// TestEvaluationFailsCleanlyWithoutQuorum: with two of four sidecars down no
// result reaches 2/3; blocks keep coming and the evaluation fails at its
// deadline.
func TestEvaluationFailsCleanlyWithoutQuorum(t *testing.T) {
	net, deadline := startEvaluation(t, 2, true)
	got := waitForEnd(t, net)
	require.Equal(t, "EVALUATION_STATUS_FAILED", got.Evaluation.Status)
	require.GreaterOrEqual(t, net.Height(), deadline)
	require.NoError(t, net.WaitForHeight(net.Height()+2, 20*time.Second), "the chain goes on")
}

type evaluationView struct {
	Evaluation struct {
		Status         string `json:"status"`
		DeadlineHeight string `json:"deadline_height"`
		RuntimeVersion uint32 `json:"runtime_version"`
		Standings      []struct {
			ModelID string `json:"model_id"`
			Correct string `json:"correct"`
			Items   string `json:"items"`
			Rank    int    `json:"rank"`
		} `json:"standings"`
	} `json:"evaluation"`
}

func waitForEnd(t *testing.T, net *network.Network) evaluationView {
	t.Helper()
	var got evaluationView
	require.Eventually(t, func() bool {
		err := tryGetJSON(net.Nodes[0].API()+"/delphi/evaluation/v1/evaluations/1", &got)
		return err == nil && (got.Evaluation.Status == "EVALUATION_STATUS_FINALIZED" || got.Evaluation.Status == "EVALUATION_STATUS_FAILED")
	}, 120*time.Second, 500*time.Millisecond, "evaluation never ended")
	return got
}

// startEvaluation starts 4 validators, sidecars beside the first sidecars of
// them, registers two models trained on iris and, with create, a 2-round
// evaluation of them. It returns the network and the evaluation's deadline
// height.
func startEvaluation(t *testing.T, sidecars int, create bool) (*network.Network, int64) {
	t.Helper()
	return startEvaluationWith(t, network.Setup{Validators: 4, Sidecars: sidecars}, create)
}

// startEvaluationWith is startEvaluation on the network s describes.
func startEvaluationWith(t testing.TB, s network.Setup, create bool) (*network.Network, int64) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a CometBFT network with sidecars")
	}
	return startEvaluationSpec(t, s, create, 2, 12)
}

// startEvaluationSpec is startEvaluationWith for an evaluation of the given
// number of rounds and deadline.
func startEvaluationSpec(t testing.TB, s network.Setup, create bool, rounds uint32, deadline uint64) (*network.Network, int64) {
	t.Helper()
	ds, err := bench.Load("iris")
	require.NoError(t, err, "benchmark data: run `make data`")
	sum, itemRoot := ds.SHA256(), ds.ItemRoot()
	dir := t.TempDir()
	type model struct {
		name, path, sha, root string
		step, flops           int64
	}
	var models []model
	for _, kind := range []string{"logreg", "mlp"} {
		raw, rec, err := train.Train(train.DefaultConfig(kind, "iris"))
		require.NoError(t, err)
		path := filepath.Join(dir, kind+".onnx")
		require.NoError(t, os.WriteFile(path, raw, 0o600))
		models = append(models, model{"iris-" + kind, path, rec.ModelSHA256, rec.WeightsRoot, rec.RefereeStepBytes, rec.RefereeStepFLOPs})
	}

	s.Benchmarks = []evaluationtypes.Benchmark{{Name: "iris", Task: "tabular-classification", Metric: "accuracy",
		DatasetSha256: hex.EncodeToString(sum[:]), ItemRoot: hex.EncodeToString(itemRoot[:]), DatasetUris: []string{"file:///usr/share/delphi/iris"},
		ItemCount: uint64(ds.Len())}}
	net := network.Start(t, s)
	require.NoError(t, net.WaitForHeight(3, 60*time.Second))
	bob := net.Accounts["bob"].String()
	for _, m := range models {
		broadcast(t, net, "bob", &evaluationtypes.MsgRegisterModel{Owner: bob, Name: m.name, Format: "onnx",
			WeightsSha256: m.sha, WeightsRoot: m.root, ArtifactUris: []string{"file://" + m.path},
			RefereeStepBytes: uint64(m.step), RefereeStepFlops: uint64(m.flops)})
		require.NoError(t, net.WaitForHeight(net.Height()+1, 20*time.Second))
	}
	h := net.Height()
	if !create {
		return net, 0
	}
	broadcast(t, net, "alice", &evaluationtypes.MsgCreateEvaluation{Creator: net.Accounts["alice"].String(),
		BenchmarkId: 1, ModelIds: []uint64{1, 2}, Rounds: rounds, ItemsPerRound: 30, BlocksBetweenRounds: 3,
		StartDelay: 2, DeadlineBlocks: deadline})
	// Created at h or later: the deadline is at most a few blocks past
	// h + start delay + the rounds between + the deadline.
	return net, h + 2 + 3*int64(rounds-1) + int64(deadline)
}

type sidecarHealth struct {
	Results int `json:"results"`
	Stored  int `json:"stored"`
}

// TestSidecarRestartKeepsResults: a sidecar restarted mid-evaluation loads
// its stored results (and traces) from disk, serves them again and
// computes only what it had not, and the evaluation finalizes.
func TestSidecarRestartKeepsResults(t *testing.T) {
	net, _ := startEvaluation(t, 4, true)
	health := "http://" + net.Nodes[0].EvaluatorHealth() + "/healthz"
	var h sidecarHealth
	require.Eventually(t, func() bool { return tryGetJSON(health, &h) == nil && h.Stored >= 2 },
		60*time.Second, 100*time.Millisecond, "round 0 never computed")
	net.StopSidecar(0)
	files, err := filepath.Glob(filepath.Join(net.Nodes[0].Home, "evaluator", "results", "*.json"))
	require.NoError(t, err)
	traces, err := filepath.Glob(filepath.Join(net.Nodes[0].Home, "evaluator", "results", "*.trace"))
	require.NoError(t, err)
	stored := len(files)
	require.GreaterOrEqual(t, stored, 2)
	require.Len(t, traces, stored, "every result's trace is kept for disputes")
	require.NoError(t, net.StartSidecar(0))
	var after sidecarHealth

	got := waitForEnd(t, net)
	require.Equal(t, "EVALUATION_STATUS_FINALIZED", got.Evaluation.Status)
	getJSON(t, health, &after)
	require.Equal(t, 4, after.Stored)
	require.Equal(t, 4-stored, after.Results, "only what was missing was computed after the restart")
}
