package network_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/codec"

	"github.com/delphi-network/delphi/evaluator"
	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
	"github.com/delphi-network/delphi/runtime/train"
	"github.com/delphi-network/delphi/testutil/network"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// TestDisputeOverAModelOfRealSizeThroughTheChain: a 25.1M-parameter MLP
// (171 layers of 384 units, 100.6 MB of ONNX) is evaluated by four
// sidecars; one falsifies an operator in its middle. The honest three
// dispute it through the running chain to a referee verdict: the referee
// step carries the skeleton and one layer's weights (~0.6 MB), never the
// artifact, and the liar is slashed and jailed while the chain goes on.
func TestDisputeOverAModelOfRealSizeThroughTheChain(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a CometBFT network with sidecars over a 100 MB model")
	}
	const width, depth = 384, 171
	raw, err := train.DeepMLP(4, 3, width, depth, 1)
	require.NoError(t, err)
	m, err := runtime.LoadModel(raw, runtime.DefaultLimits())
	require.NoError(t, err)
	require.GreaterOrEqual(t, m.ParameterCount(), int64(25_000_000))
	step, err := m.RefereeStep()
	require.NoError(t, err)
	sum, root := sha256.Sum256(raw), m.Weights().Root()
	dir := t.TempDir()
	path := filepath.Join(dir, "deep.onnx")
	require.NoError(t, os.WriteFile(path, raw, 0o600))
	twin, rec, err := train.Train(train.DefaultConfig("mlp", "iris"))
	require.NoError(t, err)
	twinPath := filepath.Join(dir, "mlp.onnx")
	require.NoError(t, os.WriteFile(twinPath, twin, 0o600))
	// The lie: the 63rd hidden layer's Gemm output of the second item.
	per := m.LeavesPerItem()
	lie := per + 2*(depth/2)

	ds, err := bench.Load("iris")
	require.NoError(t, err, "benchmark data: run `make data`")
	dsSum, itemRoot := ds.SHA256(), ds.ItemRoot()
	s := network.Setup{Validators: 4, Sidecars: 4, Faulty: []int{3}, FaultLeaf: lie,
		Benchmarks: []evaluationtypes.Benchmark{{Name: "iris", Task: "tabular-classification", Metric: "accuracy",
			DatasetSha256: hex.EncodeToString(dsSum[:]), ItemRoot: hex.EncodeToString(itemRoot[:]),
			DatasetUris: []string{"file:///usr/share/delphi/iris"}, ItemCount: uint64(ds.Len())}},
		SidecarConfig: func(i int, cfg *evaluator.Config) {
			if cfg.Fault != nil {
				cfg.Fault.Model = 1 // only the deep model's runs
			}
		},
		Genesis: func(cdc codec.Codec, state map[string]json.RawMessage) {
			var gs evaluationtypes.GenesisState
			cdc.MustUnmarshalJSON(state[evaluationtypes.ModuleName], &gs)
			gs.Params.MaxArtifactBytes = 128 << 20 // the default 64 MiB holds 16.7M float32 parameters
			state[evaluationtypes.ModuleName] = cdc.MustMarshalJSON(&gs)
		},
	}
	net := network.Start(t, s)
	dumpOnFailure(t, net)
	require.NoError(t, net.WaitForHeight(3, 60*time.Second))
	bob := net.Accounts["bob"].String()
	for _, reg := range []*evaluationtypes.MsgRegisterModel{
		{Owner: bob, Name: "deep-mlp-25m", Format: "onnx", WeightsSha256: hex.EncodeToString(sum[:]), WeightsRoot: hex.EncodeToString(root[:]),
			ArtifactUris: []string{"file://" + path}, RefereeStepBytes: uint64(step.Bytes), RefereeStepFlops: uint64(step.FLOPs)},
		{Owner: bob, Name: "iris-mlp", Format: "onnx", WeightsSha256: rec.ModelSHA256, WeightsRoot: rec.WeightsRoot,
			ArtifactUris: []string{"file://" + twinPath}, RefereeStepBytes: uint64(rec.RefereeStepBytes), RefereeStepFlops: uint64(rec.RefereeStepFLOPs)},
	} {
		broadcast(t, net, "bob", reg)
		require.NoError(t, net.WaitForHeight(net.Height()+1, 20*time.Second))
	}
	broadcast(t, net, "alice", &evaluationtypes.MsgCreateEvaluation{Creator: net.Accounts["alice"].String(),
		BenchmarkId: 1, ModelIds: []uint64{1, 2}, Rounds: 1, ItemsPerRound: 2, BlocksBetweenRounds: 3,
		StartDelay: 2, DeadlineBlocks: 60})

	got := waitForEnd(t, net)
	require.Equal(t, "EVALUATION_STATUS_FINALIZED", got.Evaluation.Status)
	api := net.Nodes[0].API()
	var ds2 disputesView
	getJSON(t, api+"/delphi/verde/v1/disputes", &ds2)
	require.Len(t, ds2.Disputes, 1, "the liar's claim about the deep model")
	d := ds2.Disputes[0]
	require.Equal(t, "DISPUTE_STATUS_CLAIMANT_WON", d.Status, d.Reason)
	require.Equal(t, strconv.Itoa(lie), d.Hi, "the referee step was at the falsified layer")
	require.Contains(t, d.Reason, "the referee recomputed")
	opened, _ := strconv.Atoi(d.OpenedHeight)
	resolved, _ := strconv.Atoi(d.ResolvedHeight)
	t.Logf("25.1M parameters, %d leaves: %d reveal steps, opened at %d, verdict at %d: %d blocks; largest referee step %d bytes, %d FLOPs",
		2*per, len(d.History), opened, resolved, resolved-opened, step.Bytes, step.FLOPs)
	var vals validatorsView
	getJSON(t, api+"/cosmos/staking/v1beta1/validators?status=", &vals)
	jailed := 0
	for _, v := range vals.Validators {
		if v.Jailed {
			jailed++
		}
	}
	require.Equal(t, 1, jailed, "only the liar")
	require.NoError(t, net.WaitForHeight(net.Height()+2, 20*time.Second), "the chain goes on")
}
