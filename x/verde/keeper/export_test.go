package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/evaluator/player"
	"github.com/delphi-network/delphi/testutil/storeutil"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/verde/keeper"
	"github.com/delphi-network/delphi/x/verde/types"
)

// reimport exports x/evaluation's and x/verde's genesis, empties both
// stores and imports the export: what a chain restarted from an export
// has. Exporting again must give the same state.
func (f *fixture) reimport(t *testing.T) {
	t.Helper()
	eg, err := f.ek.ExportGenesis(f.ctx)
	require.NoError(t, err)
	vg, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	storeutil.Wipe(t, f.ctx, f.keys[types.StoreKey], f.keys[evaluationtypes.StoreKey])
	require.NoError(t, f.ek.InitGenesis(f.ctx, *eg))
	require.NoError(t, f.k.InitGenesis(f.ctx, *vg))
	eg2, err := f.ek.ExportGenesis(f.ctx)
	require.NoError(t, err)
	vg2, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.Equal(t, eg, eg2)
	require.Equal(t, vg, vg2)
}

// TestADisputeSurvivesExport: a chain exported while a dispute is open —
// and again in the middle of its bisection — and restarted from the export
// plays the dispute to its verdict, replaces the result, keeps the bonds
// and finalizes the evaluation after its window: the dispute's deadline,
// the open-dispute index and the evaluation's await are all rebuilt.
func TestADisputeSurvivesExport(t *testing.T) {
	f := newFixture(t)
	lie := f.liar(7)
	f.tally(t, f.vote(0, lie, f.correct), f.vote(1, lie, f.correct), f.vote(2, lie, f.correct))
	stranger := sdk.AccAddress("stranger____________")
	res, err := exec(f, func(ctx sdk.Context) (*types.MsgChallengeResponse, error) {
		return f.msg.Challenge(ctx, &types.MsgChallenge{Challenger: stranger.String(), EvaluationId: f.evaluation,
			Round: 0, ModelId: 1, Correct: f.correct, TraceRoot: f.honest.Root(), Leaves: uint64(f.honest.Trace.Len())})
	})
	require.NoError(t, err)
	f.reimport(t)
	has, err := f.ek.HasOpenDisputes(f.ctx, f.evaluation)
	require.NoError(t, err)
	require.True(t, has, "the open dispute is indexed after import")

	// One move each, then export again mid-bisection.
	for _, side := range []struct {
		s   types.Side
		run player.Run
	}{{types.SIDE_CLAIMANT, lie}, {types.SIDE_CHALLENGER, f.honest}} {
		move, err := player.NextMove(f.submitter, f.dispute(t, res.DisputeId), side.s, side.run)
		require.NoError(t, err)
		require.NotNil(t, move)
		require.NoError(t, f.deliver(t, move))
	}
	f.beginBlock(t, f.ctx.BlockHeight()+1)
	require.Equal(t, types.DISPUTE_STATUS_OPEN, f.dispute(t, res.DisputeId).Status)
	f.reimport(t)

	f.play(t, res.DisputeId, lie, f.honest)
	require.Equal(t, types.DISPUTE_STATUS_CHALLENGER_WON, f.dispute(t, res.DisputeId).Status)
	got, err := f.ek.GetResult(f.ctx, f.evaluation, 0, 1)
	require.NoError(t, err)
	require.Equal(t, f.honest.Root(), got.TraceRoot)
	_, broken := keeper.BondsInvariant(f.k)(f.ctx)
	require.False(t, broken)

	f.reimport(t)
	f.beginBlock(t, f.ctx.BlockHeight()+4)
	e, err := f.ek.GetEvaluation(f.ctx, f.evaluation)
	require.NoError(t, err)
	require.Equal(t, evaluationtypes.EVALUATION_STATUS_FINALIZED, e.Status, "the await is rebuilt: it finalizes after the window")
}
