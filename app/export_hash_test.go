package app_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"

	"github.com/delphi-network/delphi/app"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	markettypes "github.com/delphi-network/delphi/x/market/types"
	vaulttypes "github.com/delphi-network/delphi/x/vault/types"
	verdetypes "github.com/delphi-network/delphi/x/verde/types"
)

// TestExportReimportStoresByteForByte: after 40 blocks of the SDK
// simulator (app/sim_test.go: evaluations with results, disputes, markets,
// vault funding, trades, settlements, redemptions, queued withdrawals), the
// exported genesis imported into a fresh app rebuilds every module store
// byte for byte — every key and value, indexes included — except what
// x/staking writes per block and does not export: its historical info
// (prefix 0x50) and last validator updates (0x61), which the new chain
// writes again from its first block (the SDK's own import/export
// simulation skips them too). With equal stores the app hash is equal.
func TestExportReimportStoresByteForByte(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation")
	}
	simulator(t, 5, 40, 30, func(t testing.TB, a *app.App, _ []simtypes.Account) {
		endWithEmptyBlock(t, a)
		requireReimportsByteForByte(t, a)
	})
}

// requireReimportsByteForByte exports a's state, imports it into a fresh
// app and compares every module store key by key (see
// TestExportReimportStoresByteForByte).
func requireReimportsByteForByte(t testing.TB, a *app.App) {
	t.Helper()
	exported, err := a.ExportAppStateAndValidators(false, nil, nil)
	require.NoError(t, err)
	b := newApp(t, "delphi-sim")
	_, err = b.InitChain(&abci.RequestInitChain{ChainId: "delphi-sim", AppStateBytes: exported.AppState,
		ConsensusParams: &exported.ConsensusParams, InitialHeight: exported.Height})
	require.NoError(t, err)

	old := a.NewUncachedContext(false, cmtproto.Header{})
	imported := b.NewContextLegacy(false, cmtproto.Header{ChainID: "delphi-sim", Height: exported.Height})
	stores := []string{"acc", "bank", "staking", "mint", "distribution", "slashing", "gov", "consensus", "upgrade", "evidence",
		evaluationtypes.StoreKey, markettypes.StoreKey, verdetypes.StoreKey, vaulttypes.StoreKey}
	for _, name := range stores {
		require.NotNil(t, a.GetKey(name), name)
		want, got := dump(old, a, name), dump(imported, b, name)
		if name == "staking" {
			// What x/staking does not export and the SDK's own
			// import/export simulation skips: unbonding ids and their
			// indexes, the unbonding, redelegation and validator queues,
			// historical info, validator updates.
			want = skipPrefixes(want, "37", "38", "39", "41", "42", "43", "50", "61")
			got = skipPrefixes(got, "37", "38", "39", "41", "42", "43", "50", "61")
		}
		require.Equal(t, len(want), len(got), "%s: %d keys before, %d after import", name, len(want), len(got))
		for i := range want {
			require.Equal(t, want[i], got[i], "%s: first difference at key %d", name, i)
		}
	}
}

// skipPrefixes drops the pairs whose hex key starts with a prefix.
func skipPrefixes(pairs []string, prefixes ...string) []string {
	var out []string
next:
	for _, p := range pairs {
		for _, x := range prefixes {
			if strings.HasPrefix(p, x) {
				continue next
			}
		}
		out = append(out, p)
	}
	return out
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
