package keeper_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	"github.com/delphi-network/delphi/x/evaluation/keeper"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

func root(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }

func res(e uint64, r uint32, m, correct uint64, rt byte) *types.RoundResult {
	return &types.RoundResult{EvaluationId: e, Round: r, ModelId: m, Correct: correct, TraceRoot: root(rt), Leaves: 12}
}

func vote(val byte, power int64, rs ...*types.RoundResult) keeper.Vote {
	return keeper.Vote{Validator: []byte{val}, Power: power, Extension: types.VoteExtension{Results: rs}}
}

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

// twoRounds schedules models 1, 2, 3 over two rounds (heights 102, 105) and
// opens both.
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
	f.beginBlock(t, 102)
	f.beginBlock(t, 105)
	return out.Id, hooks
}

func (f *fixture) result(t *testing.T, e uint64, r uint32, m uint64) (types.Result, bool) {
	t.Helper()
	got, err := f.k.Results.Get(f.ctx, collections.Join3(e, r, m))
	if err != nil {
		return types.Result{}, false
	}
	return got, true
}

func TestTallyFinalityNeedsMoreThanTwoThirds(t *testing.T) {
	f := newFixture(t)
	id, _ := twoRounds(t, f)
	// Power 100 in all: 66 agreeing is not enough, 67 is.
	require.NoError(t, f.k.TallyVotes(f.ctx, []keeper.Vote{
		vote(1, 33, res(id, 0, 1, 90, 1)),
		vote(2, 33, res(id, 0, 1, 90, 1)),
		vote(3, 34, nil...),
	}, 100))
	_, final := f.result(t, id, 0, 1)
	require.False(t, final, "66 of 100 is not more than 2/3")

	require.NoError(t, f.k.TallyVotes(f.ctx, []keeper.Vote{
		vote(1, 33, res(id, 0, 1, 90, 1)),
		vote(2, 34, res(id, 0, 1, 90, 1)),
		vote(3, 33, res(id, 0, 1, 91, 9)), // a dissenting claim
	}, 100))
	got, final := f.result(t, id, 0, 1)
	require.True(t, final)
	require.Equal(t, uint64(90), got.Correct)
	require.Equal(t, hex.EncodeToString(root(1)), got.TraceRoot)
	require.Equal(t, int64(67), got.Power)

	var ds []types.Disagreement
	require.NoError(t, f.k.Disagreements.Walk(f.ctx, nil, func(_ uint64, d types.Disagreement) (bool, error) {
		ds = append(ds, d)
		return false, nil
	}))
	require.Len(t, ds, 1)
	require.Equal(t, "03", ds[0].Validator)
	require.Equal(t, uint64(91), ds[0].Correct)

	// A final result does not change with later claims.
	require.NoError(t, f.k.TallyVotes(f.ctx, []keeper.Vote{vote(1, 100, res(id, 0, 1, 5, 7))}, 100))
	got, _ = f.result(t, id, 0, 1)
	require.Equal(t, uint64(90), got.Correct)
}

func TestTallyIgnoresImpossibleClaims(t *testing.T) {
	f := newFixture(t)
	id, _ := twoRounds(t, f)
	for name, r := range map[string]*types.RoundResult{
		"unknown evaluation":      res(99, 0, 1, 1, 1),
		"round not started":       res(id, 5, 1, 1, 1),
		"model not evaluated":     res(id, 0, 42, 1, 1),
		"more correct than items": res(id, 0, 1, 101, 1),
		"no leaves":               {EvaluationId: id, Round: 0, ModelId: 2, Correct: 3, TraceRoot: root(1)},
	} {
		t.Run(name, func(t *testing.T) {
			require.NoError(t, f.k.TallyVotes(f.ctx, []keeper.Vote{vote(1, 100, r)}, 100))
			_, final := f.result(t, r.EvaluationId, r.Round, r.ModelId)
			require.False(t, final)
		})
	}
	require.NoError(t, f.k.TallyVotes(f.ctx, []keeper.Vote{vote(1, 100, res(id, 0, 1, 1, 1))}, 0),
		"no power, no tally")
	_, final := f.result(t, id, 0, 1)
	require.False(t, final)
}

func TestTallyFinalizesWithStandingsAndTies(t *testing.T) {
	f := newFixture(t)
	id, hooks := twoRounds(t, f)
	all := func(r uint32, c1, c2, c3 uint64) []*types.RoundResult {
		return []*types.RoundResult{res(id, r, 1, c1, 1), res(id, r, 2, c2, 2), res(id, r, 3, c3, 3)}
	}
	// Votes in any order give the same outcome.
	require.NoError(t, f.k.TallyVotes(f.ctx, []keeper.Vote{vote(2, 50, all(1, 70, 60, 80)...), vote(1, 50, all(0, 80, 90, 70)...)}, 100))
	r0, err := f.k.Rounds.Get(f.ctx, collections.Join(id, uint32(0)))
	require.NoError(t, err)
	require.Equal(t, types.ROUND_STATUS_OPEN, r0.Status, "50 of 100 finalizes nothing")

	require.NoError(t, f.k.TallyVotes(f.ctx, []keeper.Vote{vote(1, 100, all(0, 80, 90, 70)...)}, 100))
	r0, err = f.k.Rounds.Get(f.ctx, collections.Join(id, uint32(0)))
	require.NoError(t, err)
	require.Equal(t, types.ROUND_STATUS_FINAL, r0.Status)
	require.Equal(t, types.EVALUATION_STATUS_RUNNING, f.status(t, id))

	require.NoError(t, f.k.TallyVotes(f.ctx, []keeper.Vote{vote(1, 100, all(1, 70, 60, 80)...)}, 100))
	require.Equal(t, types.EVALUATION_STATUS_FINALIZED, f.status(t, id))
	// Totals: model 1 = 150, model 2 = 150, model 3 = 150 -> all tied.
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
	f.beginBlock(t, 200)
	require.Equal(t, types.EVALUATION_STATUS_FINALIZED, f.status(t, id))
	require.Empty(t, hooks.failed)
}

func TestTallyRanksAWinner(t *testing.T) {
	f := newFixture(t)
	id, hooks := twoRounds(t, f)
	for r := uint32(0); r < 2; r++ {
		require.NoError(t, f.k.TallyVotes(f.ctx, []keeper.Vote{vote(1, 10,
			res(id, r, 1, 50, 1), res(id, r, 2, 99, 2), res(id, r, 3, 50, 3))}, 10))
	}
	st := hooks.finalized[id]
	require.Equal(t, []uint32{1, 2, 2}, []uint32{st[0].Rank, st[1].Rank, st[2].Rank})
	require.Equal(t, uint64(2), st[0].ModelId)
	events := f.ctx.EventManager().Events()
	require.Equal(t, "delphi.evaluation.v1.EventEvaluationFinalized", events[len(events)-1].Type)

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

func TestFailedEvaluationCallsHook(t *testing.T) {
	f := newFixture(t)
	id, hooks := twoRounds(t, f)
	f.beginBlock(t, 100+2+3+50)
	require.Equal(t, types.EVALUATION_STATUS_FAILED, f.status(t, id))
	require.Equal(t, []uint64{id}, hooks.failed)
}
