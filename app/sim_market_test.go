package app_test

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/delphi-network/delphi/app"
	evaluationsim "github.com/delphi-network/delphi/x/evaluation/simulation"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	marketsim "github.com/delphi-network/delphi/x/market/simulation"
	markettypes "github.com/delphi-network/delphi/x/market/types"
	vaultsim "github.com/delphi-network/delphi/x/vault/simulation"
	vaulttypes "github.com/delphi-network/delphi/x/vault/types"
)

// TestSimulateMarketOperations drives x/evaluation's, x/market's and x/vault's SDK simulation operations
// against the whole app, block by block as the SDK simulator does
// (FinalizeBlock, operations delivered as signed txs, Commit), from several
// seeds. Without sidecars the evaluations fail at their deadlines, so
// markets are created, traded, invalidated and redeemed throughout. After
// every block the market invariants hold and the collateral supply is
// unchanged; every generated message must be accepted.
func TestSimulateMarketOperations(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation")
	}
	for seed := int64(1); seed <= 5; seed++ {
		t.Run(fmt.Sprintf("seed-%d", seed), func(t *testing.T) { simulateMarket(t, seed, 60, 12) })
	}
}

// simApplied is how many operations the last simulateMarket applied.
var simApplied int

func simulateMarket(t *testing.T, seed int64, blocks, opsPerBlock int) *app.App {
	app.SetSDKConfig()
	const chainID = "delphi-sim"
	r := rand.New(rand.NewSource(seed))
	accs := simtypes.RandomAccounts(r, 8)
	a := newApp(t, chainID)
	models := []uint64{1, 2, 3, 4}
	initAndCommit(t, a, simGenesis(t, a, accs, models), chainID)

	ops := marketsim.WeightedOperations(simtypes.AppParams{}, a.TxConfig(), marketsim.Keepers{
		Market: a.MarketKeeper, Account: a.AccountKeeper, Bank: a.BankKeeper, Models: models, Benchmark: 1,
	})
	ops = append(ops, vaultsim.WeightedOperations(simtypes.AppParams{}, a.TxConfig(), vaultsim.Keepers{
		Vault: a.VaultKeeper, Account: a.AccountKeeper, Bank: a.BankKeeper, Models: models, Benchmark: 1,
	})...)
	ops = append(ops, evaluationsim.WeightedOperations(simtypes.AppParams{}, a.TxConfig(), evaluationsim.Keepers{
		Evaluation: &a.EvaluationKeeper, Account: a.AccountKeeper, Bank: a.BankKeeper, Benchmark: 1,
	})...)
	total := 0
	for _, op := range ops {
		total += op.Weight()
	}
	pick := func() simtypes.Operation {
		w := r.Intn(total)
		for _, op := range ops {
			if w < op.Weight() {
				return op.Op()
			}
			w -= op.Weight()
		}
		panic("unreachable")
	}

	ctx0 := a.NewUncachedContext(false, cmtproto.Header{ChainID: chainID, Height: 1})
	supply := a.BankKeeper.GetSupply(ctx0, app.CollateralDenom)
	applied, noop := map[string]int{}, map[string]int{}
	start := time.Unix(1_700_000_000, 0)
	for h := int64(2); h < int64(blocks)+2; h++ {
		header := cmtproto.Header{ChainID: chainID, Height: h, Time: start.Add(time.Duration(h) * time.Second)}
		_, err := a.FinalizeBlock(&abci.RequestFinalizeBlock{Height: h, Time: header.Time})
		require.NoError(t, err)
		ctx := a.NewContextLegacy(false, header)
		for i := 0; i < opsPerBlock; i++ {
			msg, _, err := pick()(r, a.BaseApp, ctx, accs, chainID)
			require.NoError(t, err, "height %d: %s %s", h, msg.Route, msg.Name)
			if msg.OK {
				applied[msg.Name]++
			} else {
				noop[msg.Name+": "+msg.Comment]++
			}
		}
		// The operations are this block's transactions: close the block as
		// x/market's EndBlocker would (protocol fees to the community pool,
		// price points), so the committed state is a between-blocks one.
		require.NoError(t, a.MarketKeeper.EndBlocker(ctx))
		a.SimWriteState()
		_, err = a.Commit()
		require.NoError(t, err)

		check := a.NewUncachedContext(false, header)
		require.Empty(t, a.CheckInvariants(check), "height %d", h)
		require.Equal(t, supply, a.BankKeeper.GetSupply(check, app.CollateralDenom), "height %d", h)
	}
	ok := 0
	for _, n := range applied {
		ok += n
	}
	t.Logf("seed %d: %d operations applied of %d tried: %v", seed, ok, blocks*opsPerBlock, applied)
	simApplied = ok
	if testing.Verbose() {
		t.Logf("not applied (why): %v", noop)
	}
	funded := 0
	end := a.NewUncachedContext(false, cmtproto.Header{ChainID: chainID, Height: int64(blocks) + 1})
	require.NoError(t, a.VaultKeeper.VaultMarkets.Walk(end, nil, func(collections.Pair[uint64, uint64], vaulttypes.VaultMarket) (bool, error) {
		funded++
		return false, nil
	}))
	require.Positive(t, funded, "seed %d: no vault ever funded a market", seed)
	for _, name := range []string{"/delphi.market.v1.MsgCreateMarket", "/delphi.market.v1.MsgBuyShares",
		"/delphi.market.v1.MsgSellShares", "/delphi.market.v1.MsgRedeem", "/delphi.vault.v1.MsgCreateVault",
		"/delphi.vault.v1.MsgDeposit", "/delphi.vault.v1.MsgWithdraw", "/delphi.vault.v1.MsgBuyBasket",
		"/delphi.evaluation.v1.MsgRegisterModel", "/delphi.evaluation.v1.MsgCreateEvaluation"} {
		require.Positive(t, applied[name], "seed %d never applied %s", seed, name)
	}
	return a
}

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
