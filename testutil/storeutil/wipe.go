// Package storeutil helps keeper tests handle stores as a restarted chain
// would.
package storeutil

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Wipe deletes every key of the stores: what a chain imported from an
// export starts from, before its InitGenesis runs.
func Wipe(t testing.TB, ctx sdk.Context, keys ...storetypes.StoreKey) {
	t.Helper()
	for _, key := range keys {
		st := ctx.KVStore(key)
		var all [][]byte
		it := st.Iterator(nil, nil)
		for ; it.Valid(); it.Next() {
			all = append(all, bytes.Clone(it.Key()))
		}
		require.NoError(t, it.Close())
		for _, k := range all {
			st.Delete(k)
		}
	}
}
