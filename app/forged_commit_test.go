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

	"github.com/delphi-network/delphi/app/abci/commit"
	"github.com/delphi-network/delphi/testutil/chaintest"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// withEvaluation puts a benchmark, two models and a one-round evaluation of
// them starting at height 4 into genesis.
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
		ItemsPerRound: 10, BlocksBetweenRounds: 2, StartHeight: 4, DeadlineHeight: 60, Creator: "delphi1creator",
		Status: evaluationtypes.EVALUATION_STATUS_SCHEDULED}}
	gs.NextBenchmarkId, gs.NextModelId, gs.NextEvaluationId = 2, 3, 2
	state[evaluationtypes.ModuleName] = cdc.MustMarshalJSON(gs)
}

// claimExt is an extension claiming `correct` for both models of evaluation
// 1, round 0.
func claimExt(correct uint64, root byte) []byte {
	bz, err := (&evaluationtypes.VoteExtension{Results: []*evaluationtypes.RoundResult{
		{EvaluationId: 1, Round: 0, ModelId: 1, Correct: correct, TraceRoot: bytes.Repeat([]byte{root}, 32), Leaves: 9},
		{EvaluationId: 1, Round: 0, ModelId: 2, Correct: correct, TraceRoot: bytes.Repeat([]byte{root}, 32), Leaves: 9},
	}}).Marshal()
	if err != nil {
		panic(err)
	}
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
// the proposal invalid, and such extensions never count in the tally.
func TestProposerCannotForgeExtensionsOnVotesItDidNotCount(t *testing.T) {
	c := chaintest.New(t, chaintest.Options{Genesis: withEvaluation})
	for c.Height < 4 {
		c.NextBlock()
	}
	h := c.Height
	forged := claimExt(3, 0xbb)
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

	// Validators 0 and 1 (half the power, just over a third) sign a false
	// result; the proposer marks validator 3 absent and forges the same
	// claim in its name. Even in a decided block, the forged extension
	// counts for nothing: the false claim has 2 of 4, not more than 2/3.
	info := c.ExtendedCommit(h, [][]byte{claimExt(3, 0xbb), claimExt(3, 0xbb), claimExt(9, 0xaa), nil})
	info.Votes[3].BlockIdFlag = cmtproto.BlockIDFlagAbsent
	info.Votes[3].VoteExtension, info.Votes[3].ExtensionSignature = forged, nil
	c.Finalize([][]byte{inject(t, info)}, chaintest.LastCommit(info))
	has, err := c.App.EvaluationKeeper.Results.Has(c.Context(), collections.Join3(uint64(1), uint32(0), uint64(1)))
	require.NoError(t, err)
	require.False(t, has, "a forged extension on an absent vote made a result final")
}
