// Package market is the x/market module: LMSR markets over evaluations
// (see README.md).
package market

import (
	"context"

	"cosmossdk.io/core/appmodule"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	"github.com/cosmos/cosmos-sdk/x/simulation"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/market/keeper"
	modsim "github.com/delphi-network/delphi/x/market/simulation"
	"github.com/delphi-network/delphi/x/market/types"
)

// ConsensusVersion is the module's state version, bumped with migrations.
const ConsensusVersion = 1

var (
	_ module.AppModuleSimulation = AppModule{}
	_ module.AppModuleBasic      = AppModule{}
	_ module.HasGenesis          = AppModule{}
	_ module.HasServices         = AppModule{}
	_ appmodule.AppModule        = AppModule{}
	_ module.HasConsensusVersion = AppModule{}
	_ appmodule.HasEndBlocker    = AppModule{}
	_ module.HasInvariants       = AppModule{}
)

// AppModule implements the module.
type AppModule struct {
	// Base is the name, codecs and genesis, as every Delphi module has them.
	modkit.Base[types.GenesisState, *types.GenesisState]
	keeper keeper.Keeper
	// Simulation is the module in the SDK simulator (simulation.Module).
	modkit.Simulation
}

// NewAppModule returns the module; ak and bk serve its simulation.
func NewAppModule(k keeper.Keeper, ak simulation.AccountKeeper, bk simulation.BankKeeper) AppModule {
	return AppModule{Base: base(k), keeper: k, Simulation: modsim.Module(k, ak, bk)}
}

// ConsensusVersion implements module.HasConsensusVersion.
func (AppModule) ConsensusVersion() uint64 { return ConsensusVersion }

// RegisterServices registers the Msg and Query services.
func (am AppModule) RegisterServices(cfg module.Configurator) {
	types.RegisterMsgServer(cfg.MsgServer(), keeper.NewMsgServerImpl(am.keeper))
	types.RegisterQueryServer(cfg.QueryServer(), keeper.NewQueryServerImpl(am.keeper))
}

// EndBlock records the price points of the markets traded in the block.
func (am AppModule) EndBlock(ctx context.Context) error { return am.keeper.EndBlocker(ctx) }

// RegisterInvariants registers the escrow, balance and position invariants.
func (am AppModule) RegisterInvariants(ir sdk.InvariantRegistry) {
	ir.RegisterRoute(types.ModuleName, keeper.InvariantEscrow, keeper.EscrowInvariant(am.keeper))
	ir.RegisterRoute(types.ModuleName, keeper.InvariantBalance, keeper.BalanceInvariant(am.keeper))
	ir.RegisterRoute(types.ModuleName, keeper.InvariantPositions, keeper.PositionsInvariant(am.keeper))
}

// base wires the keeper's genesis into the shared module parts.
func base(k keeper.Keeper) modkit.Base[types.GenesisState, *types.GenesisState] {
	return modkit.Base[types.GenesisState, *types.GenesisState]{ModuleName: types.ModuleName,
		Amino: types.RegisterLegacyAminoCodec, Interfaces: types.RegisterInterfaces,
		Default: types.DefaultGenesis, Init: k.InitGenesis, Export: k.ExportGenesis}
}
