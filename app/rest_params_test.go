package app

import (
	"net/url"
	"testing"

	"github.com/grpc-ecosystem/grpc-gateway/v2/utilities"
	"github.com/stretchr/testify/require"

	marketv1 "github.com/delphi-network/delphi/api/delphi/market/v1"
)

// TestEnumQueryParametersTakeShortNames: ?status=open (any case) means
// MARKET_STATUS_OPEN, as the CLI's --status open does; the full name and
// the number still work; a name no value has is refused.
func TestEnumQueryParametersTakeShortNames(t *testing.T) {
	for _, v := range []string{"open", "Open", "OPEN", "MARKET_STATUS_OPEN", "1"} {
		var req marketv1.QueryMarketsRequest
		require.NoError(t, enumNames{}.Parse(&req, url.Values{"status": {v}}, utilities.NewDoubleArray(nil)), v)
		require.Equal(t, marketv1.MarketStatus_MARKET_STATUS_OPEN, req.Status, v)
	}
	var req marketv1.QueryMarketsRequest
	require.Error(t, enumNames{}.Parse(&req, url.Values{"status": {"bogus"}}, utilities.NewDoubleArray(nil)))
}
