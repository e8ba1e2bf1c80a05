package app_test

import (
	"encoding/binary"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	"cosmossdk.io/log/v2"
	"cosmossdk.io/math"
	dbm "github.com/cosmos/cosmos-db"

	"github.com/cosmos/cosmos-sdk/baseapp"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"
	authsims "github.com/cosmos/cosmos-sdk/x/auth/simulation"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/delphi-network/delphi/app"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	markettypes "github.com/delphi-network/delphi/x/market/types"
	verdetypes "github.com/delphi-network/delphi/x/verde/types"
)

// simulator runs the SDK simulator (testutil/simsx) on the app for blocks
// blocks of about blockSize operations each, from seed: every module's
// simulation registered with the simulation manager — the SDK's (auth,
// bank, staking, distribution, slashing, governance, mint) and Delphi's
// four (registrations and evaluations, markets and trades, vaults,
// challenges and bisection moves) — with the validators' vote extensions
// played by x/evaluation's simulation.Network, so evaluations get results,
// markets resolve and contested results go to x/verde. The app checks
// every invariant at the end of every block (EnableSimulation); check runs
// on the final state.
func simulator(t *testing.T, seed int64, blocks, blockSize int, check func(t testing.TB, a *app.App, accs []simtypes.Account)) {
	app.SetSDKConfig()
	// Sixteen validators bonded at genesis (the simulator's default is a
	// random number, often one or two, whom a few jailings leave none).
	params := filepath.Join(t.TempDir(), "params.json")
	// Memos up to 256 characters, and no governance proposals that change
	// the SDK modules' params: the SDK's transaction generators write
	// random memos of up to 100 characters, which a max_memo_characters
	// below that — random at genesis or set by such a proposal — refuses.
	require.NoError(t, os.WriteFile(params, []byte(`{"`+simtestutil.InitiallyBondedValidators+`": 16, "`+
		authsims.MaxMemoChars+`": 256, "op_weight_msg_update_params": 0}`), 0o600))
	cfg := simtypes.Config{ChainID: "delphi-sim", Seed: seed, InitialBlockHeight: 1, NumBlocks: blocks, BlockSize: blockSize,
		Commit: true, DBBackend: "memdb", GenesisTime: time.Unix(1_700_000_000, 0).Unix(), ParamsFile: params}
	factory := func(logger log.Logger, db dbm.DB, _ bool, opts servertypes.AppOptions, baseOpts ...func(*baseapp.BaseApp)) *app.App {
		a := app.New(logger, db, opts, baseOpts...)
		a.EnableSimulation()
		return a
	}
	// At most 24 accounts (so at most 24 validators, each building its
	// extension every block).
	accounts := func(r *rand.Rand, n int) []simtypes.Account { return simtypes.RandomAccounts(r, min(n, 24)) }
	// The simulator skips the test when no validator is left; a
	// simulation that did not reach its last block fails instead.
	ran := false
	t.Cleanup(func() {
		if !ran {
			t.Errorf("the simulation stopped before its last block (skipped: %v)", t.Skipped())
		}
	})
	simsx.RunWithSeedAndRandAcc(t, cfg, factory, simState, seed, evidenceRate(0.002), accounts, func(t testing.TB, in simsx.TestInstance[*app.App], accs []simtypes.Account) {
		ran = true
		// The simulator also ends early, without skipping, when no
		// validator is left to propose.
		require.Equal(t, int64(blocks), in.App.LastBlockHeight(), "the simulation stopped early")
		check(t, in.App, accs)
	})
}

// evidenceRate is a fuzz seed that fixes the simulator's first random
// draws, those of its block parameters (RandomParams), so that double-sign
// evidence comes at rate per block: the simulator draws that rate
// uniformly, and at the rates it mostly draws, evidence tombstones every
// validator within a few blocks and the simulation ends there ("empty
// validator set"). The rest comes from the seed.
func evidenceRate(rate float64) []byte {
	fraction := func(f float64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(f*(1<<63))) }
	out := fraction(0.5)                            // evidence from a past height half the time
	out = binary.BigEndian.AppendUint64(out, 1<<62) // accounts: the most the account function allows
	return append(out, fraction(rate)...)
}

// simState is the simulator's genesis: every module's random genesis,
// with every simulated account also holding collateral.
func simState(a *app.App) simsx.SimStateFactory {
	cdc := a.AppCodec()
	pool := authtypes.NewModuleAddress(stakingtypes.NotBondedPoolName).String()
	collateral := func(_ string, state any) {
		bank, ok := state.(*banktypes.GenesisState)
		if !ok {
			return
		}
		added := sdk.NewCoins()
		for i, b := range bank.Balances {
			if b.Address == pool {
				continue
			}
			c := sdk.NewCoin(app.CollateralDenom, math.NewInt(1_000_000_000_000))
			bank.Balances[i].Coins = b.Coins.Add(c)
			added = added.Add(c)
		}
		if !bank.Supply.Empty() {
			bank.Supply = bank.Supply.Add(added...)
		}
	}
	return simsx.SimStateFactory{
		Codec:         cdc,
		AppStateFn:    simtestutil.AppStateFnWithExtendedCbs(cdc, a.SimulationManager(), a.DefaultGenesis(), collateral, nil),
		BlockedAddr:   app.BlockedAddresses(),
		AccountSource: a.AccountKeeper,
		BalanceSource: a.BankKeeper,
	}
}

// endWithEmptyBlock finalizes and commits one more block without
// transactions. The simulator delivers a block's transactions after its
// end blocker (a chain never does), so its last committed state is a
// block's middle — protocol fees not yet deposited, say — which export
// refuses; the empty block ends it as a chain would.
func endWithEmptyBlock(t testing.TB, a *app.App) {
	h := a.LastBlockHeight() + 1
	_, err := a.FinalizeBlock(&abci.RequestFinalizeBlock{Height: h, Time: time.Unix(1_800_000_000, 0)})
	require.NoError(t, err)
	_, err = a.Commit()
	require.NoError(t, err)
}

// applied is the number of transactions the chain applied: every one
// bumps its signer's account sequence, and the simulator fails on any
// delivery that fails, so this is the number of operations carried out.
func applied(t testing.TB, a *app.App) uint64 {
	ctx := a.NewContext(true)
	var n uint64
	require.NoError(t, a.AccountKeeper.Accounts.Walk(ctx, nil, func(_ sdk.AccAddress, acc sdk.AccountI) (bool, error) {
		n += acc.GetSequence()
		return false, nil
	}))
	return n
}

// delphiStory counts what the Delphi modules went through.
type delphiStory struct {
	finalResults, replaced, evaluationsFinalized, marketsResolved, marketsInvalid, disputes, disputesResolved int
}

func story(t testing.TB, a *app.App) delphiStory {
	ctx := a.NewContext(true)
	var s delphiStory
	require.NoError(t, a.EvaluationKeeper.Results.Walk(ctx, nil, func(_ collections.Triple[uint64, uint32, uint64], r evaluationtypes.Result) (bool, error) {
		s.finalResults++
		if r.Replaced {
			s.replaced++
		}
		return false, nil
	}))
	require.NoError(t, a.EvaluationKeeper.Evaluations.Walk(ctx, nil, func(_ uint64, e evaluationtypes.Evaluation) (bool, error) {
		if e.Status == evaluationtypes.EVALUATION_STATUS_FINALIZED {
			s.evaluationsFinalized++
		}
		return false, nil
	}))
	require.NoError(t, a.MarketKeeper.Markets.Walk(ctx, nil, func(_ uint64, m markettypes.Market) (bool, error) {
		switch m.Status {
		case markettypes.MARKET_STATUS_RESOLVED:
			s.marketsResolved++
		case markettypes.MARKET_STATUS_INVALID:
			s.marketsInvalid++
		}
		return false, nil
	}))
	require.NoError(t, a.VerdeKeeper.Disputes.Walk(ctx, nil, func(_ uint64, d verdetypes.Dispute) (bool, error) {
		s.disputes++
		if d.Status != verdetypes.DISPUTE_STATUS_OPEN {
			s.disputesResolved++
		}
		return false, nil
	}))
	return s
}

// TestSimulator: the SDK simulator for 40 blocks from two seeds (make
// test); TestSimulatorLong is the long run.
func TestSimulator(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation")
	}
	for _, seed := range []int64{3, 11} {
		t.Run(fmt.Sprintf("seed-%d", seed), func(t *testing.T) {
			simulator(t, seed, 40, 30, func(t testing.TB, a *app.App, _ []simtypes.Account) {
				n, s := applied(t, a), story(t, a)
				t.Logf("seed %d: %d transactions applied; %+v", seed, n, s)
				require.Positive(t, n)
				require.Positive(t, s.finalResults, "no result became final")
			})
		})
	}
}

// TestSimulatorLong: the SDK simulator for 500 blocks (block size parameter
// 250) (DELPHI_SIM=1, make sim, CI): at least 10,000 transactions
// applied, every invariant held after every block, evaluations finalized,
// markets resolved on their results, disputes opened and resolved, and the
// final state exported and imported into a fresh app byte for byte.
// DELPHI_SIM_SEED picks the seed.
func TestSimulatorLong(t *testing.T) {
	if os.Getenv("DELPHI_SIM") == "" {
		t.Skip("the long simulation: make sim")
	}
	seed := int64(7)
	if s := os.Getenv("DELPHI_SIM_SEED"); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		require.NoError(t, err)
		seed = v
	}
	simulator(t, seed, 500, 250, func(t testing.TB, a *app.App, _ []simtypes.Account) {
		n, s := applied(t, a), story(t, a)
		t.Logf("seed %d: %d transactions applied; %+v", seed, n, s)
		require.GreaterOrEqual(t, n, uint64(10_000), "transactions applied")
		require.Positive(t, s.evaluationsFinalized, "no evaluation finalized")
		require.Positive(t, s.marketsResolved, "no market resolved")
		require.Positive(t, s.disputesResolved, "no dispute resolved")
		endWithEmptyBlock(t, a)
		requireReimportsByteForByte(t, a)
	})
}
