package keeper_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/delphi-network/delphi/testutil/evalsim"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// fakeDisputes stands in for x/verde: it records contested results and
// reports disputes open while told to.
type fakeDisputes struct {
	contested []types.Claim
	results   []types.Result
	open      bool
}

func (d *fakeDisputes) ContestResult(_ context.Context, res types.Result, c types.Claim) error {
	d.results, d.contested = append(d.results, res), append(d.contested, c)
	return nil
}

func (d *fakeDisputes) HasOpenDisputes(context.Context, uint64) (bool, error) { return d.open, nil }

// TestChallengeWindowAndDisputesHoldFinalization: a dissenting claim is
// handed to the dispute keeper with the validators on both sides; the
// evaluation finalizes only after the challenge window and once no dispute
// is open; a replaced result changes the standings.
func TestChallengeWindowAndDisputesHoldFinalization(t *testing.T) {
	f := newFixture(t)
	p, err := f.k.Params.Get(f.ctx)
	require.NoError(t, err)
	p.ChallengeWindowBlocks = 5
	require.NoError(t, f.k.Params.Set(f.ctx, p))
	id, hooks := twoRounds(t, f)
	d := &fakeDisputes{}
	f.k.SetDisputeKeeper(d)
	// Validators 0..2 (power 30 each) agree; validator 3 (10) dissents on model 1.
	f.sim.Powers = []int64{30, 30, 30, 10}
	f.sim.Results = f.sim.Claims(func(i int, r types.Round, m uint64) *types.RoundResult {
		switch {
		case m == 1 && i == 3:
			return evalsim.Result(90, 9)
		case m == 1:
			return evalsim.Result(60, 1)
		}
		return evalsim.Result(50-10*(m-2), byte(m))
	})
	f.runTo(t, 107)
	require.Len(t, d.contested, 1)
	require.Equal(t, []string{f.valHex(0), f.valHex(1), f.valHex(2)}, d.results[0].Validators)
	require.Equal(t, types.Claim{Correct: 90, TraceRoot: hexRoot(9), Leaves: 12, Validators: []string{f.valHex(3)}}, d.contested[0])

	f.runTo(t, 110) // round 1 final at 110
	e, err := f.k.Evaluations.Get(f.ctx, id)
	require.NoError(t, err)
	require.Equal(t, types.EVALUATION_STATUS_RUNNING, e.Status, "waits for the challenge window")
	require.Equal(t, int64(115), e.FinalAfterHeight)

	d.open = true
	f.runTo(t, 115)
	require.Equal(t, types.EVALUATION_STATUS_RUNNING, f.status(t, id), "a dispute is open")
	f.runTo(t, 170)
	require.Equal(t, types.EVALUATION_STATUS_RUNNING, f.status(t, id), "the deadline does not fail an evaluation held by a dispute")

	// The dissenter won the dispute about round 0: its claim replaces the result.
	require.NoError(t, f.k.ReplaceResult(f.ctx, id, 0, 1, d.contested[0]))
	got, err := f.k.GetResult(f.ctx, id, 0, 1)
	require.NoError(t, err)
	require.True(t, got.Replaced)
	require.Equal(t, uint64(90), got.Correct)
	d.open = false
	f.block(t)
	require.Equal(t, types.EVALUATION_STATUS_FINALIZED, f.status(t, id))
	st := hooks.finalized[id]
	require.Equal(t, uint64(1), st[0].ModelId)
	require.Equal(t, uint64(150), st[0].Correct, "90 + 60 after the replacement")
}

// TestEvaluationWaitingOutItsWindowSurvivesExport: exported during its
// challenge window, an evaluation finalizes after import (the index of
// evaluations awaiting finalization is rebuilt from their state).
func TestEvaluationWaitingOutItsWindowSurvivesExport(t *testing.T) {
	f := newFixture(t)
	p, err := f.k.Params.Get(f.ctx)
	require.NoError(t, err)
	p.ChallengeWindowBlocks = 5
	require.NoError(t, f.k.Params.Set(f.ctx, p))
	id, _ := twoRounds(t, f)
	f.honest(func(m uint64, _ uint32) uint64 { return m })
	f.runTo(t, 111)
	e, err := f.k.Evaluations.Get(f.ctx, id)
	require.NoError(t, err)
	require.Equal(t, int64(115), e.FinalAfterHeight)
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)

	g := newFixture(t)
	g.ctx = g.ctx.WithBlockHeight(f.ctx.BlockHeight())
	require.NoError(t, g.k.InitGenesis(g.ctx, *gs))
	// x/bank's export carries the deposit the module holds.
	g.bank.SetBalance(g.ctx, authtypes.NewModuleAddress(types.ModuleName), "udelphi", f.moduleBalance("udelphi"))
	g.runTo(t, 115)
	require.Equal(t, types.EVALUATION_STATUS_FINALIZED, g.status(t, id))
}

// TestSettlementHasOneEntryPoint: an evaluation finalizes (and its hooks,
// x/market's settlement among them, run) only in x/evaluation's
// BeginBlocker, also when challenge_window_blocks is 0 — not in the
// PreBlocker that made its last result final, so every settlement runs
// in one phase of the block, after x/verde's BeginBlocker. (With a zero
// window it used to finalize inside ProcessCommit.) It still finalizes
// in the block whose extensions made its last round final.
func TestSettlementHasOneEntryPoint(t *testing.T) {
	f := newFixture(t)
	p, err := f.k.Params.Get(f.ctx)
	require.NoError(t, err)
	p.ChallengeWindowBlocks = 0
	require.NoError(t, f.k.Params.Set(f.ctx, p))
	id, hooks := twoRounds(t, f)
	f.honest(func(m uint64, r uint32) uint64 { return 10 * m })
	afterPreBlocker := map[int64]types.EvaluationStatus{}
	f.sim.BeginBlock = func(ctx sdk.Context) {
		e, err := f.k.Evaluations.Get(ctx, id)
		require.NoError(t, err)
		afterPreBlocker[ctx.BlockHeight()] = e.Status
	}
	for f.status(t, id) != types.EVALUATION_STATUS_FINALIZED {
		require.Less(t, f.ctx.BlockHeight(), int64(160), "never finalized")
		f.block(t)
	}
	h := f.ctx.BlockHeight()
	require.Equal(t, types.EVALUATION_STATUS_RUNNING, afterPreBlocker[h], "finalized in the PreBlocker of height %d", h)
	e, err := f.k.Evaluations.Get(f.ctx, id)
	require.NoError(t, err)
	require.Equal(t, h, e.FinalAfterHeight, "finalized in the block whose extensions made the last round final")
	require.Contains(t, hooks.finalized, id)
}
