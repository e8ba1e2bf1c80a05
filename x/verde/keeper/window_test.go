package keeper_test

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/delphi-network/delphi/evaluator/player"
	"github.com/delphi-network/delphi/x/verde/types"
)

// TestAChallengeAfterTheResultsWindowIsRefused: a result can be challenged
// for challenge_window_blocks after it became final, not for as long as
// its evaluation runs (which an open dispute, or later rounds, can make
// arbitrarily long): by then its backers may have unbonded.
func TestAChallengeAfterTheResultsWindowIsRefused(t *testing.T) {
	f := newFixture(t)
	lie := f.liar(7)
	// Validator 3 dissents: its dispute keeps the evaluation running.
	f.tally(t, f.vote(0, f.honest, f.correct), f.vote(1, f.honest, f.correct), f.vote(2, f.honest, f.correct), f.vote(3, lie, f.correct))
	has, err := f.k.HasOpenDisputes(f.ctx, f.evaluation)
	require.NoError(t, err)
	require.True(t, has)
	res, err := f.ek.GetResult(f.ctx, f.evaluation, 0, 1)
	require.NoError(t, err)
	window, err := f.ek.ChallengeWindowBlocks(f.ctx)
	require.NoError(t, err)
	stranger := sdk.AccAddress("stranger____________")
	challenge := func() error {
		_, err := exec(f, func(ctx sdk.Context) (*types.MsgChallengeResponse, error) {
			return f.msg.Challenge(ctx, &types.MsgChallenge{Challenger: stranger.String(), EvaluationId: f.evaluation,
				Round: 0, ModelId: 1, Correct: f.correct, TraceRoot: f.liar(3).Root(), Leaves: uint64(f.honest.Trace.Len())})
		})
		return err
	}
	f.beginBlock(t, res.Height+window+1)
	require.Equal(t, types.DISPUTE_STATUS_OPEN, f.dispute(t, 1).Status, "the first dispute still holds the evaluation")
	err = challenge()
	require.ErrorIs(t, err, types.ErrWindowClosed)
	require.ErrorContains(t, err, "could be challenged until height")
}

// TestAChallengeOnATextBenchmarkMayClaimMoreThanOnePointPerItem: a claim
// is bounded by items × points per item, not by items.
func TestAChallengeOnATextBenchmarkMayClaimMoreThanOnePointPerItem(t *testing.T) {
	f := newFixture(t)
	f.tally(t, f.vote(0, f.honest, f.correct), f.vote(1, f.honest, f.correct), f.vote(2, f.honest, f.correct))
	e, err := f.ek.GetEvaluation(f.ctx, f.evaluation)
	require.NoError(t, err)
	b, err := f.ek.Benchmarks.Get(f.ctx, e.BenchmarkId)
	require.NoError(t, err)
	b.PointsPerItem = 3
	require.NoError(t, f.ek.Benchmarks.Set(f.ctx, b.Id, b))
	stranger := sdk.AccAddress("stranger____________")
	claim := func(correct uint64) error {
		_, err := exec(f, func(ctx sdk.Context) (*types.MsgChallengeResponse, error) {
			return f.msg.Challenge(ctx, &types.MsgChallenge{Challenger: stranger.String(), EvaluationId: f.evaluation,
				Round: 0, ModelId: 1, Correct: correct, TraceRoot: f.liar(3).Root(), Leaves: uint64(f.honest.Trace.Len())})
		})
		return err
	}
	require.ErrorIs(t, claim(uint64(e.ItemsPerRound)*3+1), types.ErrInvalidChallenge)
	require.NoError(t, claim(uint64(e.ItemsPerRound)*3), "all points of all items")
}

// TestPunishingTheLosersNeverHaltsTheChain: a dispute ends in x/verde's
// BeginBlocker while one of the losing side's validators has unbonded and
// x/slashing refuses another. x/staking refuses to slash an unbonded
// validator; that error used to leave the BeginBlocker and halt the
// chain. The dispute must end, the punishable loser be punished and the
// others be listed as skipped.
func TestPunishingTheLosersNeverHaltsTheChain(t *testing.T) {
	f := newFixture(t)
	lie := f.liar(7)
	f.tally(t, f.vote(0, lie, f.correct), f.vote(1, lie, f.correct), f.vote(2, lie, f.correct))
	res, err := exec(f, func(ctx sdk.Context) (*types.MsgChallengeResponse, error) {
		return f.msg.Challenge(ctx, &types.MsgChallenge{Challenger: f.operators[3].String(), EvaluationId: f.evaluation,
			Round: 0, ModelId: 1, Correct: f.correct, TraceRoot: f.honest.Root(), Leaves: uint64(f.honest.Trace.Len())})
	})
	require.NoError(t, err)
	unbonded := sdk.ConsAddress(f.validators[0]).String()
	v := f.staking.vals[unbonded]
	v.Status = stakingtypes.Unbonded
	f.staking.vals[unbonded] = v
	f.slashing.refuse = map[string]bool{hex.EncodeToString(f.validators[1]): true}

	// Only the challenger plays; the claimant side misses its step and
	// loses in the BeginBlocker (which the fixture requires to succeed).
	var resolved sdk.Event
	for h := f.ctx.BlockHeight() + 1; f.dispute(t, res.DisputeId).Status == types.DISPUTE_STATUS_OPEN; h++ {
		require.Less(t, h, f.ctx.BlockHeight()+64)
		move, err := player.NextMove(f.submitter, f.dispute(t, res.DisputeId), types.SIDE_CHALLENGER, f.honest)
		require.NoError(t, err)
		if move != nil {
			require.NoError(t, f.deliver(t, move))
		}
		f.beginBlock(t, h)
		for _, e := range f.ctx.EventManager().Events() {
			if strings.HasSuffix(e.Type, "EventDisputeResolved") {
				resolved = e
			}
		}
	}
	require.Equal(t, types.DISPUTE_STATUS_CHALLENGER_WON, f.dispute(t, res.DisputeId).Status)
	require.Equal(t, []string{hex.EncodeToString(f.validators[2])}, f.slashing.slashed, "the one loser that can be punished is")
	attrs := map[string]string{}
	for _, a := range resolved.Attributes {
		attrs[a.Key] = a.Value
	}
	require.Contains(t, attrs["skipped"], hex.EncodeToString(f.validators[0])+": unbonded")
	require.Contains(t, attrs["skipped"], hex.EncodeToString(f.validators[1])+": refused")
	require.Empty(t, strings.Trim(attrs["failed"], `"`))
	got, err := f.ek.GetResult(f.ctx, f.evaluation, 0, 1)
	require.NoError(t, err)
	require.Equal(t, f.honest.Root(), got.TraceRoot, "the honest claim replaced the result")
}
