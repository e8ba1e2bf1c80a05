package app_test

import (
	"bytes"
	"encoding/json"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/app/abci/commit"
	"github.com/delphi-network/delphi/testutil/chaintest"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// withEvaluation puts a benchmark, two models and a one-round evaluation of
// them into genesis, its round 0 to be drawn with the seed of height 5.
func withEvaluation(cdc codec.Codec, state map[string]json.RawMessage) {
	gs := evaluationtypes.DefaultGenesis()
	root := "ab" + string(bytes.Repeat([]byte("0"), 62))
	gs.Benchmarks = []evaluationtypes.Benchmark{{Id: 1, Name: "iris", Task: "tabular-classification", Metric: "accuracy",
		DatasetSha256: root, ItemRoot: root, DatasetUris: []string{"file:///iris"}, ItemCount: 150}}
	gs.Models = []evaluationtypes.Model{
		{Id: 1, Name: "a", Format: "onnx", WeightsSha256: root, WeightsRoot: root, ArtifactUris: []string{"file:///a"}},
		{Id: 2, Name: "b", Format: "onnx", WeightsSha256: root, WeightsRoot: root, ArtifactUris: []string{"file:///b"}},
	}
	gs.Evaluations = []evaluationtypes.Evaluation{{Id: 1, BenchmarkId: 1, ModelIds: []uint64{1, 2}, Rounds: 1,
		ItemsPerRound: 10, BlocksBetweenRounds: 2, StartHeight: 5, DeadlineHeight: 60, Creator: "delphi1creator",
		Status: evaluationtypes.EVALUATION_STATUS_SCHEDULED}}
	gs.Seeds = []evaluationtypes.Seed{{Height: 5, Status: evaluationtypes.SEED_STATUS_PENDING}}
	gs.Draws = []evaluationtypes.Draw{{SeedHeight: 5, EvaluationId: 1, Round: 0}}
	gs.NextBenchmarkId, gs.NextModelId, gs.NextEvaluationId = 2, 3, 2
	state[evaluationtypes.ModuleName] = cdc.MustMarshalJSON(gs)
}

// claim is a sidecar result for (evaluation 1, round 0, attempt 0) of model m.
func claim(m, correct uint64, root byte) *evaluationtypes.RoundResult {
	return &evaluationtypes.RoundResult{EvaluationId: 1, Round: 0, ModelId: m, Correct: correct,
		TraceRoot: bytes.Repeat([]byte{root}, 32), Leaves: 9}
}

// commitmentsBy is an extension in which reporter r commits to `correct`
// for both models of evaluation 1, round 0.
func commitmentsBy(t testing.TB, r evaluationtypes.Reporter, correct uint64, root byte) []byte {
	t.Helper()
	ve := evaluationtypes.VoteExtension{Commitments: []*evaluationtypes.ResultCommitment{
		r.Commit(claim(1, correct, root)), r.Commit(claim(2, correct, root))}}
	bz, err := ve.Marshal()
	require.NoError(t, err)
	return bz
}

func inject(t *testing.T, info abci.ExtendedCommitInfo) []byte {
	t.Helper()
	tx, err := commit.Encode(info)
	require.NoError(t, err)
	return tx
}

// TestProposerCannotForgeExtensionsOnVotesItDidNotCount: a byzantine
// proposer may drop up to a third of the power from the block's last commit
// (flag ABSENT). It must not be able to put words in those validators'
// mouths: an extension (or signature) on a vote that is not a COMMIT, or an
// injected commit whose flags differ from the block's last commit, makes
// the proposal invalid, and such extensions never count.
func TestProposerCannotForgeExtensionsOnVotesItDidNotCount(t *testing.T) {
	c := chaintest.New(t, chaintest.Options{Genesis: withEvaluation})
	for c.Height < 5 {
		c.NextBlock()
	}
	round, err := c.App.EvaluationKeeper.GetRound(c.Context(), 1, 0)
	require.NoError(t, err)
	require.Equal(t, evaluationtypes.ROUND_PHASE_COMMIT, round.Phase, "round 0 takes commitments")
	h := c.Height
	victim := c.Reporter(3)
	forged := commitmentsBy(t, victim, 3, 0xbb)
	base := func() abci.ExtendedCommitInfo { return c.ExtendedCommit(h, nil) }

	t.Run("absent vote carrying an unsigned extension", func(t *testing.T) {
		info := base()
		info.Votes[3].BlockIdFlag = cmtproto.BlockIDFlagAbsent
		info.Votes[3].VoteExtension, info.Votes[3].ExtensionSignature = forged, nil
		require.Equal(t, abci.ResponseProcessProposal_REJECT,
			c.Process([][]byte{inject(t, info)}, chaintest.LastCommit(info)))
	})
	t.Run("absent vote carrying a signature", func(t *testing.T) {
		info := base()
		info.Votes[3].BlockIdFlag = cmtproto.BlockIDFlagNil
		info.Votes[3].VoteExtension = nil
		require.Equal(t, abci.ResponseProcessProposal_REJECT,
			c.Process([][]byte{inject(t, info)}, chaintest.LastCommit(info)))
	})
	t.Run("flags differ from the block's last commit", func(t *testing.T) {
		info := base()
		last := chaintest.LastCommit(info) // CometBFT: validator 3 signed the block
		info.Votes[3].BlockIdFlag = cmtproto.BlockIDFlagAbsent
		info.Votes[3].VoteExtension, info.Votes[3].ExtensionSignature = forged, nil
		require.Equal(t, abci.ResponseProcessProposal_REJECT, c.Process([][]byte{inject(t, info)}, last))
	})
	t.Run("an honest commit is accepted", func(t *testing.T) {
		info := base()
		require.Equal(t, abci.ResponseProcessProposal_ACCEPT, c.Process([][]byte{inject(t, info)}, chaintest.LastCommit(info)))
	})

	// Even in a decided block (which honest validators would not have let
	// through), a forged extension on an absent vote counts for nothing:
	// the PreBlocker runs the same checks and ignores such a commit whole.
	signed := [][]byte{commitmentsBy(t, c.Reporter(0), 3, 0xbb), commitmentsBy(t, c.Reporter(1), 3, 0xbb), nil, nil}
	info := c.ExtendedCommit(h, signed)
	info.Votes[3].BlockIdFlag = cmtproto.BlockIDFlagAbsent
	info.Votes[3].VoteExtension, info.Votes[3].ExtensionSignature = forged, nil
	c.Finalize([][]byte{inject(t, info)}, chaintest.LastCommit(info))
	recorded := func(i int) bool {
		has, err := c.App.EvaluationKeeper.Commitments.Has(c.Context(), collections.Join4(uint64(1), uint32(0), uint64(1), c.Validators[i].Address))
		require.NoError(t, err)
		return has
	}
	for i := range c.Validators {
		require.False(t, recorded(i), "validator %d", i)
	}
	// The signed extensions alone, with validator 3 absent and silent:
	// exactly the signed commitments are recorded.
	info = c.ExtendedCommit(c.Height, signed)
	info.Votes[3].BlockIdFlag = cmtproto.BlockIDFlagAbsent
	info.Votes[3].VoteExtension, info.Votes[3].ExtensionSignature = nil, nil
	c.Finalize([][]byte{inject(t, info)}, chaintest.LastCommit(info))
	for i, want := range []bool{true, true, false, false} {
		require.Equal(t, want, recorded(i), "validator %d's commitment recorded", i)
	}
}

// TestHalfThePowerCannotMakeAResultFinal: two validators of four commit
// and reveal the same false result through the real handlers; half of the
// power is not more than 2/3, so it never becomes final.
func TestHalfThePowerCannotMakeAResultFinal(t *testing.T) {
	c := chaintest.New(t, chaintest.Options{Genesis: withEvaluation})
	// Validators 0 and 1 commit and reveal a false result; 2 and 3 report
	// nothing.
	c.Results = func(_ sdk.Context, i int, _ int64) []*evaluationtypes.RoundResult {
		if i > 1 {
			return nil
		}
		return []*evaluationtypes.RoundResult{claim(1, 3, 0xbb), claim(2, 3, 0xbb)}
	}
	for c.Height < 20 {
		c.NextBlock()
	}
	has, err := c.App.EvaluationKeeper.Results.Has(c.Context(), collections.Join3(uint64(1), uint32(0), uint64(1)))
	require.NoError(t, err)
	require.False(t, has, "half of the power is not more than 2/3")
}
