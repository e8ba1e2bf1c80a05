package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	evaluationkeeper "github.com/delphi-network/delphi/x/evaluation/keeper"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/market/types"
)

// TestCancelLeavesOthersEvaluationRunning: a market listed on someone
// else's evaluation can be cancelled, but the evaluation stays.
func TestCancelLeavesOthersEvaluationRunning(t *testing.T) {
	f := newFixture(t)
	e, err := evaluationkeeper.NewMsgServerImpl(*f.ek).CreateEvaluation(f.ctx, &evaluationtypes.MsgCreateEvaluation{
		Creator: f.bob.String(), BenchmarkId: f.benchmark, ModelIds: f.models[:2], Rounds: 1, ItemsPerRound: 5,
		BlocksBetweenRounds: 2, StartDelay: 5, DeadlineBlocks: 20})
	require.NoError(t, err)
	msg := f.createMsg(2)
	msg.Spec, msg.EvaluationId = nil, e.Id
	res, err := exec(f, func(ctx sdk.Context) (*types.MsgCreateMarketResponse, error) { return f.msg.CreateMarket(ctx, msg) })
	require.NoError(t, err)
	_, err = exec(f, func(ctx sdk.Context) (*types.MsgCancelMarketResponse, error) {
		return f.msg.CancelMarket(ctx, &types.MsgCancelMarket{Signer: f.alice.String(), MarketId: res.MarketId})
	})
	require.NoError(t, err)
	got, err := f.ek.GetEvaluation(f.ctx, e.Id)
	require.NoError(t, err)
	require.Equal(t, evaluationtypes.EVALUATION_STATUS_SCHEDULED, got.Status, "bob's evaluation is not alice's to cancel")
}

// TestFeeSplitAfterProtocolShareRises: governance raises the protocol's
// share above what an existing market's creator share leaves; the parts
// still add up to the fee and none is negative.
func TestFeeSplitAfterProtocolShareRises(t *testing.T) {
	f := newFixture(t)
	m := f.create(t, 2) // creator share 20%
	p := types.DefaultParams()
	p.ProtocolFeeShareBps, p.MaxCreatorFeeShareBps = 9_500, 500
	_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
	require.NoError(t, err)
	f.buy(t, f.bob, m.Id, 0, 5_000_000)
	m = f.market(t, m.Id)
	require.False(t, m.LpFees.IsNegative())
	// fee 28093: protocol ⌊95%⌋ = 26688, creator capped at the rest 1405, LP 0.
	require.Equal(t, math.NewInt(1_405), m.CreatorFees)
	require.True(t, m.LpFees.IsZero())
	f.endBlock(t)
	// Half of the protocol's share pays the evaluation's reporters.
	require.Equal(t, math.NewInt(26_688-13_344), f.balance(communityPool))
}
