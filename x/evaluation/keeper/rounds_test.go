package keeper_test

import (
	"encoding/hex"
	"fmt"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/testutil/evalsim"
	"github.com/delphi-network/delphi/x/evaluation/keeper"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// block runs the next height with the simulated validators.
func (f *fixture) block(t testing.TB) { f.ctx = f.sim.Block(t, f.ctx) }

// runTo runs blocks up to and including height h.
func (f *fixture) runTo(t testing.TB, h int64) {
	t.Helper()
	for f.ctx.BlockHeight() < h {
		f.block(t)
	}
}

func (f *fixture) rounds(t testing.TB, id uint64) []types.Round {
	t.Helper()
	res, err := f.q.Rounds(f.ctx, &types.QueryRoundsRequest{Id: id})
	require.NoError(t, err)
	return res.Rounds
}

func (f *fixture) status(t testing.TB, id uint64) types.EvaluationStatus {
	t.Helper()
	e, err := f.k.Evaluations.Get(f.ctx, id)
	require.NoError(t, err)
	return e.Status
}

// honest makes every validator report correct answers for model m in round
// r (and trace root byte m + r).
func (f *fixture) honest(correct func(m uint64, r uint32) uint64) {
	f.sim.Results = f.sim.Claims(func(_ int, r types.Round, m uint64) *types.RoundResult {
		return evalsim.Result(correct(m, r.Round), byte(m)+byte(r.Round))
	})
}

func scheduleThreeRounds(t *testing.T, f *fixture) uint64 {
	t.Helper()
	f.benchmark(t, "mnist")
	a, b := f.model(t, f.alice, "a"), f.model(t, f.alice, "b")
	// Created at height 100: rounds drawn at 103 (the seed lead), 106 and
	// 109; deadline 109+8 = 117.
	res, err := f.msg.CreateEvaluation(f.ctx, &types.MsgCreateEvaluation{Creator: f.bob, BenchmarkId: 1,
		ModelIds: []uint64{a, b}, Rounds: 3, ItemsPerRound: 50, BlocksBetweenRounds: 3, StartDelay: 2, DeadlineBlocks: 8})
	require.NoError(t, err)
	return res.Id
}

// seedValue is the seed the four simulated validators make at height h when
// all of them reveal.
func (f *fixture) seedValue(h int64) []byte {
	var cs []types.Contribution
	for _, r := range f.sim.Validators {
		cs = append(cs, types.Contribution{Validator: r.Address, Value: r.SeedContribution(h)})
	}
	return types.SeedValue(h, cs)
}

func TestRoundsAreDrawnWithTheValidatorsSeeds(t *testing.T) {
	f := newFixture(t)
	id := scheduleThreeRounds(t, f)

	f.runTo(t, 102)
	require.Empty(t, f.rounds(t, id))
	require.Equal(t, types.EVALUATION_STATUS_SCHEDULED, f.status(t, id))

	for _, tc := range []struct {
		height int64
		rounds int
	}{{103, 1}, {104, 1}, {105, 1}, {106, 2}, {108, 2}, {109, 3}, {112, 3}} {
		f.runTo(t, tc.height)
		require.Len(t, f.rounds(t, id), tc.rounds, "at height %d", tc.height)
	}
	require.Equal(t, types.EVALUATION_STATUS_RUNNING, f.status(t, id))
	for i, r := range f.rounds(t, id) {
		height := int64(103 + 3*i)
		require.Equal(t, uint32(i), r.Round)
		require.Equal(t, height, r.StartHeight)
		require.Equal(t, height, r.SeedHeight)
		require.Equal(t, types.ROUND_STATUS_OPEN, r.Status)
		want := types.RoundSeed(id, uint32(i), 0, f.seedValue(height))
		require.Equal(t, hex.EncodeToString(want[:]), r.Seed, "round %d's seed is the validators' revealed contributions", i)

		seed := f.seed(t, height)
		require.Equal(t, types.SEED_STATUS_FIXED, seed.Status)
		require.Len(t, seed.Contributors, 4)
		_, err := f.q.Seed(f.ctx, &types.QuerySeedRequest{Height: height})
		require.Error(t, err, "a seed's record is pruned once its draws are done")
	}
	// The seed depends on every input.
	s := types.RoundSeed(1, 0, 0, f.seedValue(103))
	require.NotEqual(t, s, types.RoundSeed(2, 0, 0, f.seedValue(103)))
	require.NotEqual(t, s, types.RoundSeed(1, 1, 0, f.seedValue(103)))
	require.NotEqual(t, s, types.RoundSeed(1, 0, 1, f.seedValue(103)))
	require.NotEqual(t, s, types.RoundSeed(1, 0, 0, f.seedValue(104)))

	// No sidecar reports anything, so no round becomes final and the
	// deadline fails the evaluation and its open rounds.
	f.runTo(t, 116)
	require.Equal(t, types.EVALUATION_STATUS_RUNNING, f.status(t, id))
	f.runTo(t, 117)
	require.Equal(t, types.EVALUATION_STATUS_FAILED, f.status(t, id))
	for _, r := range f.rounds(t, id) {
		require.Equal(t, types.ROUND_STATUS_FAILED, r.Status)
	}
}

// TestTheBlockProposerCannotChooseTheItems: the seed of a round is the
// validators' revealed contributions, not anything a proposer puts in its
// block. Two chains that differ in every block hash draw the same items.
// (With seeds taken from the block hash, a proposer could grind its block
// against items whose answers it knows.)
func TestTheBlockProposerCannotChooseTheItems(t *testing.T) {
	seedOf := func(salt string) string {
		f := newFixture(t)
		id := scheduleThreeRounds(t, f)
		// The proposer's choices reach every block's hash.
		f.sim.HeaderHash = func(h int64) []byte { return []byte(fmt.Sprintf("%s/%d", salt, h)) }
		f.runTo(t, 103)
		rounds := f.rounds(t, id)
		require.Len(t, rounds, 1)
		return rounds[0].Seed
	}
	require.Equal(t, seedOf("proposer A"), seedOf("proposer B"))
}

func TestRoundScheduleSurvivesGenesisExport(t *testing.T) {
	f := newFixture(t)
	id := scheduleThreeRounds(t, f)
	f.runTo(t, 107)
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, gs.Validate())
	require.Len(t, gs.Rounds, 2)
	require.NotEmpty(t, gs.Draws)

	g := newFixture(t)
	g.ctx = g.ctx.WithBlockHeight(f.ctx.BlockHeight())
	require.NoError(t, g.k.InitGenesis(g.ctx, *gs))
	g.sim.Validators = f.sim.Validators
	g.runTo(t, 108)
	require.Len(t, g.rounds(t, id), 2)
	// Round 2's draw was reserved at 109 when the evaluation was created,
	// so the validators committed to that seed long before the export;
	// the commitments travelled in the genesis and the imported chain
	// draws the round on time.
	g.runTo(t, 109)
	require.Equal(t, types.SEED_STATUS_FIXED, g.seed(t, 109).Status)
	rounds := g.rounds(t, id)
	require.Len(t, rounds, 3, "the imported chain draws the next round")
	require.Equal(t, int64(109), rounds[2].StartHeight)

	bad := *gs
	bad.Rounds = []types.Round{gs.Rounds[1]}
	require.ErrorContains(t, bad.Validate(), "in order from 0")
}

func TestRoundsQueryUnknownEvaluation(t *testing.T) {
	f := newFixture(t)
	_, err := f.q.Rounds(f.ctx, &types.QueryRoundsRequest{Id: 7})
	require.ErrorContains(t, err, "not found")
	_, err = f.q.Seed(f.ctx, &types.QuerySeedRequest{Height: 7})
	require.ErrorContains(t, err, "no seed")
	_, err = f.q.Commitments(f.ctx, &types.QueryCommitmentsRequest{Id: 7})
	require.ErrorContains(t, err, "no round")
}

// TestRoundIndexesHoldWhatGenesisRebuilds: at every height of an
// evaluation's life (rounds drawn, committed, revealed, final before their
// timeout, accounted), the height indexes of rounds — timeouts, commit
// deadlines, reveal ends — hold exactly what InitGenesis rebuilds from an
// export of that height, so an export re-imports byte for byte. (A round
// final before its timeout kept its timeout entry until that height,
// which an import does not recreate — the SDK simulator's export check
// found it.) Also when nobody reports: rounds time out, are drawn again
// and the evaluation fails.
func TestRoundIndexesHoldWhatGenesisRebuilds(t *testing.T) {
	for _, honest := range []bool{true, false} {
		t.Run(fmt.Sprintf("honest=%v", honest), func(t *testing.T) { roundIndexesAtEveryHeight(t, honest) })
	}
}

func roundIndexesAtEveryHeight(t *testing.T, honest bool) {
	f := newFixture(t)
	id, _ := twoRounds(t, f)
	if honest {
		f.honest(func(m uint64, _ uint32) uint64 { return m })
	}
	keys := func(ctx sdk.Context, k *keeper.Keeper) []string {
		var out []string
		for name, set := range map[string]collections.KeySet[collections.Triple[int64, uint64, uint32]]{
			"timeout": k.RoundTimeouts, "commit": k.CommitDeadlines, "reveal": k.RevealEnds} {
			require.NoError(t, set.Walk(ctx, nil, func(key collections.Triple[int64, uint64, uint32]) (bool, error) {
				out = append(out, fmt.Sprintf("%s %d %d %d", name, key.K1(), key.K2(), key.K3()))
				return false, nil
			}))
		}
		sort.Strings(out)
		return out
	}
	for f.status(t, id) == types.EVALUATION_STATUS_RUNNING || f.status(t, id) == types.EVALUATION_STATUS_SCHEDULED {
		require.Less(t, f.ctx.BlockHeight(), int64(200))
		f.block(t)
		gs, err := f.k.ExportGenesis(f.ctx)
		require.NoError(t, err)
		g := newFixture(t)
		g.ctx = g.ctx.WithBlockHeight(f.ctx.BlockHeight())
		require.NoError(t, g.k.InitGenesis(g.ctx, *gs))
		require.Equal(t, keys(f.ctx, &f.k), keys(g.ctx, &g.k), "height %d", f.ctx.BlockHeight())
	}
}
