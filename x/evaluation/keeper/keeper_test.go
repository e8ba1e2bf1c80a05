package keeper_test

import (
	"strings"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	delphiruntime "github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/testutil/evalsim"
	"github.com/delphi-network/delphi/testutil/fakebank"
	"github.com/delphi-network/delphi/x/evaluation/keeper"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

type fixture struct {
	ctx       sdk.Context
	k         keeper.Keeper
	msg       types.MsgServer
	q         types.QueryServer
	bank      fakebank.Bank
	authority string
	alice     string
	bob       string
	// sim plays four validators of power 25 (see testutil/evalsim).
	sim *evalsim.Sim
}

func addr(seed string) string {
	return sdk.AccAddress([]byte(strings.Repeat(seed, 20)[:20])).String()
}

func newFixture(t *testing.T) *fixture { return newFixtureTB(t) }

// newFixtureTB is the real keeper on a real store at height 100, with a
// bank whose balances live in the same store (fakebank), alice and bob
// funded, and four simulated validators. deps adds keepers (staking,
// slashing, distribution) a test needs.
func newFixtureTB(t testing.TB, deps ...func(*types.Dependencies)) *fixture {
	t.Helper()
	key, bankKey := storetypes.NewKVStoreKey(types.StoreKey), storetypes.NewKVStoreKey("bank")
	ctx := testutil.DefaultContextWithKeys(map[string]*storetypes.KVStoreKey{types.StoreKey: key, "bank": bankKey}, nil, nil).
		WithBlockHeight(100)
	reg := codectypes.NewInterfaceRegistry()
	types.RegisterInterfaces(reg)
	cdc := codec.NewProtoCodec(reg)
	bank := fakebank.Bank{Key: bankKey}
	authority := authtypes.NewModuleAddress("gov").String()
	f := &fixture{bank: bank, authority: authority, alice: addr("a"), bob: addr("b")}
	d := types.Dependencies{Bank: bank}
	for _, dep := range deps {
		dep(&d)
	}
	f.k = keeper.NewKeeper(cdc, runtime.NewKVStoreService(key), d, authority)
	gs := types.DefaultGenesis()
	// Tight windows, so tests read in few blocks: seeds 3 blocks ahead,
	// reveals for 3 blocks after a commit window closes, finalization 3
	// blocks after the last round is final (the shortest the params allow).
	gs.Params.SeedLeadBlocks, gs.Params.RevealWindowBlocks, gs.Params.ChallengeWindowBlocks = 3, 3, 3
	gs.Params.RoundTimeoutBlocks = 12
	require.NoError(t, f.k.InitGenesis(ctx, *gs))
	for _, a := range []string{f.alice, f.bob} {
		for _, d := range []string{"udelphi", "uusdc"} {
			bank.SetBalance(ctx, sdk.MustAccAddressFromBech32(a), d, math.NewInt(1_000_000_000_000))
		}
	}
	f.ctx, f.msg, f.q = ctx, keeper.NewMsgServerImpl(f.k), keeper.NewQueryServerImpl(f.k)
	f.sim = evalsim.New(&f.k, 4)
	return f
}

// balance is an account's balance of a denom.
func (f *fixture) balance(a string, denom string) math.Int {
	return f.bank.Balance(f.ctx, sdk.MustAccAddressFromBech32(a), denom)
}

// moduleBalance is x/evaluation's account's balance of a denom.
func (f *fixture) moduleBalance(denom string) math.Int {
	return f.bank.Balance(f.ctx, authtypes.NewModuleAddress(types.ModuleName), denom)
}

const hashA = "0d715376572e8983a7c6e8d0e0a5b1d2f1e3c4b5a6978877665544332211aabb"

func (f *fixture) benchmark(t testing.TB, name string) uint64 {
	t.Helper()
	res, err := f.msg.RegisterBenchmark(f.ctx, &types.MsgRegisterBenchmark{
		Registrant: f.authority, Name: name, Task: "image-classification", Metric: "accuracy",
		DatasetSha256: hashA, ItemRoot: hashA, DatasetUris: []string{"file:///data/" + name}, ItemCount: 10_000,
	})
	require.NoError(t, err)
	return res.Id
}

func (f *fixture) model(t testing.TB, owner, name string) uint64 {
	t.Helper()
	res, err := f.msg.RegisterModel(f.ctx, validModel(owner, name))
	require.NoError(t, err)
	return res.Id
}

func validModel(owner, name string) *types.MsgRegisterModel {
	return &types.MsgRegisterModel{
		Owner: owner, Name: name, Format: "onnx", WeightsSha256: hashA, WeightsRoot: hashA,
		ArtifactUris: []string{"https://models.example/" + name + ".onnx"}, SystemPrompt: "",
		RefereeStepBytes: 100_000, RefereeStepFlops: 1_000_000,
	}
}

func TestRegisterBenchmark(t *testing.T) {
	f := newFixture(t)
	id := f.benchmark(t, "mnist")
	require.Equal(t, uint64(1), id)
	got, err := f.q.Benchmark(f.ctx, &types.QueryBenchmarkRequest{Id: id})
	require.NoError(t, err)
	require.Equal(t, "mnist", got.Benchmark.Name)
	require.Equal(t, f.authority, got.Benchmark.Registrant)
	require.True(t, f.moduleBalance("udelphi").IsZero(), "the authority pays no deposit")

	valid := func() *types.MsgRegisterBenchmark {
		return &types.MsgRegisterBenchmark{Registrant: f.authority, Name: "fashion-mnist", Task: "t", Metric: "accuracy",
			DatasetSha256: hashA, ItemRoot: hashA, DatasetUris: []string{"https://data.example/f.gz"}, ItemCount: 10}
	}
	for name, tc := range map[string]struct {
		mutate func(*types.MsgRegisterBenchmark)
		want   error
	}{
		"duplicate name":     {func(m *types.MsgRegisterBenchmark) { m.Name = "mnist" }, types.ErrBenchmarkExists},
		"uppercase name":     {func(m *types.MsgRegisterBenchmark) { m.Name = "MNIST" }, types.ErrInvalidBenchmark},
		"empty task":         {func(m *types.MsgRegisterBenchmark) { m.Task = "" }, types.ErrInvalidBenchmark},
		"short hash":         {func(m *types.MsgRegisterBenchmark) { m.DatasetSha256 = "abcd" }, types.ErrInvalidBenchmark},
		"uppercase hash":     {func(m *types.MsgRegisterBenchmark) { m.DatasetSha256 = strings.ToUpper(hashA) }, types.ErrInvalidBenchmark},
		"no uris":            {func(m *types.MsgRegisterBenchmark) { m.DatasetUris = nil }, types.ErrInvalidURI},
		"ftp uri":            {func(m *types.MsgRegisterBenchmark) { m.DatasetUris = []string{"ftp://x/y"} }, types.ErrInvalidURI},
		"too many uris":      {func(m *types.MsgRegisterBenchmark) { m.DatasetUris = make([]string, 9) }, types.ErrInvalidURI},
		"zero items":         {func(m *types.MsgRegisterBenchmark) { m.ItemCount = 0 }, types.ErrInvalidBenchmark},
		"garbled registrant": {func(m *types.MsgRegisterBenchmark) { m.Registrant = "delphi1nope" }, types.ErrInvalidAddress},
		"not the authority":  {func(m *types.MsgRegisterBenchmark) { m.Registrant = f.alice }, types.ErrUnauthorized},
	} {
		t.Run(name, func(t *testing.T) {
			m := valid()
			tc.mutate(m)
			_, err := f.msg.RegisterBenchmark(f.ctx, m)
			require.ErrorIs(t, err, tc.want)
		})
	}
	all, err := f.q.Benchmarks(f.ctx, &types.QueryBenchmarksRequest{})
	require.NoError(t, err)
	require.Len(t, all.Benchmarks, 1, "failed registrations leave no state")
}

func TestPermissionlessBenchmarkTakesDeposit(t *testing.T) {
	f := newFixture(t)
	params := types.DefaultParams()
	params.PermissionlessBenchmarks = true
	_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: params})
	require.NoError(t, err)

	m := &types.MsgRegisterBenchmark{Registrant: f.alice, Name: "iris", Task: "tabular-classification", Metric: "accuracy",
		DatasetSha256: hashA, ItemRoot: hashA, DatasetUris: []string{"file:///iris.csv"}, ItemCount: 150}
	_, err = f.msg.RegisterBenchmark(f.ctx, m)
	require.NoError(t, err)
	require.Equal(t, params.BenchmarkDeposit.AmountOf("udelphi"), f.moduleBalance("udelphi"))

	m.Registrant, m.Name = addr("c"), "wine" // carol has nothing
	_, err = f.msg.RegisterBenchmark(f.ctx, m)
	require.ErrorContains(t, err, "insufficient funds")
	_, err = f.k.BenchmarkByName.Get(f.ctx, "wine")
	require.Error(t, err, "no benchmark without its deposit")
}

func TestRegisterModelAndUpdateURIs(t *testing.T) {
	f := newFixture(t)
	id := f.model(t, f.alice, "zoo-cnn")
	for name, tc := range map[string]struct {
		mutate func(*types.MsgRegisterModel)
		want   error
	}{
		"bad format":       {func(m *types.MsgRegisterModel) { m.Format = "pytorch" }, types.ErrInvalidModel},
		"bad weights hash": {func(m *types.MsgRegisterModel) { m.WeightsSha256 = "zz" }, types.ErrInvalidModel},
		"missing root":     {func(m *types.MsgRegisterModel) { m.WeightsRoot = "" }, types.ErrInvalidModel},
		"bad record hash":  {func(m *types.MsgRegisterModel) { m.TrainingRecordHash = "123" }, types.ErrInvalidModel},
		"huge prompt":      {func(m *types.MsgRegisterModel) { m.SystemPrompt = strings.Repeat("x", types.MaxSystemPromptLen+1) }, types.ErrInvalidModel},
		"uri without host": {func(m *types.MsgRegisterModel) { m.ArtifactUris = []string{"https:///x"} }, types.ErrInvalidURI},
		"overlong uri":     {func(m *types.MsgRegisterModel) { m.ArtifactUris = []string{"https://h/" + strings.Repeat("a", 600)} }, types.ErrInvalidURI},
		"garbled owner":    {func(m *types.MsgRegisterModel) { m.Owner = "" }, types.ErrInvalidAddress},
	} {
		t.Run(name, func(t *testing.T) {
			m := validModel(f.alice, "other")
			tc.mutate(m)
			_, err := f.msg.RegisterModel(f.ctx, m)
			require.ErrorIs(t, err, tc.want)
		})
	}

	newURIs := []string{"file:///models/zoo.onnx"}
	_, err := f.msg.UpdateModelURIs(f.ctx, &types.MsgUpdateModelURIs{Owner: f.bob, ModelId: id, ArtifactUris: newURIs})
	require.ErrorIs(t, err, types.ErrNotModelOwner)
	_, err = f.msg.UpdateModelURIs(f.ctx, &types.MsgUpdateModelURIs{Owner: f.alice, ModelId: 99, ArtifactUris: newURIs})
	require.ErrorIs(t, err, types.ErrModelNotFound)
	_, err = f.msg.UpdateModelURIs(f.ctx, &types.MsgUpdateModelURIs{Owner: f.alice, ModelId: id, ArtifactUris: newURIs})
	require.NoError(t, err)
	got, err := f.q.Model(f.ctx, &types.QueryModelRequest{Id: id})
	require.NoError(t, err)
	require.Equal(t, newURIs, got.Model.ArtifactUris)
	require.Equal(t, hashA, got.Model.WeightsSha256, "the artifact's identity never changes")
}

func TestCreateEvaluation(t *testing.T) {
	f := newFixture(t)
	bench := f.benchmark(t, "mnist")
	m1, m2 := f.model(t, f.alice, "a"), f.model(t, f.bob, "b")
	valid := func() *types.MsgCreateEvaluation {
		return &types.MsgCreateEvaluation{Creator: f.alice, BenchmarkId: bench, ModelIds: []uint64{m1, m2},
			Rounds: 5, ItemsPerRound: 100, BlocksBetweenRounds: 3, StartDelay: 2, DeadlineBlocks: 20}
	}
	before := f.balance(f.alice, "udelphi")
	res, err := f.msg.CreateEvaluation(f.ctx, valid())
	require.NoError(t, err)
	// Round 0 is drawn at the first height whose seed validators can
	// commit to: start_delay 2 is less than the seed lead of 3.
	require.Equal(t, int64(100+types.MinSeedLead), res.StartHeight)
	e, err := f.q.Evaluation(f.ctx, &types.QueryEvaluationRequest{Id: res.Id})
	require.NoError(t, err)
	require.Equal(t, types.EVALUATION_STATUS_SCHEDULED, e.Evaluation.Status)
	require.Equal(t, int64(103+4*3+20), e.Evaluation.DeadlineHeight)
	// It records the runtime version in force, which it keeps.
	require.Equal(t, delphiruntime.Version, e.Evaluation.RuntimeVersion)
	// The deposit is sized to the work: 100 udelphi × 2 models × 5 rounds
	// × 100 items.
	require.Equal(t, "100000udelphi", e.Evaluation.Deposit.String())
	require.Equal(t, before.SubRaw(100_000), f.balance(f.alice, "udelphi"))
	require.Equal(t, math.NewInt(100_000), f.moduleBalance("udelphi"))

	// More than the minimum buys priority; less is refused.
	more := valid()
	more.Deposit = sdk.NewCoins(sdk.NewInt64Coin("udelphi", 250_000))
	res2, err := f.msg.CreateEvaluation(f.ctx, more)
	require.NoError(t, err)
	e2, err := f.k.Evaluations.Get(f.ctx, res2.Id)
	require.NoError(t, err)
	require.Equal(t, "250000udelphi", e2.Deposit.String())

	// Params from before runtime_version (0) give version 1, recorded
	// explicitly.
	p, err := f.k.Params.Get(f.ctx)
	require.NoError(t, err)
	p.RuntimeVersion = 0
	require.NoError(t, f.k.Params.Set(f.ctx, p))
	res3, err := f.msg.CreateEvaluation(f.ctx, valid())
	require.NoError(t, err)
	e3, err := f.k.Evaluations.Get(f.ctx, res3.Id)
	require.NoError(t, err)
	require.Equal(t, uint32(1), e3.RuntimeVersion)

	for name, tc := range map[string]struct {
		mutate func(*types.MsgCreateEvaluation)
		want   error
	}{
		"unknown benchmark":   {func(m *types.MsgCreateEvaluation) { m.BenchmarkId = 9 }, types.ErrBenchmarkNotFound},
		"one model":           {func(m *types.MsgCreateEvaluation) { m.ModelIds = []uint64{m1} }, types.ErrInvalidEvaluation},
		"duplicate model":     {func(m *types.MsgCreateEvaluation) { m.ModelIds = []uint64{m1, m1} }, types.ErrInvalidEvaluation},
		"unknown model":       {func(m *types.MsgCreateEvaluation) { m.ModelIds = []uint64{m1, 77} }, types.ErrModelNotFound},
		"zero rounds":         {func(m *types.MsgCreateEvaluation) { m.Rounds = 0 }, types.ErrInvalidEvaluation},
		"too many rounds":     {func(m *types.MsgCreateEvaluation) { m.Rounds = 101 }, types.ErrInvalidEvaluation},
		"too many items":      {func(m *types.MsgCreateEvaluation) { m.ItemsPerRound = 1001 }, types.ErrInvalidEvaluation},
		"rounds too close":    {func(m *types.MsgCreateEvaluation) { m.BlocksBetweenRounds = 1 }, types.ErrInvalidEvaluation},
		"no start delay":      {func(m *types.MsgCreateEvaluation) { m.StartDelay = 0 }, types.ErrInvalidEvaluation},
		"no deadline":         {func(m *types.MsgCreateEvaluation) { m.DeadlineBlocks = 0 }, types.ErrInvalidEvaluation},
		"overflowing delay":   {func(m *types.MsgCreateEvaluation) { m.StartDelay = 1 << 63 }, types.ErrInvalidEvaluation},
		"overflowing spacing": {func(m *types.MsgCreateEvaluation) { m.BlocksBetweenRounds = 1<<64 - 1 }, types.ErrInvalidEvaluation},
		"deposit too small": {func(m *types.MsgCreateEvaluation) {
			m.Deposit = sdk.NewCoins(sdk.NewInt64Coin("udelphi", 99_999))
		}, types.ErrInvalidEvaluation},
		"deposit in another denom": {func(m *types.MsgCreateEvaluation) {
			m.Deposit = sdk.NewCoins(sdk.NewInt64Coin("uusdc", 1_000_000))
		}, types.ErrInvalidEvaluation},
		"creator cannot pay": {func(m *types.MsgCreateEvaluation) { m.Creator = addr("c") }, types.ErrInsufficientDeposit},
	} {
		t.Run(name, func(t *testing.T) {
			m := valid()
			tc.mutate(m)
			_, err := f.msg.CreateEvaluation(f.ctx, m)
			require.ErrorIs(t, err, tc.want)
		})
	}
	// More items per round than the benchmark has.
	small, err := f.msg.RegisterBenchmark(f.ctx, &types.MsgRegisterBenchmark{Registrant: f.authority, Name: "iris",
		Task: "t", Metric: "accuracy", DatasetSha256: hashA, ItemRoot: hashA, DatasetUris: []string{"file:///i"}, ItemCount: 50})
	require.NoError(t, err)
	m := valid()
	m.BenchmarkId = small.Id
	_, err = f.msg.CreateEvaluation(f.ctx, m)
	require.ErrorIs(t, err, types.ErrInvalidEvaluation)
}

func TestUpdateParams(t *testing.T) {
	f := newFixture(t)
	p := types.DefaultParams()
	p.MaxModels = 1
	_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
	require.ErrorIs(t, err, types.ErrInvalidParams)
	p = types.DefaultParams()
	_, err = f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.alice, Params: p})
	require.ErrorIs(t, err, types.ErrUnauthorized)
	p.BenchmarkDeposit = sdk.Coins{sdk.Coin{Denom: "udelphi", Amount: math.NewInt(-1)}}
	_, err = f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
	require.ErrorIs(t, err, types.ErrInvalidParams)

	// Accepted params are stored and announced.
	p = types.DefaultParams()
	p.MaxModels = 9
	ctx := f.ctx.WithEventManager(sdk.NewEventManager())
	_, err = f.msg.UpdateParams(ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
	require.NoError(t, err)
	stored, err := f.k.Params.Get(ctx)
	require.NoError(t, err)
	require.Equal(t, p, stored)
	evs := ctx.EventManager().Events()
	require.Len(t, evs, 1)
	ev, err := sdk.ParseTypedEvent(abci.Event(evs[0]))
	require.NoError(t, err)
	require.Equal(t, &types.EventParamsUpdated{Authority: f.authority, Params: p}, ev)
}

func TestGenesisRoundTripAndPagination(t *testing.T) {
	f := newFixture(t)
	f.benchmark(t, "mnist")
	for i := 0; i < 5; i++ {
		f.model(t, f.alice, "m"+string(rune('a'+i)))
	}
	_, err := f.msg.CreateEvaluation(f.ctx, &types.MsgCreateEvaluation{Creator: f.bob, BenchmarkId: 1, ModelIds: []uint64{1, 2, 3},
		Rounds: 2, ItemsPerRound: 10, BlocksBetweenRounds: 2, StartDelay: 1, DeadlineBlocks: 8})
	require.NoError(t, err)

	page, err := f.q.Models(f.ctx, &types.QueryModelsRequest{Pagination: &query.PageRequest{Limit: 2, CountTotal: true}})
	require.NoError(t, err)
	require.Len(t, page.Models, 2)
	require.Equal(t, uint64(5), page.Pagination.Total)
	require.Equal(t, uint64(1), page.Models[0].Id, "listed in id order")

	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, gs.Validate())
	require.Equal(t, uint64(6), gs.NextModelId)

	g := newFixture(t)
	require.NoError(t, g.k.InitGenesis(g.ctx, *gs))
	again, err := g.k.ExportGenesis(g.ctx)
	require.NoError(t, err)
	require.Equal(t, gs, again)
	// Ids continue after the imported ones.
	require.Equal(t, uint64(6), g.model(t, g.alice, "next"))

	bad := *gs
	bad.Evaluations = append([]types.Evaluation(nil), gs.Evaluations...)
	bad.Evaluations[0].ModelIds = []uint64{1, 42}
	require.ErrorContains(t, bad.Validate(), "unknown model 42")
}
