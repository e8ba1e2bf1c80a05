package app_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/delphi-network/delphi/app"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	markettypes "github.com/delphi-network/delphi/x/market/types"
)

// simGenesis is a one-validator genesis with the simulated accounts funded
// in both denoms and a benchmark and four models registered.
func simGenesis(t testing.TB, a *app.App, accs []simtypes.Account, models []uint64) []byte {
	t.Helper()
	valSet, err := simtestutil.CreateRandomValidatorSet()
	require.NoError(t, err)
	var genAccs []authtypes.GenesisAccount
	var balances []banktypes.Balance
	for _, acc := range accs {
		genAccs = append(genAccs, authtypes.NewBaseAccount(acc.Address, acc.PubKey, 0, 0))
		balances = append(balances, banktypes.Balance{Address: acc.Address.String(), Coins: sdk.NewCoins(
			sdk.NewCoin(app.BondDenom, math.NewInt(1_000_000_000_000)), sdk.NewCoin(app.CollateralDenom, math.NewInt(1_000_000_000_000)))})
	}
	state, err := simtestutil.GenesisStateWithValSet(a.AppCodec(), a.DefaultGenesis(), valSet, genAccs, balances...)
	require.NoError(t, err)

	cdc := a.AppCodec()
	var eval evaluationtypes.GenesisState
	cdc.MustUnmarshalJSON(state[evaluationtypes.ModuleName], &eval)
	eval.Benchmarks = []evaluationtypes.Benchmark{{Id: 1, Name: "iris", Task: "tabular-classification", Metric: "accuracy",
		DatasetSha256: strings.Repeat("ab", 32), ItemRoot: strings.Repeat("ef", 32), DatasetUris: []string{"file:///usr/share/delphi/iris"}, ItemCount: 150}}
	eval.NextBenchmarkId = 2
	for _, id := range models {
		eval.Models = append(eval.Models, evaluationtypes.Model{Id: id, Name: fmt.Sprintf("model-%d", id), Format: "onnx",
			WeightsSha256: strings.Repeat(fmt.Sprintf("%02x", id), 32), WeightsRoot: strings.Repeat("cd", 32),
			ArtifactUris: []string{fmt.Sprintf("file:///models/%d.onnx", id)}, Owner: accs[0].Address.String(),
			RefereeStepBytes: 100_000, RefereeStepFlops: 1_000_000})
	}
	eval.NextModelId = uint64(len(models)) + 1
	state[evaluationtypes.ModuleName] = cdc.MustMarshalJSON(&eval)
	var mkt markettypes.GenesisState
	cdc.MustUnmarshalJSON(state[markettypes.ModuleName], &mkt)
	require.NoError(t, mkt.Validate())
	raw, err := json.Marshal(state)
	require.NoError(t, err)
	return raw
}
