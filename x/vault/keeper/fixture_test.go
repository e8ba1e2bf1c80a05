package keeper_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/delphi-network/delphi/testutil/evalsim"
	"github.com/delphi-network/delphi/testutil/fakebank"
	evaluationkeeper "github.com/delphi-network/delphi/x/evaluation/keeper"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	marketkeeper "github.com/delphi-network/delphi/x/market/keeper"
	markettypes "github.com/delphi-network/delphi/x/market/types"
	"github.com/delphi-network/delphi/x/vault/keeper"
	"github.com/delphi-network/delphi/x/vault/types"
)

func mod(name string) sdk.AccAddress { return authtypes.NewModuleAddress(name) }

const usdc = "uusdc"

type fixture struct {
	ctx       sdk.Context
	k         keeper.Keeper
	mk        *marketkeeper.Keeper
	ek        *evaluationkeeper.Keeper
	msg       types.MsgServer
	q         types.QueryServer
	mmsg      markettypes.MsgServer
	bank      fakebank.Bank
	authority string
	alice     sdk.AccAddress // vault manager and market creator
	bob       sdk.AccAddress // depositor
	carol     sdk.AccAddress // trader
	models    []uint64
	// sim runs the markets' evaluations (withRounds): real draws, results
	// and finalization through x/evaluation's consensus path.
	sim *evalsim.Sim
	// keys are the three modules' stores (reimport rebuilds them).
	keys map[string]*storetypes.KVStoreKey
}

func account(seed string) sdk.AccAddress {
	return sdk.AccAddress([]byte(strings.Repeat(seed, 20)[:20]))
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	keys := storetypes.NewKVStoreKeys(types.StoreKey, markettypes.StoreKey, evaluationtypes.StoreKey, "bank")
	ctx := testutil.DefaultContextWithKeys(keys, nil, nil).WithBlockHeight(100)
	reg := codectypes.NewInterfaceRegistry()
	for _, r := range []func(codectypes.InterfaceRegistry){types.RegisterInterfaces, markettypes.RegisterInterfaces, evaluationtypes.RegisterInterfaces} {
		r(reg)
	}
	cdc := codec.NewProtoCodec(reg)
	bank := fakebank.Bank{Key: keys["bank"]}
	authority := authtypes.NewModuleAddress("gov").String()
	f := &fixture{ctx: ctx, bank: bank, authority: authority, keys: keys, alice: account("a"), bob: account("b"), carol: account("c")}
	ek := evaluationkeeper.NewKeeper(cdc, runtime.NewKVStoreService(keys[evaluationtypes.StoreKey]),
		evaluationtypes.Dependencies{Bank: bank}, authority)
	f.ek = &ek
	mk := marketkeeper.NewKeeper(cdc, runtime.NewKVStoreService(keys[markettypes.StoreKey]), bank, bank, f.ek, authority)
	f.mk = &mk
	f.k = keeper.NewKeeper(cdc, runtime.NewKVStoreService(keys[types.StoreKey]), bank, bank, f.ek, f.mk, authority)
	f.mk.SetVaultKeeper(f.k)
	f.ek.SetHooks(f.mk.Hooks())
	require.NoError(t, f.ek.InitGenesis(ctx, *evaluationtypes.DefaultGenesis()))
	require.NoError(t, f.mk.InitGenesis(ctx, *markettypes.DefaultGenesis()))
	require.NoError(t, f.k.InitGenesis(ctx, *types.DefaultGenesis()))
	f.msg, f.q, f.mmsg = keeper.NewMsgServerImpl(f.k), keeper.NewQueryServerImpl(f.k), marketkeeper.NewMsgServerImpl(*f.mk)

	emsg := evaluationkeeper.NewMsgServerImpl(*f.ek)
	for _, name := range []string{"iris", "wine"} {
		_, err := emsg.RegisterBenchmark(ctx, &evaluationtypes.MsgRegisterBenchmark{Registrant: authority, Name: name,
			Task: "classification", Metric: "accuracy", DatasetSha256: strings.Repeat("ab", 32), ItemRoot: strings.Repeat("cd", 32),
			DatasetUris: []string{"file:///data/" + name}, ItemCount: 150})
		require.NoError(t, err)
	}
	for i := 0; i < 3; i++ {
		m, err := emsg.RegisterModel(ctx, &evaluationtypes.MsgRegisterModel{Owner: f.alice.String(), Name: fmt.Sprintf("m%d", i),
			Format: "onnx", WeightsSha256: strings.Repeat(fmt.Sprintf("%02x", i+1), 32), WeightsRoot: strings.Repeat("ef", 32),
			ArtifactUris: []string{"file:///m.onnx"}, RefereeStepBytes: 100_000, RefereeStepFlops: 1_000_000})
		require.NoError(t, err)
		f.models = append(f.models, m.Id)
	}
	for _, a := range []sdk.AccAddress{f.alice, f.bob, f.carol} {
		bank.SetBalance(ctx, a, usdc, math.NewInt(1_000_000_000_000))
		bank.SetBalance(ctx, a, "udelphi", math.NewInt(10_000_000_000))
	}
	return f
}

func exec[T any](f *fixture, run func(ctx sdk.Context) (T, error)) (T, error) {
	cache, write := f.ctx.CacheContext()
	res, err := run(cache)
	if err == nil {
		write()
	}
	return res, err
}

func (f *fixture) check(t testing.TB) {
	t.Helper()
	msg, broken := keeper.AllInvariants(f.k)(f.ctx)
	require.False(t, broken, msg)
	msg, broken = marketkeeper.AllInvariants(*f.mk)(f.ctx)
	require.False(t, broken, msg)
}

func (f *fixture) vault(t testing.TB, rule types.FundRule) uint64 {
	t.Helper()
	res, err := exec(f, func(ctx sdk.Context) (*types.MsgCreateVaultResponse, error) {
		return f.msg.CreateVault(ctx, &types.MsgCreateVault{Manager: f.alice.String(), Name: "iris fund", CollateralDenom: usdc,
			Category: []uint64{1}, SubsidyCap: math.NewInt(50_000_000), MinFeeBps: 50, Rule: rule})
	})
	require.NoError(t, err)
	return res.VaultId
}

func (f *fixture) deposit(t testing.TB, who sdk.AccAddress, vault uint64, amount int64) math.Int {
	t.Helper()
	res, err := exec(f, func(ctx sdk.Context) (*types.MsgDepositResponse, error) {
		return f.msg.Deposit(ctx, &types.MsgDeposit{Depositor: who.String(), VaultId: vault, Amount: math.NewInt(amount)})
	})
	require.NoError(t, err)
	f.check(t)
	return res.Shares
}

func (f *fixture) withdraw(t testing.TB, who sdk.AccAddress, vault uint64, shares math.Int) *types.MsgWithdrawResponse {
	t.Helper()
	res, err := exec(f, func(ctx sdk.Context) (*types.MsgWithdrawResponse, error) {
		return f.msg.Withdraw(ctx, &types.MsgWithdraw{Depositor: who.String(), VaultId: vault, Shares: shares})
	})
	require.NoError(t, err)
	f.check(t)
	return res
}

// market creates a market on benchmark over models, funded by vault.
func (f *fixture) market(t testing.TB, creator sdk.AccAddress, vault, benchmark uint64, models ...uint64) (uint64, error) {
	t.Helper()
	res, err := exec(f, func(ctx sdk.Context) (*markettypes.MsgCreateMarketResponse, error) {
		return f.mmsg.CreateMarket(ctx, &markettypes.MsgCreateMarket{Creator: creator.String(), Title: "t", CollateralDenom: usdc,
			Liquidity: math.NewInt(10_000_000), FeeBps: 100, VaultId: vault,
			Spec: &markettypes.EvaluationSpec{BenchmarkId: benchmark, ModelIds: models, Rounds: 1, ItemsPerRound: 10,
				BlocksBetweenRounds: 2, StartDelay: 5, DeadlineBlocks: 50}})
	})
	if err != nil {
		return 0, err
	}
	f.check(t)
	return res.MarketId, nil
}

func (f *fixture) buy(t testing.TB, who sdk.AccAddress, market uint64, outcome uint32, shares int64) {
	t.Helper()
	_, err := exec(f, func(ctx sdk.Context) (*markettypes.MsgBuySharesResponse, error) {
		return f.mmsg.BuyShares(ctx, &markettypes.MsgBuyShares{Trader: who.String(), MarketId: market, Outcome: outcome,
			Shares: math.NewInt(shares), MaxCost: math.NewInt(1 << 50)})
	})
	require.NoError(t, err)
	f.check(t)
}

// settle reports standings (correct per outcome) for the market's evaluation.
func (f *fixture) settle(t testing.TB, market uint64, correct ...uint64) {
	t.Helper()
	m, err := f.mk.GetMarket(f.ctx, market)
	require.NoError(t, err)
	st := make([]evaluationtypes.Standing, len(m.ModelIds))
	for i, id := range m.ModelIds {
		rank := uint32(1)
		for _, c := range correct {
			if c > correct[i] {
				rank++
			}
		}
		st[i] = evaluationtypes.Standing{ModelId: id, Correct: correct[i], Rank: rank}
	}
	_, err = exec(f, func(ctx sdk.Context) (struct{}, error) {
		return struct{}{}, f.mk.Hooks().AfterEvaluationFinalized(ctx, m.EvaluationId, st)
	})
	require.NoError(t, err)
	f.check(t)
	f.endBlock(t)
}

// endBlock ends the block: x/vault pays due queues within its budget.
func (f *fixture) endBlock(t testing.TB) {
	t.Helper()
	require.NoError(t, f.k.EndBlocker(f.ctx))
	f.check(t)
}

func (f *fixture) getVault(t testing.TB, id uint64) types.Vault {
	t.Helper()
	v, err := f.k.GetVault(f.ctx, id)
	require.NoError(t, err)
	return v
}
