package modkit

import (
	"github.com/cosmos/gogoproto/proto"

	"cosmossdk.io/collections"

	"github.com/cosmos/cosmos-sdk/types/module"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"
)

// Simulation is a module's part in the SDK simulator
// (module.AppModuleSimulation): its random genesis, a store decoder from
// its collections schema, and its operations. Each Delphi module's
// AppModule embeds one, built in its module_simulation.go.
type Simulation struct {
	StoreKey   string
	Schema     collections.Schema
	Genesis    func(*module.SimulationState)
	Operations func(module.SimulationState) []simtypes.WeightedOperation
}

var _ module.AppModuleSimulation = Simulation{}

// GenerateGenesisState implements module.AppModuleSimulation.
func (s Simulation) GenerateGenesisState(simState *module.SimulationState) { s.Genesis(simState) }

// RegisterStoreDecoder implements module.AppModuleSimulation.
func (s Simulation) RegisterStoreDecoder(sdr simtypes.StoreDecoderRegistry) {
	sdr[s.StoreKey] = simtypes.NewStoreDecoderFuncFromCollectionsSchema(s.Schema)
}

// WeightedOperations implements module.AppModuleSimulation.
func (s Simulation) WeightedOperations(simState module.SimulationState) []simtypes.WeightedOperation {
	return s.Operations(simState)
}

// DefaultGenesis is a simulated genesis that is the module's default one.
func DefaultGenesis(moduleName string, gs proto.Message) func(*module.SimulationState) {
	return func(simState *module.SimulationState) {
		simState.GenState[moduleName] = simState.Cdc.MustMarshalJSON(gs)
	}
}
