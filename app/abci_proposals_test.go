package app_test

import (
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/app/abci/commit"
	"github.com/delphi-network/delphi/testutil/chaintest"
)

// TestMalformedProposalsAreRejected: once extensions are live a proposal
// must start with exactly one injected commit that decodes.
func TestMalformedProposalsAreRejected(t *testing.T) {
	c := chaintest.New(t, chaintest.Options{})
	for c.Height < 3 {
		c.NextBlock()
	}
	info := c.ExtendedCommit(c.Height, nil)
	last := chaintest.LastCommit(info)
	good, err := commit.Encode(info)
	require.NoError(t, err)
	garbled := append(append([]byte{}, commit.Prefix...), 0xff, 0xff, 0xff)
	for name, txs := range map[string][][]byte{
		"no txs":            nil,
		"ordinary first tx": {[]byte("tx")},
		"garbled commit":    {garbled},
		"two commits":       {good, good},
		"commit not first":  {[]byte("tx"), good},
	} {
		t.Run(name, func(t *testing.T) {
			require.Equal(t, abci.ResponseProcessProposal_REJECT, c.Process(txs, last))
		})
	}
	require.Equal(t, abci.ResponseProcessProposal_ACCEPT, c.Process([][]byte{good}, last))
	require.True(t, commit.IsInjected(good))
	require.False(t, commit.IsInjected([]byte("delphi/extended-commit/v2")))
}
