package app

import (
	"fmt"
	"strings"

	"github.com/cosmos/cosmos-sdk/baseapp"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/cosmos/cosmos-sdk/types/module"
	"github.com/cosmos/cosmos-sdk/x/auth"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
)

// The SDK simulator's view of the app (testutil/simsx.SimulationApp):
// every module with a simulation/ package is registered with the
// simulation manager; app/sim_test.go runs it.

// setupSimulation builds the simulation manager from the module manager,
// with auth's random genesis accounts.
func (app *App) setupSimulation() {
	app.sm = module.NewSimulationManagerFromAppModules(app.ModuleManager.Modules, map[string]module.AppModuleSimulation{
		authtypes.ModuleName: auth.NewAppModule(app.appCodec, app.AccountKeeper, baseAccounts),
	})
	app.sm.RegisterStoreDecoders()
}

// baseAccounts are the simulated accounts as plain accounts (the app has
// no vesting accounts).
func baseAccounts(simState *module.SimulationState) authtypes.GenesisAccounts {
	out := make(authtypes.GenesisAccounts, len(simState.Accounts))
	for i, acc := range simState.Accounts {
		out[i] = authtypes.NewBaseAccountWithAddress(acc.Address)
	}
	return out
}

// SimulationManager implements runtime.AppI.
func (app *App) SimulationManager() *module.SimulationManager { return app.sm }

// LoadHeight implements runtime.AppI: it loads the state committed at
// height.
func (app *App) LoadHeight(height int64) error { return app.LoadVersion(height) }

// GetBaseApp is the app's BaseApp, for the simulator.
func (app *App) GetBaseApp() *baseapp.BaseApp { return app.BaseApp }

// SetNotSigverifyTx is asked of a simulation app to skip signature checks
// for speed; Delphi's simulations check every signature, so it changes
// nothing.
func (app *App) SetNotSigverifyTx() {}

// checkInvariants fails the block if an invariant is broken (EnableSimulation).
func (app *App) checkInvariants(ctx sdk.Context) error {
	if broken := app.CheckInvariants(ctx); len(broken) > 0 {
		return fmt.Errorf("height %d breaks invariants:\n%s", ctx.BlockHeight(), strings.Join(broken, "\n"))
	}
	return nil
}
