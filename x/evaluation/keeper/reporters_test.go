package keeper_test

import (
	"context"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/crypto/keys/ed25519"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/delphi-network/delphi/testutil/fakebank"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// validatorSet stands in for x/staking, x/slashing and x/distribution and
// records what the keeper did to whom; x/evaluation is the real keeper.
type validatorSet struct {
	bonded    map[string]bool
	slashed   []string
	jailed    []string
	rewarded  map[string]sdk.DecCoins
	refuseAll bool
}

func newValidatorSet(f *fixture) *validatorSet {
	v := &validatorSet{bonded: map[string]bool{}, rewarded: map[string]sdk.DecCoins{}}
	for _, r := range f.sim.Validators {
		v.bonded[string(r.Address)] = true
	}
	return v
}

func (v *validatorSet) ValidatorByConsAddr(_ context.Context, a sdk.ConsAddress) (stakingtypes.ValidatorI, error) {
	bonded, ok := v.bonded[string(a)]
	if !ok {
		return nil, errors.New("no validator")
	}
	pk := ed25519.GenPrivKeyFromSecret(a).PubKey()
	val, err := stakingtypes.NewValidator(sdk.ValAddress(a).String(), pk, stakingtypes.Description{})
	if err != nil {
		return nil, err
	}
	val.Tokens = sdk.TokensFromConsensusPower(25, sdk.DefaultPowerReduction)
	if bonded {
		val.Status = stakingtypes.Bonded
	}
	return val, nil
}

func (v *validatorSet) PowerReduction(context.Context) math.Int { return sdk.DefaultPowerReduction }

func (v *validatorSet) Slash(_ context.Context, a sdk.ConsAddress, _ math.LegacyDec, _, _ int64) error {
	if v.refuseAll {
		return errors.New("should not be slashing unbonded validator")
	}
	v.slashed = append(v.slashed, hex.EncodeToString(a))
	return nil
}

func (v *validatorSet) Jail(_ context.Context, a sdk.ConsAddress) error {
	v.jailed = append(v.jailed, hex.EncodeToString(a))
	v.bonded[string(a)] = false
	return nil
}

func (v *validatorSet) AllocateTokensToValidator(_ context.Context, val stakingtypes.ValidatorI, tokens sdk.DecCoins) error {
	v.rewarded[val.GetOperator()] = v.rewarded[val.GetOperator()].Add(tokens...)
	return nil
}

// newReportingFixture is the fixture with a validator set that can be
// penalised and rewarded (the community pool is fakebank's), and
// max_missed_rounds 3.
func newReportingFixture(t *testing.T) (*fixture, *validatorSet) {
	var vs *validatorSet
	var bank fakebank.Bank
	f := newFixtureTB(t, func(d *types.Dependencies) {
		vs = &validatorSet{bonded: map[string]bool{}, rewarded: map[string]sdk.DecCoins{}}
		bank = d.Bank.(fakebank.Bank)
		d.Staking, d.Slashing = vs, vs
		d.Distribution = rewardsTo{vs, bank}
	})
	for _, r := range f.sim.Validators {
		vs.bonded[string(r.Address)] = true
	}
	p, err := f.k.Params.Get(f.ctx)
	require.NoError(t, err)
	p.MaxMissedRounds = 3
	require.NoError(t, f.k.Params.Set(f.ctx, p))
	return f, vs
}

// rewardsTo is x/distribution: allocations recorded, the community pool a
// fakebank account.
type rewardsTo struct {
	*validatorSet
	bank fakebank.Bank
}

func (r rewardsTo) FundCommunityPool(ctx context.Context, amt sdk.Coins, from sdk.AccAddress) error {
	return r.bank.FundCommunityPool(ctx, amt, from)
}

// threeRounds schedules models 1 and 2 over three rounds, drawn at 103,
// 106 and 109.
func threeRounds(t *testing.T, f *fixture) uint64 {
	t.Helper()
	f.benchmark(t, "mnist")
	f.model(t, f.alice, "a")
	f.model(t, f.alice, "b")
	out, err := f.msg.CreateEvaluation(f.ctx, &types.MsgCreateEvaluation{Creator: f.bob, BenchmarkId: 1,
		ModelIds: []uint64{1, 2}, Rounds: 3, ItemsPerRound: 100, BlocksBetweenRounds: 3, StartDelay: 2, DeadlineBlocks: 50})
	require.NoError(t, err)
	return out.Id
}

// TestACopierEarnsNothingAndIsPenalised: validator 3 runs no evaluation. It
// reads what the others revealed in the last block and tries everything a
// copier can: reveal their results (with their salts) as its own, commit
// to them once it has seen them, and replay another validator's commitment
// to reveal that validator's result later. Nothing it says counts: each
// reveal is a fault, late commitments are refused, its name is on no
// result, the reward pool pays the three that evaluated, and after
// max_missed_rounds rounds without a report of its own it is slashed and
// jailed.
func TestACopierEarnsNothingAndIsPenalised(t *testing.T) {
	f, vs := newReportingFixture(t)
	id := threeRounds(t, f)
	f.honest(func(m uint64, r uint32) uint64 { return 40 + m + uint64(r) })
	copier := f.sim.Validators[3]
	honest := f.sim.Results
	f.sim.Results = func(ctx sdk.Context, i int, h int64) []*types.RoundResult {
		if i == 3 {
			return nil
		}
		return honest(ctx, i, h)
	}
	f.sim.Tamper = func(i int, h int64, ve *types.VoteExtension) {
		if i != 3 || len(f.sim.Pending()) == 0 {
			return
		}
		seen := f.sim.Pending()[0] // validator 0's extension, public in the last block
		for _, c := range seen.Commitments {
			dup := *c
			ve.Commitments = append(ve.Commitments, &dup) // its hash, replayed
		}
		for _, r := range seen.Reveals {
			dup := *r
			ve.Reveals = append(ve.Reveals, &dup)
			late := copier.Commit(&types.RoundResult{EvaluationId: r.EvaluationId, Round: r.Round, Attempt: r.Attempt,
				ModelId: r.ModelId, Correct: r.Correct, TraceRoot: r.TraceRoot, Leaves: r.Leaves})
			ve.Commitments = append(ve.Commitments, late)
		}
		dedup(ve)
	}
	// The protocol's fees from the evaluation's markets.
	pool := sdk.NewCoins(sdk.NewInt64Coin("uusdc", 3_000))
	f.bank.SetBalance(f.ctx, authtypes.NewModuleAddress(types.ModuleName), "uusdc", pool.AmountOf("uusdc"))
	require.NoError(t, f.k.FundReporters(f.ctx, id, pool))

	f.runTo(t, 125)
	require.Equal(t, types.EVALUATION_STATUS_FINALIZED, f.status(t, id))
	for r := uint32(0); r < 3; r++ {
		for m := uint64(1); m <= 2; m++ {
			got, final := f.result(t, id, r, m)
			require.True(t, final)
			require.Equal(t, []string{f.valHex(0), f.valHex(1), f.valHex(2)}, got.Validators, "round %d model %d", r, m)
		}
	}
	p, err := f.k.Participations.Get(f.ctx, copier.Address)
	require.NoError(t, err)
	require.Positive(t, p.Faults, "copied reveals are faults")
	require.Equal(t, uint64(3), p.RoundsMissed)
	require.Zero(t, p.RoundsReported)
	require.Equal(t, uint64(1), p.Penalties)
	require.Equal(t, []string{f.valHex(3)}, vs.slashed)
	require.Equal(t, []string{f.valHex(3)}, vs.jailed)

	// 3000 uusdc over 18 results (6 each for validators 0, 1, 2).
	require.Len(t, vs.rewarded, 3)
	for i := 0; i < 3; i++ {
		op := sdk.ValAddress(f.sim.Validators[i].Address).String()
		require.Equal(t, "1000.000000000000000000uusdc", vs.rewarded[op].String())
	}
	_, paid := vs.rewarded[sdk.ValAddress(copier.Address).String()]
	require.False(t, paid)
	require.Equal(t, math.NewInt(3_000), f.bank.Balance(f.ctx, authtypes.NewModuleAddress(distrtypes.ModuleName), "uusdc"),
		"the shares moved to x/distribution")
	for i := 0; i < 3; i++ {
		p, err := f.k.Participations.Get(f.ctx, f.sim.Validators[i].Address)
		require.NoError(t, err)
		require.Equal(t, uint64(3), p.RoundsReported)
		require.Zero(t, p.MissedInARow)
		require.Zero(t, p.Faults)
	}
}

// dedup keeps an extension canonical after a tamper appended to it.
func dedup(ve *types.VoteExtension) {
	seen := map[types.ResultKey]bool{}
	var cs []*types.ResultCommitment
	for _, c := range ve.Commitments {
		if !seen[c.Key()] {
			seen[c.Key()] = true
			cs = append(cs, c)
		}
	}
	ve.Commitments = cs
	seen = map[types.ResultKey]bool{}
	var rs []*types.ResultReveal
	for _, r := range ve.Reveals {
		if !seen[r.Key()] {
			seen[r.Key()] = true
			rs = append(rs, r)
		}
	}
	ve.Reveals = rs
}

// TestARevealBeforeTheWindowClosesVoidsTheCommitment: showing a result while
// others may still commit would let them copy it, so a validator that
// reveals early loses its commitment (a fault) and has nothing to reveal
// once reveals count.
func TestARevealBeforeTheWindowClosesVoidsTheCommitment(t *testing.T) {
	f := newFixture(t)
	id, _ := twoRounds(t, f)
	f.honest(func(m uint64, _ uint32) uint64 { return m })
	early := f.sim.Validators[1]
	f.sim.Tamper = func(i int, h int64, ve *types.VoteExtension) {
		switch {
		case i == 3 && h == 104:
			ve.Commitments = nil // a slower sidecar: it commits a block later, so the window stays open
		case i == 1 && h == 105:
			// Its commitments were recorded in block 105; its extension at
			// 105 reveals them while the window is still open.
			for m := uint64(1); m <= 3; m++ {
				ve.Reveals = append(ve.Reveals, early.Reveal(&types.RoundResult{EvaluationId: id, Round: 0, ModelId: m,
					Correct: m, TraceRoot: root(byte(m + 0)), Leaves: 12}))
			}
		}
	}
	f.runTo(t, 109)
	for m := uint64(1); m <= 3; m++ {
		got, final := f.result(t, id, 0, m)
		require.True(t, final, "validators 0, 2 and 3 carry model %d", m)
		require.Equal(t, []string{f.valHex(0), f.valHex(2), f.valHex(3)}, got.Validators)
	}
	p, err := f.k.Participations.Get(f.ctx, early.Address)
	require.NoError(t, err)
	require.Equal(t, uint64(3), p.Faults)
}

// TestARevealInTheSameExtensionAsItsCommitmentVoidsIt: a validator that
// commits and, in the same extension, reveals while the window is open
// shows its result to everyone who may still commit. Its commitment is
// void (a fault per model), exactly as if the reveal had come a block later.
func TestARevealInTheSameExtensionAsItsCommitmentVoidsIt(t *testing.T) {
	f := newFixture(t)
	id, _ := twoRounds(t, f)
	f.honest(func(m uint64, _ uint32) uint64 { return m })
	early := f.sim.Validators[1]
	f.sim.Tamper = func(i int, h int64, ve *types.VoteExtension) {
		if i == 1 && h == 104 {
			for m := uint64(1); m <= 3; m++ {
				ve.Reveals = append(ve.Reveals, early.Reveal(&types.RoundResult{EvaluationId: id, Round: 0, ModelId: m,
					Correct: m, TraceRoot: root(byte(m + 0)), Leaves: 12}))
			}
		}
	}
	f.runTo(t, 105)
	cs, err := f.q.Commitments(f.ctx, &types.QueryCommitmentsRequest{Id: id, Round: 0})
	require.NoError(t, err)
	voided := 0
	for _, c := range cs.Commitments {
		if c.Validator == f.valHex(1) {
			require.Equal(t, types.COMMITMENT_STATUS_VOIDED, c.Status, "model %d", c.ModelId)
			voided++
		}
	}
	require.Equal(t, 3, voided)
	f.runTo(t, 109)
	for m := uint64(1); m <= 3; m++ {
		got, final := f.result(t, id, 0, m)
		require.True(t, final)
		require.Equal(t, []string{f.valHex(0), f.valHex(2), f.valHex(3)}, got.Validators)
	}
	p, err := f.k.Participations.Get(f.ctx, early.Address)
	require.NoError(t, err)
	require.Equal(t, uint64(3), p.Faults)
}

// TestPenaltiesNeverHaltTheChain: when x/slashing refuses (the validator
// unbonded meanwhile), the penalty is skipped with an event and the block
// goes on.
func TestPenaltiesNeverHaltTheChain(t *testing.T) {
	f, vs := newReportingFixture(t)
	id := threeRounds(t, f)
	vs.refuseAll = true
	f.honest(func(m uint64, _ uint32) uint64 { return m })
	honest := f.sim.Results
	f.sim.Results = func(ctx sdk.Context, i int, h int64) []*types.RoundResult {
		if i == 3 {
			return nil // never reports
		}
		return honest(ctx, i, h)
	}
	f.runTo(t, 120)
	require.Equal(t, types.EVALUATION_STATUS_FINALIZED, f.status(t, id))
	require.Empty(t, vs.slashed)
	p, err := f.k.Participations.Get(f.ctx, f.sim.Validators[3].Address)
	require.NoError(t, err)
	require.Equal(t, uint64(1), p.Penalties, "counted, though x/slashing refused")
}

// silent makes validator i report nothing (its other behaviour honest).
func (f *fixture) silent(i int) {
	honest := f.sim.Results
	f.sim.Results = func(ctx sdk.Context, v int, h int64) []*types.RoundResult {
		if v == i {
			return nil
		}
		return honest(ctx, v, h)
	}
}

// TestAlignedRoundsCountOnce: a spammer creates eight one-round evaluations
// on one schedule, so their rounds are all accounted in the same block. A
// validator that could not report them misses one block, not eight rounds
// in a row: it is not penalised for one block of misses.
func TestAlignedRoundsCountOnce(t *testing.T) {
	f, vs := newReportingFixture(t)
	f.benchmark(t, "mnist")
	f.model(t, f.alice, "a")
	f.model(t, f.alice, "b")
	for i := 0; i < 8; i++ {
		_, err := f.msg.CreateEvaluation(f.ctx, &types.MsgCreateEvaluation{Creator: f.bob, BenchmarkId: 1,
			ModelIds: []uint64{1, 2}, Rounds: 1, ItemsPerRound: 1, BlocksBetweenRounds: 3, StartDelay: 2, DeadlineBlocks: 50})
		require.NoError(t, err)
	}
	f.honest(func(m uint64, _ uint32) uint64 { return m - 1 }) // one item: 0 or 1 correct
	f.silent(3)
	f.runTo(t, 125)
	for id := uint64(1); id <= 8; id++ {
		require.Equal(t, types.EVALUATION_STATUS_FINALIZED, f.status(t, id))
	}
	p, err := f.k.Participations.Get(f.ctx, f.sim.Validators[3].Address)
	require.NoError(t, err)
	require.Equal(t, uint64(8), p.RoundsMissed, "every round is recorded")
	require.Equal(t, uint32(1), p.MissedInARow, "but they were accounted in one block")
	require.Zero(t, p.Penalties)
	require.Empty(t, vs.slashed)
}

// TestOnlyValidatorsOfTheRoundAreCounted: a validator without power when a
// round's commit window closed (it joined later) is not counted for that
// round, though it has power when the round is accounted.
func TestOnlyValidatorsOfTheRoundAreCounted(t *testing.T) {
	f, _ := newReportingFixture(t)
	id := threeRounds(t, f)
	f.honest(func(m uint64, _ uint32) uint64 { return m })
	f.silent(3)
	f.sim.Powers[3] = 0
	f.runTo(t, 106) // round 0's window closed at 105, without validator 3
	require.Len(t, f.round(t, id, 0).Eligible, 3)
	f.sim.Powers[3] = 25
	f.runTo(t, 108) // round 0 accounted at 105 + 3
	_, err := f.k.Participations.Get(f.ctx, f.sim.Validators[3].Address)
	require.ErrorIs(t, err, collections.ErrNotFound, "nothing counted against it")
}

// TestFeesForAnEndedEvaluationGoToTheCommunityPool: fees that reach an
// evaluation's reporters after its pool was paid (trades in the block its
// market was cancelled in) are not stranded in the module account.
func TestFeesForAnEndedEvaluationGoToTheCommunityPool(t *testing.T) {
	f, _ := newReportingFixture(t)
	id := threeRounds(t, f)
	require.NoError(t, f.k.CancelEvaluation(f.ctx, id, "market cancelled", false))
	fees := sdk.NewCoins(sdk.NewInt64Coin("uusdc", 500))
	module := authtypes.NewModuleAddress(types.ModuleName)
	f.bank.SetBalance(f.ctx, module, "uusdc", math.NewInt(500))
	require.NoError(t, f.k.FundReporters(f.ctx, id, fees))
	_, err := f.k.RewardPools.Get(f.ctx, id)
	require.ErrorIs(t, err, collections.ErrNotFound)
	require.True(t, f.bank.Balance(f.ctx, module, "uusdc").IsZero())
	require.Equal(t, math.NewInt(500), f.bank.Balance(f.ctx, fakebank.CommunityPool, "uusdc"))
}
