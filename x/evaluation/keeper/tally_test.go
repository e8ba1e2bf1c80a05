package keeper_test

import (
	"bytes"
	"context"
	"encoding/hex"
	abci "github.com/cometbft/cometbft/abci/types"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	"github.com/delphi-network/delphi/testutil/evalsim"
	"github.com/delphi-network/delphi/x/evaluation/keeper"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

func root(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }

func hexRoot(b byte) string { return hex.EncodeToString(root(b)) }

type recordingHooks struct {
	finalized map[uint64][]types.Standing
	failed    []uint64
}

func (h *recordingHooks) AfterEvaluationFinalized(_ context.Context, id uint64, s []types.Standing) error {
	h.finalized[id] = s
	return nil
}

func (h *recordingHooks) AfterEvaluationFailed(_ context.Context, id uint64) error {
	h.failed = append(h.failed, id)
	return nil
}

// twoRounds schedules models 1, 2, 3 over two rounds, drawn at 103 and
// 106, each opening its commit window there.
func twoRounds(t *testing.T, f *fixture) (uint64, *recordingHooks) {
	t.Helper()
	hooks := &recordingHooks{finalized: map[uint64][]types.Standing{}}
	f.k.SetHooks(hooks)
	f.msg = keeper.NewMsgServerImpl(f.k)
	f.benchmark(t, "mnist")
	for _, n := range []string{"a", "b", "c"} {
		f.model(t, f.alice, n)
	}
	out, err := f.msg.CreateEvaluation(f.ctx, &types.MsgCreateEvaluation{Creator: f.bob, BenchmarkId: 1,
		ModelIds: []uint64{1, 2, 3}, Rounds: 2, ItemsPerRound: 100, BlocksBetweenRounds: 3, StartDelay: 2, DeadlineBlocks: 50})
	require.NoError(t, err)
	return out.Id, hooks
}

func (f *fixture) result(t testing.TB, e uint64, r uint32, m uint64) (types.Result, bool) {
	t.Helper()
	got, err := f.k.Results.Get(f.ctx, collections.Join3(e, r, m))
	if err != nil {
		return types.Result{}, false
	}
	return got, true
}

func (f *fixture) round(t testing.TB, e uint64, r uint32) types.Round {
	t.Helper()
	got, err := f.k.Rounds.Get(f.ctx, collections.Join(e, r))
	require.NoError(t, err)
	return got
}

func (f *fixture) disagreements(t testing.TB) []types.Disagreement {
	t.Helper()
	var ds []types.Disagreement
	require.NoError(t, f.k.Disagreements.Walk(f.ctx, nil, func(_ uint64, d types.Disagreement) (bool, error) {
		ds = append(ds, d)
		return false, nil
	}))
	return ds
}

func (f *fixture) valHex(i int) string { return hex.EncodeToString(f.sim.Validators[i].Address) }

// TestResultsBecomeFinalThroughCommitThenReveal follows one round: the
// validators commit to their results while the window is open (nothing of
// a result is visible), the window closes as soon as every validator has
// committed to every model, the reveals count from the next block, and the
// revealed value with more than 2/3 of the power is final.
func TestResultsBecomeFinalThroughCommitThenReveal(t *testing.T) {
	f := newFixture(t)
	id, _ := twoRounds(t, f)
	f.honest(func(m uint64, r uint32) uint64 { return 10 * m })
	f.runTo(t, 103)
	r0 := f.round(t, id, 0)
	require.Equal(t, types.ROUND_PHASE_COMMIT, r0.Phase)
	require.Equal(t, int64(103+5), r0.CommitDeadline)

	// ExtendVote at 104 (on the state of 103) commits; block 105 records
	// every validator's commitments and closes the window.
	f.runTo(t, 104)
	require.Equal(t, types.ROUND_PHASE_COMMIT, f.round(t, id, 0).Phase)
	f.runTo(t, 105)
	r0 = f.round(t, id, 0)
	require.Equal(t, types.ROUND_PHASE_REVEAL, r0.Phase)
	require.Equal(t, int64(105), r0.CommitClosedHeight)
	require.Equal(t, int64(108), r0.RevealEndHeight)
	cs, err := f.q.Commitments(f.ctx, &types.QueryCommitmentsRequest{Id: id, Round: 0})
	require.NoError(t, err)
	require.Len(t, cs.Commitments, 12, "4 validators × 3 models")
	for _, c := range cs.Commitments {
		require.Equal(t, types.COMMITMENT_STATUS_COMMITTED, c.Status)
		require.Empty(t, c.TraceRoot, "nothing of a result shows before the reveal")
	}
	_, final := f.result(t, id, 0, 1)
	require.False(t, final)

	// ExtendVote at 106 reveals; block 107 makes the results final.
	f.runTo(t, 107)
	for m := uint64(1); m <= 3; m++ {
		got, final := f.result(t, id, 0, m)
		require.True(t, final, "model %d", m)
		require.Equal(t, 10*m, got.Correct)
		require.Equal(t, hexRoot(byte(m)), got.TraceRoot)
		require.Equal(t, int64(100), got.Power)
		require.Len(t, got.Validators, 4)
	}
	require.Equal(t, types.ROUND_STATUS_FINAL, f.round(t, id, 0).Status)
	require.Empty(t, f.disagreements(t))
}

// TestFinalityNeedsMoreThanTwoThirdsOfThePower: with powers 33, 33, 34 and
// 0 (validator 3 out of the set) agreement of 66 is not enough; with 33,
// 34, 33 it is 67, and the dissenter is recorded.
func TestFinalityNeedsMoreThanTwoThirdsOfThePower(t *testing.T) {
	f := newFixture(t)
	id, _ := twoRounds(t, f)
	f.sim.Powers = []int64{33, 33, 34, 0}
	f.sim.Results = f.sim.Claims(func(i int, r types.Round, m uint64) *types.RoundResult {
		if i >= 2 {
			return nil // validator 2 (34) reports nothing
		}
		return evalsim.Result(90, 1)
	})
	f.runTo(t, 112)
	_, final := f.result(t, id, 0, 1)
	require.False(t, final, "66 of 100 is not more than 2/3")

	g := newFixture(t)
	id, _ = twoRounds(t, g)
	g.sim.Powers = []int64{33, 34, 33, 0}
	g.sim.Results = g.sim.Claims(func(i int, r types.Round, m uint64) *types.RoundResult {
		if i == 2 {
			return evalsim.Result(91, 9) // a dissenting claim
		}
		return evalsim.Result(90, 1)
	})
	g.runTo(t, 112)
	got, final := g.result(t, id, 0, 1)
	require.True(t, final)
	require.Equal(t, uint64(90), got.Correct)
	require.Equal(t, hexRoot(1), got.TraceRoot)
	require.Equal(t, int64(67), got.Power)
	require.Equal(t, []string{g.valHex(0), g.valHex(1)}, got.Validators)
	var ds []types.Disagreement
	for _, d := range g.disagreements(t) {
		if d.Round == 0 {
			ds = append(ds, d)
		}
	}
	require.Len(t, ds, 3, "validator 2 disagreed on each model of round 0")
	require.Equal(t, g.valHex(2), ds[0].Validator)
	require.Equal(t, uint64(91), ds[0].Correct)
}

// TestLateRevealsJoinOrAreContested: a validator whose reveal comes after
// the result is final (its vote was missing from that block) joins the
// result's backers if it matches; one that differs is a disagreement,
// contested like any other.
func TestLateRevealsJoinOrAreContested(t *testing.T) {
	f := newFixture(t)
	id, _ := twoRounds(t, f)
	d := &fakeDisputes{}
	f.k.SetDisputeKeeper(d)
	f.sim.Results = f.sim.Claims(func(i int, r types.Round, m uint64) *types.RoundResult {
		if i == 3 && m == 2 {
			return evalsim.Result(55, 5) // validator 3 differs on model 2
		}
		return evalsim.Result(50, byte(m))
	})
	f.runTo(t, 106) // commitments of all four in block 105
	f.sim.Absent[3] = true
	f.runTo(t, 107) // reveals of 0, 1, 2: final with 75 of 100
	got, final := f.result(t, id, 0, 1)
	require.True(t, final)
	require.Len(t, got.Validators, 3)
	require.Empty(t, d.contested)
	delete(f.sim.Absent, 3)
	f.runTo(t, 108) // validator 3's reveal, within the reveal window
	got, _ = f.result(t, id, 0, 1)
	require.Equal(t, []string{f.valHex(0), f.valHex(1), f.valHex(2), f.valHex(3)}, got.Validators)
	require.Equal(t, int64(100), got.Power)
	require.Len(t, d.contested, 1, "its different claim on model 2 is contested")
	require.Equal(t, types.Claim{Correct: 55, TraceRoot: hexRoot(5), Leaves: 12, Validators: []string{f.valHex(3)}}, d.contested[0])
	require.Equal(t, uint64(2), d.results[0].ModelId)
}

func TestTallyFinalizesWithStandingsAndTies(t *testing.T) {
	f := newFixture(t)
	id, hooks := twoRounds(t, f)
	// Totals over both rounds: 80+70, 90+60, 70+80: all tied at 150.
	scores := map[uint32][3]uint64{0: {80, 90, 70}, 1: {70, 60, 80}}
	f.honest(func(m uint64, r uint32) uint64 { return scores[r][m-1] })
	f.runTo(t, 107)
	require.Equal(t, types.ROUND_STATUS_FINAL, f.round(t, id, 0).Status)
	require.Equal(t, types.EVALUATION_STATUS_RUNNING, f.status(t, id))
	// Round 1 is final at 110; the challenge window (3 blocks) ends at 113.
	f.runTo(t, 112)
	require.Equal(t, types.EVALUATION_STATUS_RUNNING, f.status(t, id))
	f.runTo(t, 113)
	require.Equal(t, types.EVALUATION_STATUS_FINALIZED, f.status(t, id))
	st := hooks.finalized[id]
	require.Len(t, st, 3)
	for i, s := range st {
		require.Equal(t, uint32(1), s.Rank)
		require.Equal(t, uint64(i+1), s.ModelId, "ties listed by model id")
		require.Equal(t, uint64(150), s.Correct)
		require.Equal(t, uint64(200), s.Items)
	}
	e, err := f.k.Evaluations.Get(f.ctx, id)
	require.NoError(t, err)
	require.Equal(t, st, e.Standings)

	// After finalization, the deadline no longer fails it.
	f.runTo(t, 170)
	require.Equal(t, types.EVALUATION_STATUS_FINALIZED, f.status(t, id))
	require.Empty(t, hooks.failed)
}

func TestTallyRanksAWinner(t *testing.T) {
	f := newFixture(t)
	id, hooks := twoRounds(t, f)
	f.honest(func(m uint64, _ uint32) uint64 { return map[uint64]uint64{1: 50, 2: 99, 3: 50}[m] })
	f.runTo(t, 113)
	st := hooks.finalized[id]
	require.Len(t, st, 3)
	require.Equal(t, []uint32{1, 2, 2}, []uint32{st[0].Rank, st[1].Rank, st[2].Rank})
	require.Equal(t, uint64(2), st[0].ModelId)

	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, gs.Validate())
	require.Len(t, gs.Results, 6)
	require.Len(t, gs.Index, 3)

	// The index: model 2 answered 198 of 200 on benchmark 1.
	idx, err := f.q.ModelIndex(f.ctx, &types.QueryModelIndexRequest{ModelId: 2})
	require.NoError(t, err)
	require.Len(t, idx.Index.Benchmarks, 1)
	e := idx.Index.Benchmarks[0].Entry
	require.Equal(t, types.IndexEntry{ModelId: 2, BenchmarkId: 1, Evaluations: 1, Rounds: 2, Items: 200, Correct: 198, PointsPerItem: 1}, e)
	require.Equal(t, "0.990000000000000000", idx.Index.Benchmarks[0].Accuracy)
	require.Equal(t, idx.Index.Benchmarks[0].WilsonLower, idx.Index.Aggregate)
	all, err := f.q.Index(f.ctx, &types.QueryIndexRequest{})
	require.NoError(t, err)
	require.Len(t, all.Models, 3)
	_, err = f.q.ModelIndex(f.ctx, &types.QueryModelIndexRequest{ModelId: 99})
	require.ErrorContains(t, err, "not found")
}

// TestImpossibleResultsCountForNothing: a validator can commit to a result
// no run can give (more points than items, no leaves); its reveal is a
// fault and its commitment void.
func TestImpossibleResultsCountForNothing(t *testing.T) {
	f := newFixture(t)
	id, _ := twoRounds(t, f)
	f.sim.Results = f.sim.Claims(func(i int, r types.Round, m uint64) *types.RoundResult {
		switch {
		case i == 0 && m == 1:
			return evalsim.Result(101, 1) // 100 items per round
		case i == 0 && m == 2:
			res := evalsim.Result(10, 2)
			res.Leaves = 0
			return res
		}
		return evalsim.Result(10, byte(m))
	})
	f.runTo(t, 107)
	for m := uint64(1); m <= 2; m++ {
		got, final := f.result(t, id, 0, m)
		require.True(t, final, "the other three carry model %d", m)
		require.NotContains(t, got.Validators, f.valHex(0))
	}
	p, err := f.k.Participations.Get(f.ctx, f.sim.Validators[0].Address)
	require.NoError(t, err)
	require.Equal(t, uint64(2), p.Faults)
	cs, err := f.q.Commitments(f.ctx, &types.QueryCommitmentsRequest{Id: id, Round: 0})
	require.NoError(t, err)
	voided := 0
	for _, c := range cs.Commitments {
		if c.Status == types.COMMITMENT_STATUS_VOIDED {
			voided++
			require.Equal(t, f.valHex(0), c.Validator)
		}
	}
	require.Equal(t, 2, voided)
}

func TestFailedEvaluationCallsHook(t *testing.T) {
	f := newFixture(t)
	id, hooks := twoRounds(t, f)
	f.runTo(t, 103+3+50)
	require.Equal(t, types.EVALUATION_STATUS_FAILED, f.status(t, id))
	require.Equal(t, []uint64{id}, hooks.failed)
}

// TestACommitWindowDueInABlockWithoutVotesWaitsForOne: the first block
// after a genesis import has no last commit, so no validator set to make
// eligible. A commit window due then stays open to the next block, which
// closes it with its validators eligible, instead of closing it with
// nobody to account.
func TestACommitWindowDueInABlockWithoutVotesWaitsForOne(t *testing.T) {
	f := newFixture(t)
	id, _ := twoRounds(t, f)
	f.honest(func(m uint64, _ uint32) uint64 { return m })
	f.sim.Tamper = func(i int, h int64, ve *types.VoteExtension) {
		if i == 3 {
			ve.Commitments = nil // the window stays open to its deadline
		}
	}
	f.runTo(t, 107)
	r0 := f.round(t, id, 0)
	require.Equal(t, int64(108), r0.CommitDeadline)
	limits, err := f.k.ExtensionLimits(f.ctx, 107)
	require.NoError(t, err)
	first := f.ctx.WithBlockHeight(108)
	require.NoError(t, f.k.ProcessCommit(first, abci.ExtendedCommitInfo{}, limits))
	r0, err = f.k.Rounds.Get(first, collections.Join(id, uint32(0)))
	require.NoError(t, err)
	require.Equal(t, types.ROUND_PHASE_COMMIT, r0.Phase, "nobody to make eligible: the window waits")

	f.runTo(t, 108)
	r0 = f.round(t, id, 0)
	require.Equal(t, types.ROUND_PHASE_REVEAL, r0.Phase)
	require.Len(t, r0.Eligible, 4)
}
