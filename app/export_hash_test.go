package app_test

import (
	"bytes"
	"fmt"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"

	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/app"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	markettypes "github.com/delphi-network/delphi/x/market/types"
	vaulttypes "github.com/delphi-network/delphi/x/vault/types"
	verdetypes "github.com/delphi-network/delphi/x/verde/types"
)

// TestExportReimportStoresByteForByte: after a simulated run (markets,
// vault funding, trades, settlements, redemptions, queued withdrawals), the
// exported genesis imported into a fresh app rebuilds Delphi's module
// stores (x/evaluation, x/market, x/verde, x/vault) and x/bank byte for
// byte: every key and value, indexes included.
func TestExportReimportStoresByteForByte(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation")
	}
	a := simulateMarket(t, 2, 30, 10)
	exported, err := a.ExportAppStateAndValidators(false, nil, nil)
	require.NoError(t, err)
	b := newApp(t, "delphi-sim")
	_, err = b.InitChain(&abci.RequestInitChain{ChainId: "delphi-sim", AppStateBytes: exported.AppState,
		ConsensusParams: simtestutil.DefaultConsensusParams, InitialHeight: exported.Height})
	require.NoError(t, err)

	old := a.NewUncachedContext(false, cmtproto.Header{})
	imported := b.NewContextLegacy(false, cmtproto.Header{ChainID: "delphi-sim", Height: exported.Height})
	for _, name := range []string{evaluationtypes.StoreKey, markettypes.StoreKey, verdetypes.StoreKey, vaulttypes.StoreKey, "bank"} {
		want, got := dump(old, a, name), dump(imported, b, name)
		require.NotEmpty(t, want, name)
		require.Equal(t, len(want), len(got), "%s: %d keys before, %d after import", name, len(want), len(got))
		for i := range want {
			require.Equal(t, want[i], got[i], "%s: first difference at key %d", name, i)
		}
	}
}

// dump lists a store's key/value pairs in key order, as printable strings.
func dump(ctx sdk.Context, a *app.App, name string) []string {
	it := ctx.KVStore(a.GetKey(name)).Iterator(nil, nil)
	defer it.Close()
	var out []string
	for ; it.Valid(); it.Next() {
		out = append(out, fmt.Sprintf("%x=%x", it.Key(), bytes.Clone(it.Value())))
	}
	return out
}
