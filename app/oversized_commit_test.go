package app_test

import (
	"encoding/binary"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"

	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"

	"github.com/delphi-network/delphi/app/abci/commit"
	"github.com/delphi-network/delphi/testutil/chaintest"
)

// TestOversizedExtendedCommitDegradesInsteadOfHalting: every validator
// sends the largest extension the params allow and the block is too small
// for all of them. The proposer must still propose a block every validator
// accepts (dropping extensions, keeping what it includes verifiable),
// instead of failing PrepareProposal, whose fallback (the raw txs, without
// the injected commit) every validator rejects. Whose extensions are left
// out rotates with the height.
func TestOversizedExtendedCommitDegradesInsteadOfHalting(t *testing.T) {
	cp := *simtestutil.DefaultConsensusParams
	block := *cp.Block
	block.MaxBytes = 55_000
	cp.Block = &block
	c := chaintest.New(t, chaintest.Options{ConsensusParams: &cp})
	c.Extend = func(int, int64) []byte {
		p, err := c.App.EvaluationKeeper.Params.Get(c.Context())
		require.NoError(t, err)
		return bigExtension(t, p, 10_000)
	}
	for c.Height < 3 {
		c.NextBlock()
	}
	require.Greater(t, 4*len(c.Extensions(c.Height)[0]), int(c.MaxTxBytes()), "the extensions do not all fit")
	keptBy := map[string]int{}
	for i := 0; i < 4; i++ {
		txs, _ := c.NextBlock()
		require.True(t, commit.IsInjected(txs[0]))
		var info abci.ExtendedCommitInfo
		require.NoError(t, info.Unmarshal(txs[0][len(commit.Prefix):]))
		kept := 0
		for _, v := range info.Votes {
			require.Equal(t, cmtproto.BlockIDFlagCommit, v.BlockIdFlag, "no vote is dropped, only extensions")
			if len(v.VoteExtension) > 0 {
				kept++
				keptBy[string(v.Validator.Address)]++
			}
		}
		require.Positive(t, kept, "the extensions that fit are kept")
		require.Less(t, kept, len(info.Votes), "some are left out")
	}
	require.Len(t, keptBy, len(c.Validators), "who is left out rotates with the height: every validator was heard")
}

// TestAProposerCannotPadTheCommitToDropExtensions: room is judged by the
// injected commit's size, so a proposer that could pad it with bytes that
// carry nothing (an unknown protobuf field) could make any block look
// full and leave out the extensions it likes. The padded proposal is
// rejected.
func TestAProposerCannotPadTheCommitToDropExtensions(t *testing.T) {
	c := chaintest.New(t, chaintest.Options{})
	c.Extend = func(int, int64) []byte {
		p, err := c.App.EvaluationKeeper.Params.Get(c.Context())
		require.NoError(t, err)
		return bigExtension(t, p, 2)
	}
	for c.Height < 4 {
		c.NextBlock()
	}
	local := c.ExtendedCommit(c.Height, c.Extensions(c.Height))
	honest := c.Prepare(local, c.MaxTxBytes())
	info, err := commit.Decode(honest[0])
	require.NoError(t, err)
	order := commit.Order(len(info.Votes), c.Height+1)
	last := order[len(order)-1]
	require.NotEmpty(t, info.Votes[last].VoteExtension)
	info.Votes[last].VoteExtension, info.Votes[last].ExtensionSignature = nil, nil
	tx := inject(t, info)
	budget := commit.Budget(c.App.GetConsensusParams(c.Context()), len(info.Votes))
	pad := budget - commit.Size(tx) - 64
	require.Positive(t, pad)
	field := []byte{0x9a, 0x06} // field 99, length-delimited
	field = binary.AppendUvarint(field, uint64(pad))
	padded := append(append(append([]byte(nil), tx...), field...), make([]byte, pad)...)
	require.Equal(t, abci.ResponseProcessProposal_REJECT,
		c.Process(append([][]byte{padded}, honest[1:]...), chaintest.LastCommit(local)), "padded to look full")
	require.Equal(t, abci.ResponseProcessProposal_REJECT,
		c.Process(append([][]byte{tx}, honest[1:]...), chaintest.LastCommit(local)), "not padded: there was room")
	require.Equal(t, abci.ResponseProcessProposal_ACCEPT, c.Process(honest, chaintest.LastCommit(local)))
}
