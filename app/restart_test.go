package app_test

import (
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/baseapp"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"

	"github.com/delphi-network/delphi/app"
	"github.com/delphi-network/delphi/app/abci/commit"
)

// TestChainRestartedFromExportProposesItsFirstBlock: a chain started from
// an exported genesis begins at an initial height far above the
// vote-extension enable height, with no previous block and so no extended
// commit. Its first block must be proposed and accepted without one (else
// every proposer fails and the new chain never starts), and the block after
// it needs one again.
func TestChainRestartedFromExportProposesItsFirstBlock(t *testing.T) {
	const chainID, initial = "delphi-restart", int64(1000)
	a := newApp(t, chainID)
	params := *simtestutil.DefaultConsensusParams
	params.Abci = &cmtproto.ABCIParams{VoteExtensionsEnableHeight: app.DefaultVoteExtensionsEnableHeight}
	_, err := a.InitChain(&abci.RequestInitChain{
		ChainId: chainID, AppStateBytes: genesisWithValidator(t, a), ConsensusParams: &params, InitialHeight: initial,
	})
	require.NoError(t, err)

	prep, err := a.PrepareProposal(&abci.RequestPrepareProposal{Height: initial, MaxTxBytes: 1 << 20})
	require.NoError(t, err, "the first block of a restarted chain has no extended commit to inject")
	for _, tx := range prep.Txs {
		require.False(t, commit.IsInjected(tx))
	}
	proc, err := a.ProcessProposal(&abci.RequestProcessProposal{Height: initial, Txs: prep.Txs})
	require.NoError(t, err)
	require.Equal(t, abci.ResponseProcessProposal_ACCEPT, proc.Status)
	_, err = a.FinalizeBlock(&abci.RequestFinalizeBlock{Height: initial, Txs: prep.Txs})
	require.NoError(t, err)
	_, err = a.Commit()
	require.NoError(t, err)

	// The next block has a last commit: without the injected extended
	// commit its proposal is rejected.
	vals, err := a.StakingKeeper.GetLastValidators(a.NewUncachedContext(false, cmtproto.Header{Height: initial}))
	require.NoError(t, err)
	require.NotEmpty(t, vals)
	cons, err := vals[0].GetConsAddr()
	require.NoError(t, err)
	proc, err = a.ProcessProposal(&abci.RequestProcessProposal{
		Height: initial + 1,
		ProposedLastCommit: abci.CommitInfo{Votes: []abci.VoteInfo{{
			Validator: abci.Validator{Address: cons, Power: 1}, BlockIdFlag: cmtproto.BlockIDFlagCommit,
		}}},
	})
	require.NoError(t, err)
	require.Equal(t, abci.ResponseProcessProposal_REJECT, proc.Status)
}

// TestNewAtHeightOpensAPastState: the app opens the store at a past height,
// as `delphid export --height` and `delphid invariants --height` need.
func TestNewAtHeightOpensAPastState(t *testing.T) {
	const chainID = "delphi-height"
	db := dbm.NewMemDB()
	opts := appOptions{"home": t.TempDir()}
	a := app.New(log.NewNopLogger(), db, opts, baseapp.SetChainID(chainID))
	initAndCommit(t, a, genesisWithValidator(t, a), chainID)
	for h := int64(2); h <= 3; h++ {
		_, err := a.FinalizeBlock(&abci.RequestFinalizeBlock{Height: h})
		require.NoError(t, err)
		_, err = a.Commit()
		require.NoError(t, err)
	}
	past := app.NewAtHeight(log.NewNopLogger(), db, opts, 2, baseapp.SetChainID(chainID))
	require.EqualValues(t, 2, past.LastBlockHeight())
	exported, err := past.ExportAppStateAndValidators(false, nil, nil)
	require.NoError(t, err)
	require.EqualValues(t, 3, exported.Height)
	require.Panics(t, func() { app.NewAtHeight(log.NewNopLogger(), db, opts, 9, baseapp.SetChainID(chainID)) })
}
