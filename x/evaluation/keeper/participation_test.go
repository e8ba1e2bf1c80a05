package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/testutil/evalsim"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// abstaining makes the validators in who abstain on every model, and the
// others report 40 correct.
func (f *fixture) abstaining(who ...int) {
	f.sim.Results = f.sim.Claims(func(i int, r types.Round, m uint64) *types.RoundResult {
		for _, w := range who {
			if i == w {
				return types.Abstention(r.EvaluationId, r.Round, r.Attempt, m)
			}
		}
		return evalsim.Result(40, byte(m))
	})
}

func (f *fixture) setParams(t *testing.T, edit func(*types.Params)) {
	t.Helper()
	p, err := f.k.Params.Get(f.ctx)
	require.NoError(t, err)
	edit(&p)
	require.NoError(t, p.Validate())
	require.NoError(t, f.k.Params.Set(f.ctx, p))
}

func (f *fixture) participation(t *testing.T, i int) types.Participation {
	t.Helper()
	p, err := f.k.Participations.Get(f.ctx, f.sim.Validators[i].Address)
	if err != nil {
		require.ErrorIs(t, err, collections.ErrNotFound)
		return types.Participation{}
	}
	return p
}

// TestAnAbstentionOnAModelOthersEvaluatedCounts: validator 3 says it
// cannot obtain any artifact, while the other three evaluate every model.
// An abstention is no claim (it is on no result, disagrees with nobody),
// and it is not a miss, but it is counted: max_abstained_rounds blocks of
// it in a row get the validator slashed and jailed like misses would. So a
// validator cannot skip the work by abstaining.
func TestAnAbstentionOnAModelOthersEvaluatedCounts(t *testing.T) {
	f, vs := newReportingFixture(t)
	id := threeRounds(t, f)
	f.setParams(t, func(p *types.Params) { p.MaxAbstainedRounds = 3 })
	f.abstaining(3)
	f.runTo(t, 125)
	require.Equal(t, types.EVALUATION_STATUS_FINALIZED, f.status(t, id))
	for r := uint32(0); r < 3; r++ {
		got, final := f.result(t, id, r, 1)
		require.True(t, final)
		require.NotContains(t, got.Validators, f.valHex(3))
	}
	p := f.participation(t, 3)
	require.Equal(t, uint64(3), p.RoundsAbstained)
	require.Zero(t, p.RoundsReported)
	require.Zero(t, p.RoundsMissed)
	require.Zero(t, p.Faults)
	require.Equal(t, uint64(1), p.Penalties)
	require.Equal(t, []string{f.valHex(3)}, vs.slashed)
	require.Empty(t, f.disagreements(t), "an abstention disagrees with nobody")
	for i := 0; i < 3; i++ {
		require.Equal(t, uint64(3), f.participation(t, i).RoundsReported)
	}
}

// TestAnAbstentionOnAModelNobodyCouldEvaluateIsAReport: model 2's artifact
// is unavailable to everyone, model 1 is evaluated by all. Abstaining on
// model 2 is what every honest validator does; it counts as reporting.
func TestAnAbstentionOnAModelNobodyCouldEvaluateIsAReport(t *testing.T) {
	f, vs := newReportingFixture(t)
	threeRounds(t, f)
	f.setParams(t, func(p *types.Params) { p.MaxAbstainedRounds = 1 })
	f.sim.Results = f.sim.Claims(func(i int, r types.Round, m uint64) *types.RoundResult {
		if m == 2 {
			return types.Abstention(r.EvaluationId, r.Round, r.Attempt, m)
		}
		return evalsim.Result(40, byte(m))
	})
	f.runTo(t, 115)
	for i := 0; i < 4; i++ {
		p := f.participation(t, i)
		require.Equal(t, uint64(3), p.RoundsReported, "validator %d", i)
		require.Zero(t, p.RoundsAbstained)
		require.Zero(t, p.Penalties)
	}
	require.Empty(t, vs.slashed)
}

// TestAThirdThatDoesNotReportIsCountedThoughNothingIsFinal: validators 2
// and 3 (half the power) report nothing, so no result can become final.
// Before, a round without a final result was never accounted, so enough
// absent validators were never penalised. The other half reported every
// model: the work could be done, so the silent half missed the rounds.
func TestAThirdThatDoesNotReportIsCountedThoughNothingIsFinal(t *testing.T) {
	f, vs := newReportingFixture(t)
	id := threeRounds(t, f)
	f.honest(func(m uint64, _ uint32) uint64 { return m })
	honest := f.sim.Results
	f.sim.Results = func(ctx sdk.Context, i int, h int64) []*types.RoundResult {
		if i >= 2 {
			return nil
		}
		return honest(ctx, i, h)
	}
	f.runTo(t, 118) // the windows run to their deadlines: round 2's reveals end at 109+5+3
	_, final := f.result(t, id, 0, 1)
	require.False(t, final)
	for i := 2; i < 4; i++ {
		p := f.participation(t, i)
		require.Equal(t, uint64(3), p.RoundsMissed, "validator %d", i)
		require.Equal(t, uint64(1), p.Penalties, "validator %d", i)
	}
	require.ElementsMatch(t, []string{f.valHex(2), f.valHex(3)}, vs.slashed)
	for i := 0; i < 2; i++ {
		require.Equal(t, uint64(3), f.participation(t, i).RoundsReported)
	}
}

// TestALazyThirdCannotHideBehindAbstentions: the same half abstains on
// everything instead: nothing is final, and its abstentions on models the
// other half evaluated are counted until it is penalised.
func TestALazyThirdCannotHideBehindAbstentions(t *testing.T) {
	f, vs := newReportingFixture(t)
	threeRounds(t, f)
	f.setParams(t, func(p *types.Params) { p.MaxAbstainedRounds = 3 })
	f.abstaining(2, 3)
	f.runTo(t, 116)
	for i := 2; i < 4; i++ {
		p := f.participation(t, i)
		require.Equal(t, uint64(3), p.RoundsAbstained, "validator %d", i)
		require.Equal(t, uint64(1), p.Penalties, "validator %d", i)
	}
	require.ElementsMatch(t, []string{f.valHex(2), f.valHex(3)}, vs.slashed)
}

// TestNobodyIsCountedWhenNobodyCouldEvaluate: when no more than 1/3 of the
// power evaluated anything of a round (every artifact down, or the work
// too large for the windows), nobody is counted for it: not reporting was
// not a validator's own failure.
func TestNobodyIsCountedWhenNobodyCouldEvaluate(t *testing.T) {
	for name, results := range map[string]func(f *fixture){
		"all abstain": func(f *fixture) { f.abstaining(0, 1, 2, 3) },
		"all silent":  func(f *fixture) { f.sim.Results = nil },
		"one reports": func(f *fixture) { f.abstaining(1, 2, 3) },
	} {
		t.Run(name, func(t *testing.T) {
			f, vs := newReportingFixture(t)
			threeRounds(t, f)
			f.setParams(t, func(p *types.Params) { p.MaxAbstainedRounds = 1 })
			results(f)
			f.runTo(t, 116)
			for i := 0; i < 4; i++ {
				p := f.participation(t, i)
				require.Zero(t, p.RoundsMissed+p.RoundsAbstained, "validator %d", i)
				require.Zero(t, p.Penalties)
			}
			require.Empty(t, vs.slashed)
		})
	}
}

// TestAccountedRoundsLeaveNoCommitmentsOrSeeds: every round leaves a
// commitment per validator and model, an eligible list and a seed; once a
// round is accounted and its seed drawn from, none of it is needed, so a
// chain's state does not grow with every round it ever ran.
func TestAccountedRoundsLeaveNoCommitmentsOrSeeds(t *testing.T) {
	f := newFixture(t)
	id := threeRounds(t, f)
	f.honest(func(m uint64, _ uint32) uint64 { return m })
	f.runTo(t, 125)
	require.Equal(t, types.EVALUATION_STATUS_FINALIZED, f.status(t, id))
	require.Zero(t, f.commitments(t))
	for _, r := range f.rounds(t, id) {
		require.Empty(t, r.Eligible, "round %d", r.Round)
		require.True(t, r.Accounted)
	}
	seeds := 0
	require.NoError(t, f.k.Seeds.Walk(f.ctx, nil, func(int64, types.Seed) (bool, error) {
		seeds++
		return false, nil
	}))
	require.Zero(t, seeds)
}

// TestAFailedEvaluationLeavesNoCommitments: an evaluation cancelled while
// its rounds hold commitments leaves none behind (its rounds are never
// accounted, so nothing else would remove them).
func TestAFailedEvaluationLeavesNoCommitments(t *testing.T) {
	f := newFixture(t)
	id := threeRounds(t, f)
	f.honest(func(m uint64, _ uint32) uint64 { return m })
	f.runTo(t, 105)
	require.Positive(t, f.commitments(t), "round 0 holds commitments")
	require.NoError(t, f.k.CancelEvaluation(f.ctx, id, "market cancelled", false))
	require.Zero(t, f.commitments(t))
	for _, r := range f.rounds(t, id) {
		require.Equal(t, types.ROUND_STATUS_FAILED, r.Status)
		require.Empty(t, r.Eligible)
	}
}

func (f *fixture) commitments(t *testing.T) int {
	t.Helper()
	n := 0
	require.NoError(t, f.k.Commitments.Walk(f.ctx, nil, func(collections.Quad[uint64, uint32, uint64, []byte], types.Commitment) (bool, error) {
		n++
		return false, nil
	}))
	return n
}
