package app

import (
	"context"
	"net/http"
	"strings"

	gwruntime "github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/grpc/cmtservice"
	nodeservice "github.com/cosmos/cosmos-sdk/client/grpc/node"
	"github.com/cosmos/cosmos-sdk/server/api"
	"github.com/cosmos/cosmos-sdk/server/config"
	grpctypes "github.com/cosmos/cosmos-sdk/types/grpc"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"

	chainv1 "github.com/delphi-network/delphi/api/delphi/chain/v1"
	evaluationv1 "github.com/delphi-network/delphi/api/delphi/evaluation/v1"
	marketv1 "github.com/delphi-network/delphi/api/delphi/market/v1"
	vaultv1 "github.com/delphi-network/delphi/api/delphi/vault/v1"
	verdev1 "github.com/delphi-network/delphi/api/delphi/verde/v1"
	"github.com/delphi-network/delphi/api/openapi"
	"github.com/delphi-network/delphi/app/chaininfo"
	"github.com/delphi-network/delphi/web"
)

// RESTPrefix is where Delphi's own REST routes (grpc-gateway v2) are mounted.
const RESTPrefix = "/delphi/"

// registerDelphiServices registers the app-level gRPC query services.
func (app *App) registerDelphiServices() {
	chaininfo.RegisterQueryServer(app.GRPCQueryRouter(),
		chaininfo.NewServer(app.StakingKeeper, app.ConsensusKeeper, Bech32Prefix, CollateralDenom))
}

// RegisterAPIRoutes mounts the SDK's REST routes (grpc-gateway v1) and
// Delphi's (grpc-gateway v2, under /delphi/) on the node's API server.
func (app *App) RegisterAPIRoutes(apiSvr *api.Server, _ config.APIConfig) {
	clientCtx := apiSvr.ClientCtx
	authtx.RegisterGRPCGatewayRoutes(clientCtx, apiSvr.GRPCGatewayRouter)
	cmtservice.RegisterGRPCGatewayRoutes(clientCtx, apiSvr.GRPCGatewayRouter)
	nodeservice.RegisterGRPCGatewayRoutes(clientCtx, apiSvr.GRPCGatewayRouter)
	app.BasicModuleManager.RegisterGRPCGatewayRoutes(clientCtx, apiSvr.GRPCGatewayRouter)

	mux, err := NewRESTMux(clientCtx)
	if err != nil {
		panic(err)
	}
	// The gorilla router matches in registration order; the SDK registers
	// its catch-all gateway after this hook returns, so /delphi/ wins.
	apiSvr.Router.PathPrefix(RESTPrefix).Handler(mux)
	// The reference web app, same origin as the REST routes it reads.
	apiSvr.Router.PathPrefix(web.Prefix).Handler(web.Handler(app.webConfig))
	apiSvr.Router.Path(strings.TrimSuffix(web.Prefix, "/")).Handler(http.RedirectHandler(web.Prefix, http.StatusMovedPermanently))
}

// NewRESTMux builds the grpc-gateway v2 mux that serves every Delphi Query
// service over REST through conn (a client.Context on a node), plus the
// merged OpenAPI document at /delphi/openapi.json.
func NewRESTMux(conn client.Context) (http.Handler, error) {
	gw := gwruntime.NewServeMux(gwruntime.WithMarshalerOption(gwruntime.MIMEWildcard, &gwruntime.JSONPb{
		// snake_case field names, like the SDK's own REST routes.
		MarshalOptions:   protojson.MarshalOptions{UseProtoNames: true, EmitUnpopulated: true},
		UnmarshalOptions: protojson.UnmarshalOptions{DiscardUnknown: true},
	}), gwruntime.SetQueryParameterParser(enumNames{}), gwruntime.WithErrorHandler(restError),
		gwruntime.WithIncomingHeaderMatcher(restHeaders))
	ctx := context.Background()
	if err := chainv1.RegisterQueryHandlerClient(ctx, gw, chainv1.NewQueryClient(conn)); err != nil {
		return nil, err
	}
	if err := evaluationv1.RegisterQueryHandlerClient(ctx, gw, evaluationv1.NewQueryClient(conn)); err != nil {
		return nil, err
	}
	if err := marketv1.RegisterQueryHandlerClient(ctx, gw, marketv1.NewQueryClient(conn)); err != nil {
		return nil, err
	}
	if err := verdev1.RegisterQueryHandlerClient(ctx, gw, verdev1.NewQueryClient(conn)); err != nil {
		return nil, err
	}
	if err := vaultv1.RegisterQueryHandlerClient(ctx, gw, vaultv1.NewQueryClient(conn)); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc(RESTPrefix+"openapi.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(openapi.Document)
	})
	mux.Handle(RESTPrefix, gw)
	return mux, nil
}

// restHeaders passes x-cosmos-block-height through to the query, so a
// client reads any route as of a past block the way it does the SDK's own
// routes (the web app draws a vault's share price history this way); every
// other header follows grpc-gateway's default.
func restHeaders(key string) (string, bool) {
	if strings.EqualFold(key, grpctypes.GRPCBlockHeightHeader) {
		return grpctypes.GRPCBlockHeightHeader, true
	}
	return gwruntime.DefaultHeaderMatcher(key)
}

// RegisterTxService registers the tx simulation and broadcast gRPC service.
func (app *App) RegisterTxService(clientCtx client.Context) {
	authtx.RegisterTxService(app.GRPCQueryRouter(), clientCtx, app.Simulate, app.interfaceRegistry)
}

// RegisterTendermintService registers the CometBFT queries gRPC service.
func (app *App) RegisterTendermintService(clientCtx client.Context) {
	cmtservice.RegisterTendermintService(clientCtx, app.GRPCQueryRouter(), app.interfaceRegistry, app.Query)
}

// RegisterNodeService registers the node's config and status gRPC service.
func (app *App) RegisterNodeService(clientCtx client.Context, cfg config.Config) {
	nodeservice.RegisterNodeService(clientCtx, app.GRPCQueryRouter(), cfg, func() int64 {
		return app.CommitMultiStore().EarliestVersion()
	})
}
