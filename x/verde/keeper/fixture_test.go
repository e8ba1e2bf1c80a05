package keeper_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/crypto/keys/ed25519"
	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/delphi-network/delphi/evaluator/player"
	drt "github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
	"github.com/delphi-network/delphi/runtime/train"
	"github.com/delphi-network/delphi/testutil/evalsim"
	evaluationkeeper "github.com/delphi-network/delphi/x/evaluation/keeper"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/verde/keeper"
	"github.com/delphi-network/delphi/x/verde/types"
)

// fakeStaking and fakeSlashing stand in for x/staking and x/slashing and
// record what the dispute did to whom; they and the bank are the only
// mocks: x/evaluation and x/verde are the real keepers on a real store, and
// the traces come from real runs of a trained model on iris.
type fakeStaking struct {
	vals map[string]stakingtypes.Validator
}

func (s *fakeStaking) ValidatorByConsAddr(_ context.Context, a sdk.ConsAddress) (stakingtypes.ValidatorI, error) {
	v, ok := s.vals[a.String()]
	if !ok {
		return nil, fmt.Errorf("no validator %s", a)
	}
	return v, nil
}

func (s *fakeStaking) Validator(_ context.Context, a sdk.ValAddress) (stakingtypes.ValidatorI, error) {
	for _, v := range s.vals {
		if v.OperatorAddress == a.String() {
			return v, nil
		}
	}
	return nil, fmt.Errorf("no validator %s", a)
}

func (s *fakeStaking) PowerReduction(context.Context) math.Int { return sdk.DefaultPowerReduction }

type fakeSlashing struct {
	slashed []string
	jailed  []string
	staking *fakeStaking
	// refuse makes Slash fail for these consensus addresses (hex).
	refuse map[string]bool
}

// Slash refuses an unbonded validator as x/staking does ("should not be
// slashing unbonded validator"), and the validators in refuse.
func (s *fakeSlashing) Slash(_ context.Context, a sdk.ConsAddress, f math.LegacyDec, _, _ int64) error {
	if v, ok := s.staking.vals[a.String()]; ok && v.IsUnbonded() {
		return fmt.Errorf("should not be slashing unbonded validator: %s", v.OperatorAddress)
	}
	if s.refuse[hex.EncodeToString(a)] {
		return fmt.Errorf("slashing refused for %s", a)
	}
	s.slashed = append(s.slashed, hex.EncodeToString(a))
	return nil
}

func (s *fakeSlashing) Jail(_ context.Context, a sdk.ConsAddress) error {
	s.jailed = append(s.jailed, hex.EncodeToString(a))
	v := s.staking.vals[a.String()]
	v.Jailed = true
	s.staking.vals[a.String()] = v
	return nil
}

type fixture struct {
	ctx        sdk.Context
	k          keeper.Keeper
	msg        types.MsgServer
	q          types.QueryServer
	ek         *evaluationkeeper.Keeper
	slashing   *fakeSlashing
	staking    *fakeStaking
	bank       *fakeBank
	validators [][]byte // consensus addresses
	operators  []sdk.AccAddress
	submitter  string
	evaluation uint64
	honest     player.Run
	twin       uint64 // the score every validator reports for model 2
	correct    uint64 // the honest run's score (its last leaf)
	// sim plays the four validators' vote extensions (seeds, commitments,
	// reveals) through x/evaluation's real consensus path.
	sim *evalsim.Sim
	// keys are the two modules' stores (reimport wipes and rebuilds them).
	keys map[string]*storetypes.KVStoreKey
}

// newFixture registers iris and a trained MLP, schedules a one-round
// evaluation of 8 items, opens the round and runs it honestly.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	raw, _, err := train.Train(train.DefaultConfig("mlp", "iris"))
	require.NoError(t, err)
	return newFixtureWith(t, "iris", raw, 8)
}

// newFixtureWith is newFixture for any benchmark, model artifact and round
// size.
func newFixtureWith(t testing.TB, data string, raw []byte, items uint32) *fixture {
	t.Helper()
	return newFixtureDeclaring(t, data, raw, items, nil)
}

// newFixtureDeclaring is newFixtureWith with the models registered at the
// referee step declare returns from the smallest one (nil: the smallest),
// the honest run's leaves grouped as that declaration allows.
func newFixtureDeclaring(t testing.TB, data string, raw []byte, items uint32, declare func(least drt.RefereeStep) drt.RefereeStep) *fixture {
	t.Helper()
	f := newKeepers(t)
	ctx, authority := f.ctx, authtypes.NewModuleAddress("gov").String()
	ds, err := bench.Load(data)
	require.NoError(t, err, "benchmark data: run `make data`")
	m, err := drt.LoadModel(raw, drt.DefaultLimits())
	require.NoError(t, err)
	modelSum, weightsRoot := sha256.Sum256(raw), m.Weights().Root()
	step, err := m.RefereeStep()
	require.NoError(t, err)
	if declare != nil {
		step = declare(step)
	}
	m, err = m.AtVersionDeclared(drt.Version, step)
	require.NoError(t, err)
	sum, itemRoot := ds.SHA256(), ds.ItemRoot()
	emsg := evaluationkeeper.NewMsgServerImpl(*f.ek)
	_, err = emsg.RegisterBenchmark(ctx, &evaluationtypes.MsgRegisterBenchmark{Registrant: authority, Name: data,
		Task: "tabular-classification", Metric: "accuracy", DatasetSha256: hex.EncodeToString(sum[:]),
		ItemRoot: hex.EncodeToString(itemRoot[:]), DatasetUris: []string{"file:///iris"}, ItemCount: uint64(ds.Len())})
	require.NoError(t, err)
	for _, name := range []string{"mlp", "twin"} {
		_, err = emsg.RegisterModel(ctx, &evaluationtypes.MsgRegisterModel{Owner: f.submitter, Name: data + "-" + name,
			Format: "onnx", WeightsSha256: hex.EncodeToString(modelSum[:]), WeightsRoot: hex.EncodeToString(weightsRoot[:]),
			ArtifactUris: []string{"file:///m.onnx"}, RefereeStepBytes: uint64(step.Bytes), RefereeStepFlops: uint64(step.FLOPs)})
		require.NoError(t, err)
	}
	picked := f.startEvaluation(t, items, ds.Len())
	res, err := m.Evaluate(ds, picked, drt.EvalOptions{Trace: true})
	require.NoError(t, err)
	f.honest = player.Run{Trace: res.Trace, Artifact: raw, Model: m, Dataset: ds, Items: picked}
	f.correct = uint64(res.Correct)
	f.twin = f.correct
	return f
}

// startEvaluation schedules a one-round evaluation of models 1 and 2 on
// benchmark 1, opens its round and returns the round's items.
func (f *fixture) startEvaluation(t testing.TB, items uint32, total int) []int {
	t.Helper()
	emsg := evaluationkeeper.NewMsgServerImpl(*f.ek)
	e, err := emsg.CreateEvaluation(f.ctx, &evaluationtypes.MsgCreateEvaluation{Creator: f.submitter, BenchmarkId: 1,
		ModelIds: []uint64{1, 2}, Rounds: 1, ItemsPerRound: items, BlocksBetweenRounds: 2, StartDelay: 1, DeadlineBlocks: 40})
	require.NoError(t, err)
	f.evaluation = e.Id
	f.ctx = f.sim.Until(t, f.ctx, 10, func(ctx sdk.Context) bool {
		r, err := f.ek.GetRound(ctx, e.Id, 0)
		return err == nil && r.Status == evaluationtypes.ROUND_STATUS_OPEN
	})
	round, err := f.ek.GetRound(f.ctx, e.Id, 0)
	require.NoError(t, err)
	seed, err := hex.DecodeString(round.Seed)
	require.NoError(t, err)
	picked, err := bench.Select(seed, int(items), total)
	require.NoError(t, err)
	return picked
}

// newKeepers is x/evaluation and x/verde on a fresh store at height 100,
// with four bonded validators of equal power.
func newKeepers(t testing.TB) *fixture {
	t.Helper()
	keys := storetypes.NewKVStoreKeys(types.StoreKey, evaluationtypes.StoreKey)
	ctx := testutil.DefaultContextWithKeys(keys, nil, nil).WithBlockHeight(100)
	reg := codectypes.NewInterfaceRegistry()
	types.RegisterInterfaces(reg)
	evaluationtypes.RegisterInterfaces(reg)
	cdc := codec.NewProtoCodec(reg)
	authority := authtypes.NewModuleAddress("gov").String()
	f := &fixture{ctx: ctx, staking: &fakeStaking{vals: map[string]stakingtypes.Validator{}},
		bank: &fakeBank{sent: map[string]sdk.Coins{}}, keys: keys, submitter: sdk.AccAddress("submitter___________").String()}
	f.slashing = &fakeSlashing{staking: f.staking}
	for i := 0; i < 4; i++ {
		pk := ed25519.GenPrivKeyFromSecret([]byte{byte(i)}).PubKey()
		op := sdk.AccAddress(fmt.Sprintf("operator%012d", i))
		v, err := stakingtypes.NewValidator(sdk.ValAddress(op).String(), pk, stakingtypes.Description{})
		require.NoError(t, err)
		v.Status, v.Tokens = stakingtypes.Bonded, sdk.TokensFromConsensusPower(25, sdk.DefaultPowerReduction)
		f.staking.vals[sdk.ConsAddress(pk.Address()).String()] = v
		f.validators = append(f.validators, pk.Address())
		f.operators = append(f.operators, op)
	}

	ek := evaluationkeeper.NewKeeper(cdc, runtime.NewKVStoreService(keys[evaluationtypes.StoreKey]),
		evaluationtypes.Dependencies{Bank: f.bank}, authority)
	f.ek = &ek
	f.sim = evalsim.NewWith(f.ek, f.validators)
	f.k = keeper.NewKeeper(cdc, runtime.NewKVStoreService(keys[types.StoreKey]), f.ek, f.staking, f.slashing, f.bank, f.bank, authority)
	f.ek.SetDisputeKeeper(f.k)
	egs := evaluationtypes.DefaultGenesis()
	egs.Params.SeedLeadBlocks, egs.Params.RevealWindowBlocks, egs.Params.ChallengeWindowBlocks = 3, 3, 3
	require.NoError(t, f.ek.InitGenesis(ctx, *egs))
	require.NoError(t, f.k.InitGenesis(ctx, *types.DefaultGenesis()))
	f.msg, f.q = keeper.NewMsgServerImpl(f.k), keeper.NewQueryServerImpl(f.k)
	// x/verde's BeginBlocker runs between the PreBlocker and x/evaluation's.
	f.sim.BeginBlock = func(ctx sdk.Context) { require.NoError(t, f.k.BeginBlocker(ctx)) }

	p, err := f.ek.Params.Get(ctx)
	require.NoError(t, err)
	p.MaxItemsPerRound = 10_000
	require.NoError(t, f.ek.Params.Set(ctx, p))
	return f
}

// liar is the honest run with operator output k falsified.
func (f *fixture) liar(k int) player.Run {
	r := f.honest
	r.Trace = player.Perturb(f.honest.Trace, k)
	return r
}

// beginBlock runs blocks, at least one, until height h: each one's
// PreBlocker processes the validators' extensions, then x/verde's and
// x/evaluation's BeginBlockers run.
func (f *fixture) beginBlock(t testing.TB, h int64) {
	t.Helper()
	f.ctx = f.sim.Block(t, f.ctx)
	for f.ctx.BlockHeight() < h {
		f.ctx = f.sim.Block(t, f.ctx)
	}
}

// claim is what one validator reports for round 0: model 1's result from
// a run, model 2's the honest twin (unless onlyModel1).
type claim struct {
	val        int
	model1     player.Run
	correct    uint64
	onlyModel1 bool
}

// vote is validator val's claim with model 1's result from run.
func (f *fixture) vote(val int, model1 player.Run, correct uint64) claim {
	return claim{val: val, model1: model1, correct: correct}
}

// tally has each validator report its claim about the current attempt of
// round 0 (a validator without one reports nothing) and runs blocks
// through the commitments and the reveals until the results are final
// (disputes about dissenting claims are open then), or the reveal window
// ends.
func (f *fixture) tally(t testing.TB, claims ...claim) {
	t.Helper()
	round, err := f.ek.GetRound(f.ctx, f.evaluation, 0)
	require.NoError(t, err)
	leaves := uint64(f.honest.Trace.Len())
	root := func(r player.Run) []byte { h := r.Trace.Root(); return h[:] }
	f.tallyWith(t, round.Attempt, func(i int, m uint64) *evaluationtypes.RoundResult {
		for _, c := range claims {
			switch {
			case c.val != i:
			case m == 1:
				return &evaluationtypes.RoundResult{Correct: c.correct, TraceRoot: root(c.model1), Leaves: leaves}
			case !c.onlyModel1:
				return &evaluationtypes.RoundResult{Correct: f.twin, TraceRoot: root(f.honest), Leaves: leaves}
			}
		}
		return nil
	})
}

// tallyWith has validator i report result(i, model) for the given attempt
// of round 0 (nil: nothing) and runs blocks as tally does.
func (f *fixture) tallyWith(t testing.TB, attempt uint32, result func(i int, m uint64) *evaluationtypes.RoundResult) {
	t.Helper()
	f.sim.Results = f.sim.Claims(func(i int, r evaluationtypes.Round, m uint64) *evaluationtypes.RoundResult {
		if r.EvaluationId != f.evaluation || r.Round != 0 || r.Attempt != attempt {
			return nil
		}
		return result(i, m)
	})
	for i := 0; i < 12; i++ {
		f.ctx = f.sim.Block(t, f.ctx)
		r, err := f.ek.GetRound(f.ctx, f.evaluation, 0)
		require.NoError(t, err)
		if _, err := f.ek.GetResult(f.ctx, f.evaluation, 0, 1); err == nil || (r.RevealEndHeight > 0 && f.ctx.BlockHeight() >= r.RevealEndHeight) {
			return
		}
	}
}

// exec runs a message as baseapp does: writes land only on success.
func exec[T any](f *fixture, run func(ctx sdk.Context) (T, error)) (T, error) {
	cache, write := f.ctx.CacheContext()
	res, err := run(cache)
	if err == nil {
		write()
	}
	return res, err
}

func (f *fixture) dispute(t testing.TB, id uint64) types.Dispute {
	t.Helper()
	d, err := f.k.Disputes.Get(f.ctx, id)
	require.NoError(t, err)
	return d
}

// deliver sends a move of the game through the message server.
func (f *fixture) deliver(t testing.TB, m sdk.Msg) error {
	t.Helper()
	_, err := deliverMetered(f, m)
	return err
}

// deliverMetered delivers a move under a gas meter, as a transaction would
// run it, and returns the gas its handler used.
func deliverMetered(f *fixture, m sdk.Msg) (uint64, error) {
	var used uint64
	_, err := exec(f, func(ctx sdk.Context) (any, error) {
		ctx = ctx.WithGasMeter(storetypes.NewInfiniteGasMeter())
		defer func() { used = ctx.GasMeter().GasConsumed() }()
		switch msg := m.(type) {
		case *types.MsgBisect:
			return f.msg.Bisect(ctx, msg)
		case *types.MsgSubmitOperatorInputs:
			return f.msg.SubmitOperatorInputs(ctx, msg)
		case *types.MsgChallenge:
			return f.msg.Challenge(ctx, msg)
		}
		return nil, fmt.Errorf("unexpected %T", m)
	})
	return used, err
}

// play lets both sides make every move they owe, one block per round of
// moves, until the dispute ends; it returns the number of blocks with moves.
func (f *fixture) play(t testing.TB, id uint64, claimant, challenger player.Run) int {
	t.Helper()
	steps := 0
	for h := f.ctx.BlockHeight() + 1; ; h++ {
		d := f.dispute(t, id)
		if d.Status != types.DISPUTE_STATUS_OPEN {
			return steps
		}
		steps++
		require.Less(t, steps, 64, "the game does not end")
		for _, side := range []struct {
			s   types.Side
			run player.Run
		}{{types.SIDE_CLAIMANT, claimant}, {types.SIDE_CHALLENGER, challenger}} {
			d := f.dispute(t, id)
			move, err := player.NextMove(f.submitter, d, side.s, side.run)
			require.NoError(t, err)
			if step, ok := move.(*types.MsgSubmitOperatorInputs); ok {
				// The step fits what the model's registration declared.
				m, err := f.ek.GetModel(f.ctx, d.ModelId)
				require.NoError(t, err)
				require.LessOrEqual(t, uint64(step.Size()), m.RefereeStepBytes, "a referee step larger than the model's declaration")
			}
			if move != nil {
				require.NoError(t, f.deliver(t, move), "%s move at phase %s", side.s, d.Phase)
			}
		}
		f.beginBlock(t, h)
	}
}
