package app

import (
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/log/v2"
)

func TestCheckInjectedCommitRejectsMalformedProposals(t *testing.T) {
	a := New(log.NewNopLogger(), dbm.NewMemDB(), testOptions{"home": t.TempDir()})
	ctx := a.NewUncachedContext(false, cmtproto.Header{Height: 5})
	injected := func(b []byte) []byte { return append(append([]byte{}, InjectedCommitPrefix...), b...) }
	empty, err := (&abci.ExtendedCommitInfo{}).Marshal()
	require.NoError(t, err)

	for name, tc := range map[string]struct {
		txs  [][]byte
		want string
	}{
		"no txs":            {nil, "not the injected extended commit"},
		"ordinary first tx": {[][]byte{[]byte("tx")}, "not the injected extended commit"},
		"garbled commit":    {[][]byte{injected([]byte{0xff, 0xff, 0xff})}, "undecodable"},
		"two commits":       {[][]byte{injected(empty), injected(empty)}, "more than one"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := a.checkInjectedCommit(ctx, 5, tc.txs)
			require.ErrorContains(t, err, tc.want)
		})
	}
	require.True(t, IsInjectedCommit(injected(nil)))
	require.False(t, IsInjectedCommit([]byte("delphi/extended-commit/v2")))
}
