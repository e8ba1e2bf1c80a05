package modkit

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/cosmos/gogoproto/proto"
	gwruntime "github.com/grpc-ecosystem/grpc-gateway/runtime"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Genesis is a module's genesis state as a pointer: a message that checks
// itself.
type Genesis[G any] interface {
	*G
	proto.Message
	Validate() error
}

// Base is the part of an AppModule that every Delphi module has alike:
// its name, codec registrations and genesis handling. Each module's
// AppModule embeds one and adds its services, block hooks and invariants.
type Base[G any, PG Genesis[G]] struct {
	ModuleName string
	Amino      func(*codec.LegacyAmino)
	Interfaces func(codectypes.InterfaceRegistry)
	Default    func() PG
	// Init and Export are the keeper's genesis import and export.
	Init   func(context.Context, G) error
	Export func(context.Context) (PG, error)
}

// IsOnePerModuleType implements depinject.OnePerModuleType.
func (Base[G, PG]) IsOnePerModuleType() {}

// IsAppModule implements appmodule.AppModule.
func (Base[G, PG]) IsAppModule() {}

// Name is the module's name.
func (b Base[G, PG]) Name() string { return b.ModuleName }

// RegisterLegacyAminoCodec registers the module's amino types.
func (b Base[G, PG]) RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) { b.Amino(cdc) }

// RegisterInterfaces registers the module's interfaces.
func (b Base[G, PG]) RegisterInterfaces(r codectypes.InterfaceRegistry) { b.Interfaces(r) }

// RegisterGRPCGatewayRoutes is a no-op: Delphi's REST routes are served by
// grpc-gateway v2 from api/ (see app/api.go).
func (Base[G, PG]) RegisterGRPCGatewayRoutes(client.Context, *gwruntime.ServeMux) {}

// DefaultGenesis is the default genesis.
func (b Base[G, PG]) DefaultGenesis(cdc codec.JSONCodec) json.RawMessage {
	return cdc.MustMarshalJSON(b.Default())
}

// ValidateGenesis checks a genesis.
func (b Base[G, PG]) ValidateGenesis(cdc codec.JSONCodec, _ client.TxEncodingConfig, bz json.RawMessage) error {
	gs := PG(new(G))
	if err := cdc.UnmarshalJSON(bz, gs); err != nil {
		return fmt.Errorf("%s genesis: %w", b.ModuleName, err)
	}
	return gs.Validate()
}

// InitGenesis loads the genesis. ValidateGenesis has accepted it before a
// node starts (delphid start checks), so a failure here is a corrupt store
// and halting is the only safe answer, as in the SDK's own modules.
func (b Base[G, PG]) InitGenesis(ctx sdk.Context, cdc codec.JSONCodec, bz json.RawMessage) {
	gs := PG(new(G))
	cdc.MustUnmarshalJSON(bz, gs)
	if err := b.Init(ctx, *gs); err != nil {
		panic(fmt.Errorf("%s init genesis: %w", b.ModuleName, err))
	}
}

// ExportGenesis exports the module state.
func (b Base[G, PG]) ExportGenesis(ctx sdk.Context, cdc codec.JSONCodec) json.RawMessage {
	gs, err := b.Export(ctx)
	if err != nil {
		panic(fmt.Errorf("%s export genesis: %w", b.ModuleName, err))
	}
	return cdc.MustMarshalJSON(gs)
}
