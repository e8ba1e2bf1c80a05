// Package verde is the x/verde module: refereed disputes over evaluation results
// (see README.md).
package verde

import (
	"context"

	"cosmossdk.io/core/appmodule"

	"github.com/cosmos/cosmos-sdk/types/module"
	"github.com/cosmos/cosmos-sdk/x/simulation"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/verde/keeper"
	modsim "github.com/delphi-network/delphi/x/verde/simulation"
	"github.com/delphi-network/delphi/x/verde/types"
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
	_ appmodule.HasBeginBlocker  = AppModule{}
)

// AppModule implements the module.
type AppModule struct {
	// Base is the name, codecs and genesis, as every Delphi module has them.
	modkit.Base[types.GenesisState, *types.GenesisState]
	keeper keeper.Keeper
	// Simulation is the module in the SDK simulator (simulation.Module).
	modkit.Simulation
}

// NewAppModule returns the module; ev, ak and bk serve its simulation.
func NewAppModule(k keeper.Keeper, ev types.EvaluationKeeper, ak simulation.AccountKeeper, bk simulation.BankKeeper) AppModule {
	return AppModule{Base: base(k), keeper: k, Simulation: modsim.Module(k, ev, ak, bk)}
}

// ConsensusVersion implements module.HasConsensusVersion.
func (AppModule) ConsensusVersion() uint64 { return ConsensusVersion }

// RegisterServices registers the Msg and Query services.
func (am AppModule) RegisterServices(cfg module.Configurator) {
	types.RegisterMsgServer(cfg.MsgServer(), keeper.NewMsgServerImpl(am.keeper))
	types.RegisterQueryServer(cfg.QueryServer(), keeper.NewQueryServerImpl(am.keeper))
}

// BeginBlock resolves disputes whose step deadline has come.
func (am AppModule) BeginBlock(ctx context.Context) error { return am.keeper.BeginBlocker(ctx) }

// base wires the keeper's genesis into the shared module parts.
func base(k keeper.Keeper) modkit.Base[types.GenesisState, *types.GenesisState] {
	return modkit.Base[types.GenesisState, *types.GenesisState]{ModuleName: types.ModuleName,
		Amino: types.RegisterLegacyAminoCodec, Interfaces: types.RegisterInterfaces,
		Default: types.DefaultGenesis, Init: k.InitGenesis, Export: k.ExportGenesis}
}
