package app_test

import (
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"

	"github.com/delphi-network/delphi/app/abci/commit"
	"github.com/delphi-network/delphi/testutil/chaintest"
)

// TestABlockTooSmallForTheVotesStillCommits: governance may set the
// evidence limit as high as the block limit (CometBFT accepts it), which
// leaves the injected commit no room even for the votes without
// extensions. Proposers must still propose blocks everyone accepts (the
// elided commit) instead of failing PrepareProposal at every height, so
// the chain keeps committing and governance can raise the limit again.
func TestABlockTooSmallForTheVotesStillCommits(t *testing.T) {
	cp := *simtestutil.DefaultConsensusParams
	block, evidence := *cp.Block, *cp.Evidence
	block.MaxBytes = 1 << 20
	evidence.MaxBytes = block.MaxBytes
	cp.Block, cp.Evidence = &block, &evidence
	c := chaintest.New(t, chaintest.Options{ConsensusParams: &cp})
	require.Zero(t, commit.Budget(cp, len(c.Validators)))
	for c.Height < 8 {
		txs, res := c.NextBlock()
		if c.Height <= 2 {
			continue
		}
		require.True(t, commit.IsInjected(txs[0]))
		info, err := commit.Decode(txs[0])
		require.NoError(t, err)
		require.True(t, commit.IsElided(info), "height %d: no room for the votes, the commit is elided", c.Height)
		require.NotEmpty(t, res.TxResults)
	}
}

// TestAProposerCannotElideACommitThatFits: the elided commit drops every
// extension, so it is refused whenever the votes fit.
func TestAProposerCannotElideACommitThatFits(t *testing.T) {
	c := chaintest.New(t, chaintest.Options{})
	for c.Height < 4 {
		c.NextBlock()
	}
	local := c.ExtendedCommit(c.Height, c.Extensions(c.Height))
	honest := c.Prepare(local, c.MaxTxBytes())
	elided := append([][]byte{inject(t, commit.Elided(local.Round))}, honest[1:]...)
	require.Equal(t, abci.ResponseProcessProposal_REJECT, c.Process(elided, chaintest.LastCommit(local)))
	require.Equal(t, abci.ResponseProcessProposal_ACCEPT, c.Process(honest, chaintest.LastCommit(local)))
}
