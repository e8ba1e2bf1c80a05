package types_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/x/evaluation/types"
)

// TestGenesisRefusesWhatWouldHaltTheBlockHooks: an imported state whose
// draws wait for a seed that does not exist, whose final rounds lack a
// result, or whose records name validators by anything but a hex address
// would make a block hook fail; validation refuses it first.
func TestGenesisRefusesWhatWouldHaltTheBlockHooks(t *testing.T) {
	root := strings.Repeat("ab", 32)
	valid := func() types.GenesisState {
		gs := *types.DefaultGenesis()
		gs.Benchmarks = []types.Benchmark{{Id: 1, Name: "iris", ItemRoot: root, DatasetSha256: root, ItemCount: 150}}
		gs.Models = []types.Model{{Id: 1}, {Id: 2}}
		gs.Evaluations = []types.Evaluation{{Id: 1, BenchmarkId: 1, ModelIds: []uint64{1, 2}, Rounds: 2, DrawHeights: []int64{5, 9}}}
		gs.Rounds = []types.Round{{EvaluationId: 1, Round: 0, Status: types.ROUND_STATUS_FINAL}}
		gs.Results = []types.Result{{EvaluationId: 1, Round: 0, ModelId: 1}, {EvaluationId: 1, Round: 0, ModelId: 2}}
		gs.Seeds = []types.Seed{{Height: 9, Status: types.SEED_STATUS_PENDING}}
		gs.Draws = []types.Draw{{SeedHeight: 9, EvaluationId: 1, Round: 1}}
		gs.Commitments = []types.Commitment{{EvaluationId: 1, Round: 0, ModelId: 1, Validator: "0a0b"}}
		gs.NextBenchmarkId, gs.NextModelId, gs.NextEvaluationId = 2, 3, 2
		return gs
	}
	good := valid()
	require.NoError(t, good.Validate())
	for name, tc := range map[string]struct {
		edit func(*types.GenesisState)
		want string
	}{
		"final round without a result": {func(g *types.GenesisState) { g.Results = g.Results[:1] }, "without model 2's result"},
		"draw without its seed":        {func(g *types.GenesisState) { g.Seeds = nil }, "does not exist"},
		"draw of an unknown evaluation": {func(g *types.GenesisState) {
			g.Draws = append(g.Draws, types.Draw{SeedHeight: 9, EvaluationId: 7})
		}, "unknown evaluation 7"},
		"draw not in the evaluation's schedule": {func(g *types.GenesisState) {
			g.Evaluations[0].DrawHeights[1] = 10
		}, "not in its draw_heights"},
		"seed listed twice": {func(g *types.GenesisState) { g.Seeds = append(g.Seeds, g.Seeds[0]) }, "listed twice"},
		"seed entry without its seed": {func(g *types.GenesisState) {
			g.SeedEntries = []types.GenesisSeedEntry{{Height: 4, Validator: "0a"}}
		}, "does not exist"},
		"commitment for a round not started": {func(g *types.GenesisState) { g.Commitments[0].Round = 1 }, "has not started"},
		"validator not hex":                  {func(g *types.GenesisState) { g.Commitments[0].Validator = "zz" }, "not a hex address"},
		"participation not hex": {func(g *types.GenesisState) {
			g.Participations = []types.Participation{{Validator: ""}}
		}, "not a hex address"},
		"an evaluation under a runtime this binary lacks": {func(g *types.GenesisState) {
			g.Evaluations[0].RuntimeVersion = 99
		}, "runtime version 99"},
	} {
		t.Run(name, func(t *testing.T) {
			gs := valid()
			tc.edit(&gs)
			require.ErrorContains(t, gs.Validate(), tc.want)
		})
	}
}
