package simulation

import (
	"fmt"
	"strings"

	"github.com/cosmos/cosmos-sdk/types/module"

	"github.com/delphi-network/delphi/x/evaluation/types"
)

// What every simulated chain starts with, which the other modules'
// operations build on: one benchmark and four models.
const GenesisBenchmark uint64 = 1

// GenesisModels are the models registered at genesis.
var GenesisModels = []uint64{1, 2, 3, 4}

// RandomizedGenState is x/evaluation's simulated genesis: the default
// params with a random challenge window (so some results stay
// challengeable for a while) and the benchmark and models above, owned by
// the first simulated account.
func RandomizedGenState(simState *module.SimulationState) {
	gs := types.DefaultGenesis()
	r := simState.Rand
	gs.Params.ChallengeWindowBlocks = uint64(5 + r.Intn(26))
	gs.Params.MaxMissedRounds = uint32(8 + r.Intn(16))
	owner := simState.Accounts[0].Address.String()
	gs.Benchmarks = []types.Benchmark{{Id: GenesisBenchmark, Name: "sim-iris", Task: "tabular-classification", Metric: "accuracy",
		DatasetSha256: strings.Repeat("ab", 32), ItemRoot: strings.Repeat("ef", 32), DatasetUris: []string{"file:///usr/share/delphi/iris"},
		ItemCount: 150, Registrant: owner}}
	gs.NextBenchmarkId = GenesisBenchmark + 1
	for _, id := range GenesisModels {
		gs.Models = append(gs.Models, types.Model{Id: id, Name: fmt.Sprintf("sim-genesis-%d", id), Format: "onnx",
			WeightsSha256: strings.Repeat(fmt.Sprintf("%02x", id), 32), WeightsRoot: strings.Repeat("cd", 32),
			ArtifactUris: []string{fmt.Sprintf("file:///models/%d.onnx", id)}, Owner: owner,
			RefereeStepBytes: 100_000, RefereeStepFlops: 1_000_000})
	}
	gs.NextModelId = uint64(len(GenesisModels)) + 1
	simState.GenState[types.ModuleName] = simState.Cdc.MustMarshalJSON(gs)
}
