package network_test

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	drt "github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/gguf"
	"github.com/delphi-network/delphi/runtime/llm"
	"github.com/delphi-network/delphi/runtime/text"
	"github.com/delphi-network/delphi/runtime/tokenizer"
	"github.com/delphi-network/delphi/testutil/network"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	markettypes "github.com/delphi-network/delphi/x/market/types"
)

// lmModel is a language model written for a network test.
type lmModel struct {
	name, format, path, sha, root, prompt string
	step                                  drt.RefereeStep
}

// writeLMs writes two small llama models with different seeds (the first
// as GGUF quantized to Q8_0, the second as ONNX) over a BPE tokenizer trained on the KJV's first
// verses, and returns the registrations of a three-outcome market: the
// GGUF model plain, the same weights with a system prompt, and the other
// model as ONNX.
func writeLMs(t testing.TB) []lmModel {
	t.Helper()
	verses, err := text.LoadKJV()
	require.NoError(t, err, "the KJV: run `make data`")
	tok, err := tokenizer.Train(text.Join(verses[:300]), 320)
	require.NoError(t, err)
	// Width and feed-forward width are whole Q8_0 blocks: model a is entered
	// quantized, as published models travel, and refereed from its blocks.
	cfg := llm.Config{Vocab: tok.VocabSize(), Dim: 32, Layers: 2, Heads: 2, KVHeads: 1, Hidden: 32, Context: 40, RopeTheta: 10000, NormEps: 1e-5}
	dir := t.TempDir()
	write := func(name, format string, raw []byte, prompt string) lmModel {
		m, err := llm.Open(format, raw, drt.DefaultLimits())
		require.NoError(t, err)
		path := filepath.Join(dir, name+"."+format)
		require.NoError(t, os.WriteFile(path, raw, 0o600))
		sum := sha256.Sum256(raw)
		return lmModel{name, format, path, hex.EncodeToString(sum[:]), hex.EncodeToString(m.Root[:]), prompt, m.RefereeStep(len(raw))}
	}
	a, err := llm.Init(cfg, 7)
	require.NoError(t, err)
	b, err := llm.Init(cfg, 11)
	require.NoError(t, err)
	ag, err := llm.SaveAs(a, tok, "a", gguf.GGMLQ8_0)
	require.NoError(t, err)
	bo, err := llm.ExportONNX(b, tok, cfg.Context, "b")
	require.NoError(t, err)
	return []lmModel{write("lm-a", "gguf", ag, ""), write("lm-a-prompted", "gguf", ag, "Thou art a scribe."), write("lm-b", "onnx", bo, "")}
}

// startLMMarket starts 4 validators with sidecars on kjv-cloze, registers
// the three language models and opens a market over a one-round
// evaluation of them.
func startLMMarket(t *testing.T, s network.Setup) *network.Network {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a CometBFT network with sidecars")
	}
	tb, err := llm.LoadTextBench("kjv-cloze")
	require.NoError(t, err, "the KJV: run `make data`")
	root := tb.ItemRoot()
	s.Benchmarks = []evaluationtypes.Benchmark{{Name: "kjv-cloze", Dataset: "kjv-cloze", Task: "text-choice", Metric: "accuracy",
		DatasetSha256: tb.Hash(), ItemRoot: hex.EncodeToString(root[:]), PointsPerItem: 1,
		DatasetUris: []string{"file:///usr/share/delphi/kjv-cloze"}, ItemCount: uint64(tb.Len())}}
	models := writeLMs(t)
	net := network.Start(t, s)
	require.NoError(t, net.WaitForHeight(3, 60*time.Second))
	bob := net.Accounts["bob"].String()
	for _, m := range models {
		broadcast(t, net, "bob", &evaluationtypes.MsgRegisterModel{Owner: bob, Name: m.name, Format: m.format,
			WeightsSha256: m.sha, WeightsRoot: m.root, ArtifactUris: []string{"file://" + m.path}, SystemPrompt: m.prompt,
			RefereeStepBytes: uint64(m.step.Bytes), RefereeStepFlops: uint64(m.step.FLOPs)})
		require.NoError(t, net.WaitForHeight(net.Height()+1, 20*time.Second))
	}
	alice := net.Accounts["alice"].String()
	broadcast(t, net, "alice", &markettypes.MsgCreateMarket{
		Creator: alice, Title: "kjv-cloze: which model reads the KJV best", CollateralDenom: "uusdc", Liquidity: math.NewInt(10_000_000),
		Spec: &markettypes.EvaluationSpec{BenchmarkId: 1, ModelIds: []uint64{1, 2, 3}, Rounds: 1, ItemsPerRound: 12,
			BlocksBetweenRounds: 3, StartDelay: 3, DeadlineBlocks: 40},
	})
	return net
}

// TestLanguageModelMarketSettles: a market over three language-model
// outcomes (GGUF, the same GGUF weights with a system prompt, ONNX) on
// kjv-cloze; every sidecar tokenizes and scores the items itself, the
// results reach the chain in vote extensions, the evaluation finalizes
// and the market resolves. The system prompt makes a distinct outcome:
// its trace differs from the plain entry's.
func TestLanguageModelMarketSettles(t *testing.T) {
	net := startLMMarket(t, network.Setup{Validators: 4, Sidecars: 4})
	dumpOnFailure(t, net)
	api := net.Nodes[0].API()
	got := waitForEnd(t, net)
	require.Equal(t, "EVALUATION_STATUS_FINALIZED", got.Evaluation.Status)
	require.Len(t, got.Evaluation.Standings, 3)
	for _, s := range got.Evaluation.Standings {
		require.Equal(t, "12", s.Items)
		c, err := strconv.Atoi(s.Correct)
		require.NoError(t, err)
		require.LessOrEqual(t, c, 12, "one point an item")
	}
	var results struct {
		Results []struct {
			ModelID   string `json:"model_id"`
			TraceRoot string `json:"trace_root"`
			Leaves    string `json:"leaves"`
		} `json:"results"`
	}
	getJSON(t, api+"/delphi/evaluation/v1/evaluations/1/results", &results)
	require.Len(t, results.Results, 3)
	roots := map[string]string{}
	for _, r := range results.Results {
		roots[r.ModelID] = r.TraceRoot
	}
	require.NotEqual(t, roots["1"], roots["2"], "a system prompt changes the computation")

	var m marketView
	require.Eventually(t, func() bool {
		return tryGetJSON(api+"/delphi/market/v1/markets/1", &m) == nil && m.Market.Status == "MARKET_STATUS_RESOLVED"
	}, 30*time.Second, 200*time.Millisecond)
	require.Len(t, m.Market.PayoutNumerators, 3)
}

// TestLanguageModelDisputeThroughTheChain: one sidecar of four falsifies
// an operator output of every language-model run; the honest sidecars
// dispute it through x/verde, proving GGUF weight parts (and the ONNX
// artifact) to the chain's text referee, and the liar is slashed and
// jailed while the market's evaluation finalizes.
func TestLanguageModelDisputeThroughTheChain(t *testing.T) {
	const leaf = 39 // item 0's first option run: the MatMul reading blk.1.attn_k.weight (model a: proven as Q8_0 blocks)
	net := startLMMarket(t, network.Setup{Validators: 4, Sidecars: 4, Faulty: []int{3}, FaultLeaf: leaf})
	dumpOnFailure(t, net)
	api := net.Nodes[0].API()
	got := waitForEnd(t, net)
	require.Equal(t, "EVALUATION_STATUS_FINALIZED", got.Evaluation.Status)
	var ds disputesView
	getJSON(t, api+"/delphi/verde/v1/disputes", &ds)
	require.Len(t, ds.Disputes, 3, "one per model's result")
	for _, d := range ds.Disputes {
		require.Equal(t, "DISPUTE_STATUS_CLAIMANT_WON", d.Status, d.Reason)
		require.Equal(t, strconv.Itoa(leaf), d.Hi, "the referee step was at the falsified leaf")
	}
	var vals validatorsView
	getJSON(t, api+"/cosmos/staking/v1beta1/validators?status=", &vals)
	jailed := 0
	for _, v := range vals.Validators {
		if v.Jailed {
			jailed++
		}
	}
	require.Equal(t, 1, jailed)
}

// TestLanguageModelScoreLieIsOverturned: three of four sidecars report the
// honest trace of every language model's run with a wrong score; the
// results become final on their 75%. The honest sidecar disputes each:
// a text run's last leaf is its score, so every dispute is decided at the
// first step, the three are slashed and jailed, and the honest scores
// replace theirs.
func TestLanguageModelScoreLieIsOverturned(t *testing.T) {
	net := startLMMarket(t, network.Setup{Validators: 4, Sidecars: 4, Faulty: []int{1, 2, 3}, FaultScore: true})
	dumpOnFailure(t, net)
	api := net.Nodes[0].API()
	got := waitForEnd(t, net)
	require.Equal(t, "EVALUATION_STATUS_FINALIZED", got.Evaluation.Status)
	var ds disputesView
	getJSON(t, api+"/delphi/verde/v1/disputes", &ds)
	require.Len(t, ds.Disputes, 3, "one per model's result")
	for _, d := range ds.Disputes {
		require.Equal(t, "DISPUTE_STATUS_CHALLENGER_WON", d.Status, d.Reason)
		require.Contains(t, d.Reason, "is not the score it claims")
		require.Len(t, d.Claimant.Validators, 3)
	}
	var results struct {
		Results []struct {
			Replaced bool `json:"replaced"`
		} `json:"results"`
	}
	getJSON(t, api+"/delphi/evaluation/v1/evaluations/1/results", &results)
	require.Len(t, results.Results, 3)
	for _, r := range results.Results {
		require.True(t, r.Replaced, "the honest score replaced the majority's")
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
}
