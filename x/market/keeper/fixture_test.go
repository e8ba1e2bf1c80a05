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
	"github.com/delphi-network/delphi/x/market/keeper"
	"github.com/delphi-network/delphi/x/market/types"
)

var communityPool = fakebank.CommunityPool

const usdc = "uusdc"

type fixture struct {
	ctx       sdk.Context
	k         keeper.Keeper
	ek        *evaluationkeeper.Keeper
	msg       types.MsgServer
	q         types.QueryServer
	bank      fakebank.Bank
	authority string
	alice     sdk.AccAddress // creator and liquidity provider
	bob       sdk.AccAddress
	carol     sdk.AccAddress
	benchmark uint64
	models    []uint64
	// sim drives the evaluations' rounds through x/evaluation's consensus
	// path (newLiveFixture): real draws, results and finalization.
	sim *evalsim.Sim
	// keys are x/market's and x/evaluation's stores (reimport rebuilds them).
	keys map[string]*storetypes.KVStoreKey
}

func account(seed string) sdk.AccAddress {
	return sdk.AccAddress([]byte(strings.Repeat(seed, 20)[:20]))
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	keys := storetypes.NewKVStoreKeys(types.StoreKey, evaluationtypes.StoreKey, "bank")
	ctx := testutil.DefaultContextWithKeys(keys, nil, nil).WithBlockHeight(100)
	reg := codectypes.NewInterfaceRegistry()
	types.RegisterInterfaces(reg)
	evaluationtypes.RegisterInterfaces(reg)
	cdc := codec.NewProtoCodec(reg)
	bank := fakebank.Bank{Key: keys["bank"]}
	authority := authtypes.NewModuleAddress("gov").String()

	ek := evaluationkeeper.NewKeeper(cdc, runtime.NewKVStoreService(keys[evaluationtypes.StoreKey]),
		evaluationtypes.Dependencies{Bank: bank}, authority)
	f := &fixture{ctx: ctx, ek: &ek, bank: bank, authority: authority, keys: keys,
		alice: account("a"), bob: account("b"), carol: account("c")}
	f.k = keeper.NewKeeper(cdc, runtime.NewKVStoreService(keys[types.StoreKey]), bank, bank, f.ek, authority)
	f.ek.SetHooks(f.k.Hooks())
	require.NoError(t, f.ek.InitGenesis(ctx, *evaluationtypes.DefaultGenesis()))
	require.NoError(t, f.k.InitGenesis(ctx, *types.DefaultGenesis()))
	f.msg, f.q = keeper.NewMsgServerImpl(f.k), keeper.NewQueryServerImpl(f.k)

	emsg := evaluationkeeper.NewMsgServerImpl(*f.ek)
	b, err := emsg.RegisterBenchmark(ctx, &evaluationtypes.MsgRegisterBenchmark{
		Registrant: authority, Name: "iris", Task: "classification", Metric: "accuracy",
		DatasetSha256: strings.Repeat("ab", 32), ItemRoot: strings.Repeat("ef", 32), DatasetUris: []string{"file:///data/iris"}, ItemCount: 150,
	})
	require.NoError(t, err)
	f.benchmark = b.Id
	for i := 0; i < 4; i++ {
		m, err := emsg.RegisterModel(ctx, &evaluationtypes.MsgRegisterModel{
			Owner: f.alice.String(), Name: fmt.Sprintf("model-%d", i), Format: "onnx",
			WeightsSha256: strings.Repeat(fmt.Sprintf("%02x", i+1), 32), WeightsRoot: strings.Repeat("cd", 32),
			ArtifactUris:     []string{fmt.Sprintf("file:///models/%d.onnx", i)},
			RefereeStepBytes: 100_000, RefereeStepFlops: 1_000_000,
		})
		require.NoError(t, err)
		f.models = append(f.models, m.Id)
	}
	for _, a := range []sdk.AccAddress{f.alice, f.bob, f.carol} {
		bank.SetBalance(ctx, a, usdc, math.NewInt(1_000_000_000_000))
		// Creating a market creates its evaluation, which posts a deposit.
		bank.SetBalance(ctx, a, "udelphi", math.NewInt(10_000_000_000))
	}
	return f
}

// exec runs a message the way baseapp does: in a cache context whose
// writes (state and balances) land only if the handler succeeds.
func exec[T any](f *fixture, run func(ctx sdk.Context) (T, error)) (T, error) {
	cache, write := f.ctx.CacheContext()
	res, err := run(cache)
	if err == nil {
		write()
	}
	return res, err
}

func (f *fixture) spec(n int) *types.EvaluationSpec {
	return &types.EvaluationSpec{BenchmarkId: f.benchmark, ModelIds: f.models[:n], Rounds: 2, ItemsPerRound: 10,
		BlocksBetweenRounds: 2, StartDelay: 1_000, DeadlineBlocks: 50}
}

func (f *fixture) createMsg(n int) *types.MsgCreateMarket {
	return &types.MsgCreateMarket{
		Creator: f.alice.String(), Title: "iris: which model?", CollateralDenom: usdc,
		Liquidity: math.NewInt(10_000_000), FeeBps: 100, CreatorFeeShareBps: 2_000, Spec: f.spec(n),
	}
}

func (f *fixture) create(t testing.TB, n int) types.Market {
	t.Helper()
	res, err := exec(f, func(ctx sdk.Context) (*types.MsgCreateMarketResponse, error) {
		return f.msg.CreateMarket(ctx, f.createMsg(n))
	})
	require.NoError(t, err)
	return f.market(t, res.MarketId)
}

func (f *fixture) market(t testing.TB, id uint64) types.Market {
	t.Helper()
	m, err := f.k.GetMarket(f.ctx, id)
	require.NoError(t, err)
	return m
}

func (f *fixture) balance(a sdk.AccAddress) math.Int { return f.bank.Balance(f.ctx, a, usdc) }

// endBlock runs the module's EndBlocker: the block's protocol fees reach
// the community pool and traded markets get their price point.
func (f *fixture) endBlock(t testing.TB) {
	t.Helper()
	require.NoError(t, f.k.EndBlocker(f.ctx))
}

func (f *fixture) buy(t testing.TB, who sdk.AccAddress, id uint64, outcome uint32, shares int64) *types.MsgBuySharesResponse {
	t.Helper()
	res, err := exec(f, func(ctx sdk.Context) (*types.MsgBuySharesResponse, error) {
		return f.msg.BuyShares(ctx, &types.MsgBuyShares{Trader: who.String(), MarketId: id, Outcome: outcome,
			Shares: math.NewInt(shares), MaxCost: math.NewInt(1 << 50)})
	})
	require.NoError(t, err)
	f.checkInvariants(t)
	return res
}

func (f *fixture) sell(t testing.TB, who sdk.AccAddress, id uint64, outcome uint32, shares int64) *types.MsgSellSharesResponse {
	t.Helper()
	res, err := exec(f, func(ctx sdk.Context) (*types.MsgSellSharesResponse, error) {
		return f.msg.SellShares(ctx, &types.MsgSellShares{Trader: who.String(), MarketId: id, Outcome: outcome,
			Shares: math.NewInt(shares), MinProceeds: math.ZeroInt()})
	})
	require.NoError(t, err)
	f.checkInvariants(t)
	return res
}

func (f *fixture) redeem(t testing.TB, who sdk.AccAddress, id uint64) math.Int {
	t.Helper()
	res, err := exec(f, func(ctx sdk.Context) (*types.MsgRedeemResponse, error) {
		return f.msg.Redeem(ctx, &types.MsgRedeem{Owner: who.String(), MarketId: id})
	})
	require.NoError(t, err)
	f.checkInvariants(t)
	return res.Payout
}

func (f *fixture) checkInvariants(t testing.TB) {
	t.Helper()
	msg, broken := keeper.AllInvariants(f.k)(f.ctx)
	require.False(t, broken, msg)
}

// finalize reports standings to the market as x/evaluation would.
func (f *fixture) finalize(t testing.TB, m types.Market, correct ...uint64) {
	t.Helper()
	standings := make([]evaluationtypes.Standing, len(m.ModelIds))
	for i, id := range m.ModelIds {
		standings[i] = evaluationtypes.Standing{ModelId: id, Correct: correct[i], Items: 20}
	}
	for i := range standings {
		rank := uint32(1)
		for j := range standings {
			if standings[j].Correct > standings[i].Correct {
				rank++
			}
		}
		standings[i].Rank = rank
	}
	_, err := exec(f, func(ctx sdk.Context) (struct{}, error) {
		return struct{}{}, f.k.Hooks().AfterEvaluationFinalized(ctx, m.EvaluationId, standings)
	})
	require.NoError(t, err)
	f.checkInvariants(t)
}

// total is every tracked account's and module's collateral together
// (x/evaluation holds the reporters' share of the protocol fees).
func (f *fixture) total() math.Int {
	sum := math.ZeroInt()
	for _, a := range []sdk.AccAddress{f.alice, f.bob, f.carol, communityPool, f.k.ModuleAddress(),
		authtypes.NewModuleAddress(evaluationtypes.ModuleName)} {
		sum = sum.Add(f.balance(a))
	}
	return sum
}
