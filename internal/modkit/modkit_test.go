package modkit_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"

	"github.com/delphi-network/delphi/internal/modkit"
)

var errTest = errorsmod.Register("modkit_test", 102, "invalid address")

// TestIDsStartAtOneAndSurviveGenesis: the first id is 1, a genesis records
// the next id, and importing it continues the sequence where it was.
func TestIDsStartAtOneAndSurviveGenesis(t *testing.T) {
	key := storetypes.NewKVStoreKey("seq")
	ctx := testutil.DefaultContext(key, storetypes.NewTransientStoreKey("t"))
	sb := collections.NewSchemaBuilder(runtime.NewKVStoreService(key))
	seq := collections.NewSequence(sb, collections.NewPrefix(1), "seq")
	_, err := sb.Build()
	require.NoError(t, err)

	next, err := modkit.ExportNext(ctx, seq)
	require.NoError(t, err)
	require.Equal(t, uint64(1), next, "nothing drawn: the next id is 1")
	for want := uint64(1); want <= 3; want++ {
		id, err := modkit.NextID(ctx, seq)
		require.NoError(t, err)
		require.Equal(t, want, id)
	}
	next, err = modkit.ExportNext(ctx, seq)
	require.NoError(t, err)
	require.Equal(t, uint64(4), next)
	require.NoError(t, seq.Set(ctx, 0))
	require.NoError(t, modkit.ImportNext(ctx, seq, next))
	id, err := modkit.NextID(ctx, seq)
	require.NoError(t, err)
	require.Equal(t, uint64(4), id, "an imported sequence goes on")
	require.NoError(t, seq.Set(ctx, 0))
	require.NoError(t, modkit.ImportNext(ctx, seq, 0))
	id, err = modkit.NextID(ctx, seq)
	require.NoError(t, err)
	require.Equal(t, uint64(1), id, "a genesis without a next id starts at 1")
}

// TestSignerAndAuthority: a malformed signer is the module's own error,
// naming the field; only the authority passes.
func TestSignerAndAuthority(t *testing.T) {
	_, err := modkit.Signer("trader", "delphi1nope", errTest)
	require.ErrorIs(t, err, errTest)
	require.ErrorContains(t, err, `trader "delphi1nope"`)
	require.NoError(t, modkit.Authority("gov", "gov", errTest))
	require.ErrorContains(t, modkit.Authority("gov", "alice", errTest), "only the module's authority gov may do this, not alice")
}
