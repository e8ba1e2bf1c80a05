package app

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	gwruntime "github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

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

// TestRESTHeightErrorsAreTheClients: a height the node has not reached, or
// a malformed height header, is the client's mistake (400); a pruned height
// is not found (404); a node without a block is unavailable (503) — each
// with the SDK's reason, not 500 with its codespace.
func TestRESTHeightErrorsAreTheClients(t *testing.T) {
	mux := gwruntime.NewServeMux()
	for _, tc := range []struct {
		err  error
		code int
		msg  string
	}{
		{status.Error(codes.Unknown, "codespace sdk code 26: invalid height: cannot query with height in the future; please provide a valid height"),
			http.StatusBadRequest, "invalid height: cannot query with height in the future; please provide a valid height"},
		{status.Error(codes.Unknown, `codespace sdk code 18: invalid request: Baseapp.RegisterGRPCServer: invalid height header "x-cosmos-block-height": strconv.ParseInt: parsing "abc": invalid syntax`),
			http.StatusBadRequest, `invalid height header "x-cosmos-block-height": strconv.ParseInt: parsing "abc": invalid syntax`},
		// The same through an in-process gRPC server: the SDK error's name last.
		{status.Error(codes.Unknown, "cannot query with height in the future; please provide a valid height: invalid height"),
			http.StatusBadRequest, "cannot query with height in the future; please provide a valid height"},
		{status.Error(codes.Unknown, "codespace sdk code 38: not found: failed to load state at height 3; version does not exist (latest height: 900)"),
			http.StatusNotFound, "not found: failed to load state at height 3; version does not exist (latest height: 900)"},
		{status.Error(codes.Unknown, "codespace sdk code 26: invalid height: delphi is not ready; please wait for first block"),
			http.StatusServiceUnavailable, "invalid height: delphi is not ready; please wait for first block"},
		// Anything else the node fails at stays the node's, whatever its code.
		{status.Error(codes.Unknown, "codespace sdk code 1: internal: store closed"), http.StatusInternalServerError, "codespace sdk code 1: internal: store closed"},
		{status.Error(codes.Unknown, "codespace sdk code 18: invalid request: something else"), http.StatusInternalServerError, "codespace sdk code 18: invalid request: something else"},
	} {
		rec := httptest.NewRecorder()
		restError(context.Background(), mux, &gwruntime.JSONPb{}, rec, httptest.NewRequest(http.MethodGet, "/delphi/chain/v1/info", nil), tc.err)
		require.Equal(t, tc.code, rec.Code, rec.Body.String())
		var body struct {
			Message string `json:"message"`
		}
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
		require.Equal(t, tc.msg, body.Message)
	}
	// The header reaches the query under the SDK's name, in any case.
	for _, h := range []string{"x-cosmos-block-height", "X-Cosmos-Block-Height"} {
		name, ok := restHeaders(h)
		require.True(t, ok)
		require.Equal(t, "x-cosmos-block-height", name)
	}
}
