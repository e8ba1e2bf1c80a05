package keeper_test

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/x/evaluation/keeper"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// blockHash stands in for the hash of the block at a height.
func blockHash(h int64) []byte {
	sum := sha256.Sum256([]byte{byte(h >> 8), byte(h)})
	return sum[:]
}

func (f *fixture) beginBlock(t testing.TB, h int64) {
	t.Helper()
	f.ctx = f.ctx.WithBlockHeight(h).WithHeaderHash(blockHash(h))
	require.NoError(t, f.k.BeginBlocker(f.ctx))
}

func (f *fixture) rounds(t *testing.T, id uint64) []types.Round {
	t.Helper()
	res, err := f.q.Rounds(f.ctx, &types.QueryRoundsRequest{Id: id})
	require.NoError(t, err)
	return res.Rounds
}

func (f *fixture) status(t *testing.T, id uint64) types.EvaluationStatus {
	t.Helper()
	e, err := f.k.Evaluations.Get(f.ctx, id)
	require.NoError(t, err)
	return e.Status
}

func scheduleThreeRounds(t *testing.T, f *fixture) uint64 {
	t.Helper()
	f.benchmark(t, "mnist")
	a, b := f.model(t, f.alice, "a"), f.model(t, f.alice, "b")
	// Created at height 100: rounds at 102, 105, 108; deadline 100+2+6+5 = 113.
	res, err := f.msg.CreateEvaluation(f.ctx, &types.MsgCreateEvaluation{Creator: f.bob, BenchmarkId: 1,
		ModelIds: []uint64{a, b}, Rounds: 3, ItemsPerRound: 50, BlocksBetweenRounds: 3, StartDelay: 2, DeadlineBlocks: 5})
	require.NoError(t, err)
	return res.Id
}

func TestRoundsOpenOnScheduleWithBlockHashSeeds(t *testing.T) {
	f := newFixture(t)
	id := scheduleThreeRounds(t, f)

	f.beginBlock(t, 101)
	require.Empty(t, f.rounds(t, id))
	require.Equal(t, types.EVALUATION_STATUS_SCHEDULED, f.status(t, id))

	for _, tc := range []struct {
		height int64
		rounds int
	}{{102, 1}, {103, 1}, {104, 1}, {105, 2}, {107, 2}, {108, 3}, {111, 3}} {
		f.beginBlock(t, tc.height)
		require.Len(t, f.rounds(t, id), tc.rounds, "at height %d", tc.height)
	}
	require.Equal(t, types.EVALUATION_STATUS_RUNNING, f.status(t, id))
	for i, r := range f.rounds(t, id) {
		height := int64(102 + 3*i)
		require.Equal(t, uint32(i), r.Round)
		require.Equal(t, height, r.StartHeight)
		require.Equal(t, types.ROUND_STATUS_OPEN, r.Status)
		want := keeper.RoundSeed(id, uint32(i), blockHash(height))
		require.Equal(t, hex.EncodeToString(want[:]), r.Seed)
	}
	// The seed depends on every input.
	s := keeper.RoundSeed(1, 0, blockHash(102))
	require.NotEqual(t, s, keeper.RoundSeed(2, 0, blockHash(102)))
	require.NotEqual(t, s, keeper.RoundSeed(1, 1, blockHash(102)))
	require.NotEqual(t, s, keeper.RoundSeed(1, 0, blockHash(103)))

	// No round has final results (they arrive through vote extensions), so
	// the deadline fails the evaluation and its open rounds.
	f.beginBlock(t, 112)
	require.Equal(t, types.EVALUATION_STATUS_RUNNING, f.status(t, id))
	f.beginBlock(t, 113)
	require.Equal(t, types.EVALUATION_STATUS_FAILED, f.status(t, id))
	for _, r := range f.rounds(t, id) {
		require.Equal(t, types.ROUND_STATUS_FAILED, r.Status)
	}
	events := f.ctx.EventManager().Events()
	require.Equal(t, "delphi.evaluation.v1.EventEvaluationFailed", events[len(events)-1].Type)
}

func TestRoundScheduleSurvivesGenesisExport(t *testing.T) {
	f := newFixture(t)
	id := scheduleThreeRounds(t, f)
	f.beginBlock(t, 102)
	f.beginBlock(t, 105)
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, gs.Validate())
	require.Len(t, gs.Rounds, 2)

	g := newFixture(t)
	require.NoError(t, g.k.InitGenesis(g.ctx, *gs))
	g.beginBlock(t, 107)
	require.Len(t, g.rounds(t, id), 2)
	g.beginBlock(t, 108)
	require.Len(t, g.rounds(t, id), 3, "the imported chain opens the next round on time")

	bad := *gs
	bad.Rounds = []types.Round{gs.Rounds[1]}
	require.ErrorContains(t, bad.Validate(), "in order from 0")
}

func TestRoundsQueryUnknownEvaluation(t *testing.T) {
	f := newFixture(t)
	_, err := f.q.Rounds(f.ctx, &types.QueryRoundsRequest{Id: 7})
	require.ErrorContains(t, err, "not found")
}
