package keeper_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/testutil/evalsim"
	"github.com/delphi-network/delphi/testutil/fakebank"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// beginBlockGas is what x/evaluation's BeginBlock reads and writes at the
// next height, in gas.
func (f *fixture) beginBlockGas(t *testing.T) storetypes.Gas {
	t.Helper()
	ctx := f.ctx.WithBlockHeight(f.ctx.BlockHeight() + 1).WithGasMeter(storetypes.NewInfiniteGasMeter())
	require.NoError(t, f.k.BeginBlocker(ctx))
	return ctx.GasMeter().GasConsumed()
}

// TestBlockHooksCostDoesNotGrowWithHistory: a block's hooks read only the
// evaluations that are live. 300 evaluations that ended (here cancelled
// before they started) leave BeginBlock's cost exactly what it is without
// them. (The deadline check used to walk every evaluation ever created on
// every block: 1,270 gas became 1,675,135 with 6,000 dead ones.)
func TestBlockHooksCostDoesNotGrowWithHistory(t *testing.T) {
	setup := func(dead int) *fixture {
		f := newFixture(t)
		f.benchmark(t, "mnist")
		f.model(t, f.alice, "a")
		f.model(t, f.alice, "b")
		for i := 0; i < dead; i++ {
			out, err := f.msg.CreateEvaluation(f.ctx, &types.MsgCreateEvaluation{Creator: f.bob, BenchmarkId: 1,
				ModelIds: []uint64{1, 2}, Rounds: 1, ItemsPerRound: 10, BlocksBetweenRounds: 3, StartDelay: 2, DeadlineBlocks: 30})
			require.NoError(t, err)
			require.NoError(t, f.k.CancelEvaluation(f.ctx, out.Id, "gone", false))
		}
		// Their waiting draws are dropped when their seed height comes.
		f.runTo(t, 110)
		_, err := f.msg.CreateEvaluation(f.ctx, &types.MsgCreateEvaluation{Creator: f.bob, BenchmarkId: 1,
			ModelIds: []uint64{1, 2}, Rounds: 3, ItemsPerRound: 10, BlocksBetweenRounds: 3, StartDelay: 2, DeadlineBlocks: 30})
		require.NoError(t, err)
		f.honest(func(m uint64, _ uint32) uint64 { return m })
		f.runTo(t, 118)
		return f
	}
	fresh, old := setup(0), setup(300)
	require.Equal(t, fresh.beginBlockGas(t), old.beginBlockGas(t))
}

// TestTheDepositFollowsTheEvaluation: returned to its creator when the
// evaluation finalizes or fails, or when it is cancelled before it started;
// burned when its creator cancels it after validators started on it.
func TestTheDepositFollowsTheEvaluation(t *testing.T) {
	create := func(f *fixture) uint64 {
		f.benchmark(t, "mnist")
		f.model(t, f.alice, "a")
		f.model(t, f.alice, "b")
		out, err := f.msg.CreateEvaluation(f.ctx, &types.MsgCreateEvaluation{Creator: f.bob, BenchmarkId: 1,
			ModelIds: []uint64{1, 2}, Rounds: 1, ItemsPerRound: 10, BlocksBetweenRounds: 3, StartDelay: 2, DeadlineBlocks: 30})
		require.NoError(t, err)
		return out.Id
	}
	const deposit = 100 * 2 * 1 * 10
	start := math.NewInt(1_000_000_000_000)

	t.Run("finalized", func(t *testing.T) {
		f := newFixture(t)
		id := create(f)
		require.Equal(t, start.SubRaw(deposit), f.balance(f.bob, "udelphi"))
		f.honest(func(m uint64, _ uint32) uint64 { return m })
		f.runTo(t, 110)
		require.Equal(t, types.EVALUATION_STATUS_FINALIZED, f.status(t, id))
		require.Equal(t, start, f.balance(f.bob, "udelphi"))
		require.True(t, f.moduleBalance("udelphi").IsZero())
	})
	t.Run("failed at its deadline", func(t *testing.T) {
		f := newFixture(t)
		id := create(f)
		f.runTo(t, 140)
		require.Equal(t, types.EVALUATION_STATUS_FAILED, f.status(t, id))
		require.Equal(t, start, f.balance(f.bob, "udelphi"), "the validators' failure is not the creator's")
	})
	t.Run("cancelled by its creator before it started", func(t *testing.T) {
		f := newFixture(t)
		id := create(f)
		require.NoError(t, f.k.CancelEvaluation(f.ctx, id, "changed my mind", true))
		require.Equal(t, start, f.balance(f.bob, "udelphi"))
	})
	t.Run("cancelled by its creator after it started", func(t *testing.T) {
		f := newFixture(t)
		id := create(f)
		f.runTo(t, 104)
		require.Equal(t, types.EVALUATION_STATUS_RUNNING, f.status(t, id))
		require.NoError(t, f.k.CancelEvaluation(f.ctx, id, "changed my mind", true))
		require.Equal(t, start.SubRaw(deposit), f.balance(f.bob, "udelphi"))
		require.Equal(t, math.NewInt(deposit), f.bank.Balance(f.ctx, fakebank.Burned, "udelphi"), "burned")
		require.True(t, f.moduleBalance("udelphi").IsZero())
	})
	t.Run("cancelled by governance after it started", func(t *testing.T) {
		f := newFixture(t)
		id := create(f)
		f.runTo(t, 104)
		require.NoError(t, f.k.CancelEvaluation(f.ctx, id, "governance", false))
		require.Equal(t, start, f.balance(f.bob, "udelphi"))
	})
}

// TestFullExtensionsKeepWhatPaidTheMost: when an extension cannot hold
// every result, the evaluations with the most deposit per result go
// first. A spammer's cheap evaluations, created before or after the
// evaluation that paid for priority (older or newer ids), cannot crowd
// its results out.
func TestFullExtensionsKeepWhatPaidTheMost(t *testing.T) {
	f := newFixture(t)
	f.benchmark(t, "mnist")
	f.model(t, f.alice, "a")
	f.model(t, f.alice, "b")
	spec := func(deposit int64) *types.MsgCreateEvaluation {
		m := &types.MsgCreateEvaluation{Creator: f.bob, BenchmarkId: 1, ModelIds: []uint64{1, 2}, Rounds: 1,
			ItemsPerRound: 10, BlocksBetweenRounds: 3, StartDelay: 2, DeadlineBlocks: 30}
		if deposit > 0 {
			m.Deposit = sdk.NewCoins(sdk.NewInt64Coin("udelphi", deposit))
		}
		return m
	}
	var ids []uint64
	for _, d := range []int64{0, 0, 50_000, 0, 0} { // the middle one paid 25× the minimum
		out, err := f.msg.CreateEvaluation(f.ctx, spec(d))
		require.NoError(t, err)
		ids = append(ids, out.Id)
	}
	f.runTo(t, 103)
	for _, id := range ids {
		require.Equal(t, types.ROUND_STATUS_OPEN, f.round(t, id, 0).Status)
	}
	p, err := f.k.Params.Get(f.ctx)
	require.NoError(t, err)
	limits := p.Limits(104)
	limits.MaxResultsPerExtension = 2
	var results []*types.RoundResult
	for _, id := range ids {
		for m := uint64(1); m <= 2; m++ {
			r := evalsim.Result(5, byte(m))
			r.EvaluationId, r.ModelId = id, m
			results = append(results, r)
		}
	}
	ve, err := f.k.BuildVoteExtension(f.ctx, 104, f.sim.Validators[0], results, limits)
	require.NoError(t, err)
	require.Len(t, ve.Commitments, 2)
	for _, c := range ve.Commitments {
		require.Equal(t, ids[2], c.EvaluationId, fmt.Sprintf("commitment %v", c.Key()))
	}
}

// TestDrawsPerBlockAreBounded: evaluations created on one schedule reserve
// their draws at most max_draws_per_block a height, the rest at the next
// heights with room, so one block's hooks never work through an unbounded
// number of rounds, and each evaluation's deadline counts from its own
// reserved draw.
func TestDrawsPerBlockAreBounded(t *testing.T) {
	f := newFixture(t)
	p, err := f.k.Params.Get(f.ctx)
	require.NoError(t, err)
	p.MaxDrawsPerBlock = 3
	require.NoError(t, f.k.Params.Set(f.ctx, p))
	f.benchmark(t, "mnist")
	f.model(t, f.alice, "a")
	f.model(t, f.alice, "b")
	for i := 0; i < 8; i++ {
		_, err := f.msg.CreateEvaluation(f.ctx, &types.MsgCreateEvaluation{Creator: f.bob, BenchmarkId: 1,
			ModelIds: []uint64{1, 2}, Rounds: 1, ItemsPerRound: 10, BlocksBetweenRounds: 3, StartDelay: 2, DeadlineBlocks: 50})
		require.NoError(t, err)
	}
	opened := func() (n int) {
		for id := uint64(1); id <= 8; id++ {
			if r, err := f.k.GetRound(f.ctx, id, 0); err == nil && r.Status == types.ROUND_STATUS_OPEN {
				n++
			}
		}
		return n
	}
	for _, want := range []struct {
		height int64
		opened int
	}{{102, 0}, {103, 3}, {104, 6}, {105, 8}} {
		f.runTo(t, want.height)
		require.Equal(t, want.opened, opened(), "at height %d", want.height)
	}
	for id, want := range []int64{103, 103, 103, 104, 104, 104, 105, 105} {
		r, err := f.k.GetRound(f.ctx, uint64(id+1), 0)
		require.NoError(t, err)
		require.Equal(t, want, r.SeedHeight, "evaluation %d", id+1)
		e, err := f.k.Evaluations.Get(f.ctx, uint64(id+1))
		require.NoError(t, err)
		require.Equal(t, want+50, e.DeadlineHeight)
	}
}
