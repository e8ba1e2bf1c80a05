package app

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"cosmossdk.io/collections"

	markettypes "github.com/delphi-network/delphi/x/market/types"
	verdetypes "github.com/delphi-network/delphi/x/verde/types"
)

// TestQueryStatusSaysWhoseFault: registered Delphi errors are the caller's
// (NotFound when they say so, else InvalidArgument), a missing store entry
// is NotFound, a status a handler chose stands, anything else is left for
// a 500.
func TestQueryStatusSaysWhoseFault(t *testing.T) {
	for _, c := range []struct {
		err  error
		code codes.Code
	}{
		{markettypes.ErrMarketNotFound.Wrapf("market %d", 99), codes.NotFound},
		{markettypes.ErrUnknownOutcome.Wrap("outcome 7"), codes.InvalidArgument},
		{verdetypes.ErrDisputeNotFound, codes.NotFound},
		{fmt.Errorf("dispute 3: %w", collections.ErrNotFound), codes.NotFound},
		{status.Error(codes.FailedPrecondition, "not yet"), codes.FailedPrecondition},
		{errors.New("store: disk on fire"), codes.Unknown},
	} {
		require.Equal(t, c.code, status.Code(QueryStatus(c.err)), "%v", c.err)
	}
	require.NoError(t, QueryStatus(nil))
	require.Equal(t, "market 99: market not found", status.Convert(QueryStatus(markettypes.ErrMarketNotFound.Wrapf("market %d", 99))).Message())
}
