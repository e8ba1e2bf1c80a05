package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/x/evaluation/types"
)

// TestRedrawRoundAfterNoVerdict: x/verde draws a final round again when a
// dispute about it ends without a verdict. The round's results go, a new
// attempt is drawn, the evaluation waits for it again (its deadline moved
// as far past the new draw as it was past the last one) and finalizes
// once the new attempt is final. A stale attempt, an attempt not yet
// counted for participation, a round out of retries or an evaluation no
// longer running keep their state.
func TestRedrawRoundAfterNoVerdict(t *testing.T) {
	f := newFixture(t)
	f.benchmark(t, "mnist")
	a, b := f.model(t, f.alice, "a"), f.model(t, f.alice, "b")
	res, err := f.msg.CreateEvaluation(f.ctx, &types.MsgCreateEvaluation{Creator: f.bob, BenchmarkId: 1,
		ModelIds: []uint64{a, b}, Rounds: 1, ItemsPerRound: 10, BlocksBetweenRounds: 3, StartDelay: 2, DeadlineBlocks: 8})
	require.NoError(t, err)
	f.honest(func(m uint64, _ uint32) uint64 { return m })
	f.untilFinal(t, res.Id)
	before, err := f.k.GetEvaluation(f.ctx, res.Id)
	require.NoError(t, err)
	require.NotZero(t, before.FinalAfterHeight, "waiting out its challenge window")

	redrawn, err := f.k.RedrawRound(f.ctx, res.Id, 0, 0)
	require.NoError(t, err)
	require.False(t, redrawn, "not yet counted for participation: its reveal window is open")
	for !f.rounds(t, res.Id)[0].Accounted {
		f.block(t)
	}
	redrawn, err = f.k.RedrawRound(f.ctx, res.Id, 0, 1)
	require.NoError(t, err)
	require.False(t, redrawn, "not the round's attempt")
	redrawn, err = f.k.RedrawRound(f.ctx, res.Id, 0, 0)
	require.NoError(t, err)
	require.True(t, redrawn)
	round := f.rounds(t, res.Id)[0]
	require.Equal(t, uint32(1), round.Attempt)
	require.Equal(t, types.ROUND_STATUS_SEEDING, round.Status)
	_, err = f.k.GetResult(f.ctx, res.Id, 0, a)
	require.Error(t, err)
	e, err := f.k.GetEvaluation(f.ctx, res.Id)
	require.NoError(t, err)
	require.Zero(t, e.FinalAfterHeight)
	require.Equal(t, types.EVALUATION_STATUS_RUNNING, e.Status)
	p, err := f.k.Params.Get(f.ctx)
	require.NoError(t, err)
	require.GreaterOrEqual(t, e.DeadlineHeight, round.SeedHeight+(before.DeadlineHeight-before.DrawHeights[0]))
	require.GreaterOrEqual(t, e.DeadlineHeight, round.SeedHeight+int64(p.SeedMaxWaitBlocks+p.CommitWindowBlocks+p.RevealWindowBlocks),
		"room for a seed's wait and both windows")

	for e.Status == types.EVALUATION_STATUS_RUNNING {
		require.Less(t, f.ctx.BlockHeight(), e.DeadlineHeight+20, "the evaluation never ended")
		f.block(t)
		e, err = f.k.GetEvaluation(f.ctx, res.Id)
		require.NoError(t, err)
	}
	require.Equal(t, types.EVALUATION_STATUS_FINALIZED, e.Status, "the new attempt finalizes it")
	redrawn, err = f.k.RedrawRound(f.ctx, res.Id, 0, 1)
	require.NoError(t, err)
	require.False(t, redrawn, "an evaluation no longer running keeps its state")
}

// TestRedrawRoundOutOfRetriesKeepsTheResult: a round already at
// max_round_retries is not drawn again: the result stands.
func TestRedrawRoundOutOfRetriesKeepsTheResult(t *testing.T) {
	f := newFixture(t)
	p, err := f.k.Params.Get(f.ctx)
	require.NoError(t, err)
	p.MaxRoundRetries = 0
	require.NoError(t, f.k.Params.Set(f.ctx, p))
	f.benchmark(t, "mnist")
	a, b := f.model(t, f.alice, "a"), f.model(t, f.alice, "b")
	res, err := f.msg.CreateEvaluation(f.ctx, &types.MsgCreateEvaluation{Creator: f.bob, BenchmarkId: 1,
		ModelIds: []uint64{a, b}, Rounds: 1, ItemsPerRound: 10, BlocksBetweenRounds: 3, StartDelay: 2, DeadlineBlocks: 8})
	require.NoError(t, err)
	f.honest(func(m uint64, _ uint32) uint64 { return m })
	f.untilFinal(t, res.Id)
	for !f.rounds(t, res.Id)[0].Accounted {
		f.block(t)
	}
	redrawn, err := f.k.RedrawRound(f.ctx, res.Id, 0, 0)
	require.NoError(t, err)
	require.False(t, redrawn)
	_, err = f.k.GetResult(f.ctx, res.Id, 0, a)
	require.NoError(t, err, "the result stands")
}

// untilFinal runs blocks until round 0 of the evaluation is final.
func (f *fixture) untilFinal(t *testing.T, id uint64) {
	t.Helper()
	for i := 0; ; i++ {
		require.Less(t, i, 40, "round 0 never became final")
		if r := f.rounds(t, id); len(r) > 0 && r[0].Status == types.ROUND_STATUS_FINAL {
			return
		}
		f.block(t)
	}
}
