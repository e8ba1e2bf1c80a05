package app

import (
	"fmt"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/cosmos/cosmos-sdk/client"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	"github.com/cosmos/cosmos-sdk/x/auth"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/bank"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"github.com/cosmos/cosmos-sdk/x/consensus"
	consensustypes "github.com/cosmos/cosmos-sdk/x/consensus/types"
	distr "github.com/cosmos/cosmos-sdk/x/distribution"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	"github.com/cosmos/cosmos-sdk/x/evidence"
	evidencetypes "github.com/cosmos/cosmos-sdk/x/evidence/types"
	"github.com/cosmos/cosmos-sdk/x/genutil"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"
	"github.com/cosmos/cosmos-sdk/x/gov"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	"github.com/cosmos/cosmos-sdk/x/mint"
	minttypes "github.com/cosmos/cosmos-sdk/x/mint/types"
	"github.com/cosmos/cosmos-sdk/x/slashing"
	slashingtypes "github.com/cosmos/cosmos-sdk/x/slashing/types"
	"github.com/cosmos/cosmos-sdk/x/staking"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	"github.com/cosmos/cosmos-sdk/x/upgrade"
	upgradetypes "github.com/cosmos/cosmos-sdk/x/upgrade/types"

	"github.com/delphi-network/delphi/x/evaluation"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/market"
	markettypes "github.com/delphi-network/delphi/x/market/types"
	"github.com/delphi-network/delphi/x/vault"
	vaulttypes "github.com/delphi-network/delphi/x/vault/types"
	"github.com/delphi-network/delphi/x/verde"
	verdetypes "github.com/delphi-network/delphi/x/verde/types"
)

// setupModules builds the module manager, fixes the order of every ABCI phase
// and registers each module's services and interfaces.
func (app *App) setupModules(enc EncodingConfig, txConfig client.TxConfig) {
	cdc := app.appCodec
	app.ModuleManager = module.NewManager(
		genutil.NewAppModule(app.AccountKeeper, app.StakingKeeper, app.BaseApp, txConfig),
		auth.NewAppModule(cdc, app.AccountKeeper, nil),
		bank.NewAppModule(cdc, app.BankKeeper, app.AccountKeeper),
		staking.NewAppModule(cdc, app.StakingKeeper, app.AccountKeeper, app.BankKeeper),
		mint.NewAppModule(cdc, app.MintKeeper, app.AccountKeeper, nil),
		distr.NewAppModule(cdc, app.DistrKeeper, app.AccountKeeper, app.BankKeeper, app.StakingKeeper),
		slashing.NewAppModule(cdc, app.SlashingKeeper, app.AccountKeeper, app.BankKeeper, app.StakingKeeper, app.interfaceRegistry),
		gov.NewAppModule(cdc, app.GovKeeper, app.AccountKeeper, app.BankKeeper),
		upgrade.NewAppModule(app.UpgradeKeeper, app.AccountKeeper.AddressCodec()),
		evidence.NewAppModule(app.EvidenceKeeper),
		consensus.NewAppModule(cdc, app.ConsensusKeeper),
		evaluation.NewAppModule(app.EvaluationKeeper, app.AccountKeeper, app.BankKeeper),
		market.NewAppModule(app.MarketKeeper, app.AccountKeeper, app.BankKeeper),
		verde.NewAppModule(app.VerdeKeeper, &app.EvaluationKeeper, app.AccountKeeper, app.BankKeeper),
		vault.NewAppModule(app.VaultKeeper, app.AccountKeeper, app.BankKeeper),
	)

	custom := delphiBasics(app.ModuleManager)
	custom[genutiltypes.ModuleName] = genutil.NewAppModuleBasic(genutiltypes.DefaultMessageValidator)
	app.BasicModuleManager = module.NewBasicManagerFromManager(app.ModuleManager, custom)
	app.BasicModuleManager.RegisterLegacyAminoCodec(enc.Amino)
	app.BasicModuleManager.RegisterInterfaces(app.interfaceRegistry)

	// Upgrades run first so a binary switch happens before any other logic.
	app.ModuleManager.SetOrderPreBlockers(upgradetypes.ModuleName, authtypes.ModuleName)
	// Mint before distribution so fees and inflation are paid out in the same
	// block; slashing after distribution so a slashed validator's rewards are
	// settled first.
	app.ModuleManager.SetOrderBeginBlockers(minttypes.ModuleName, distrtypes.ModuleName,
		slashingtypes.ModuleName, evidencetypes.ModuleName, stakingtypes.ModuleName,
		// Verde before evaluation: a dispute resolved by timeout releases
		// its evaluation in the same block.
		verdetypes.ModuleName, evaluationtypes.ModuleName)
	// Bank before staking: bank's end blocker settles deferred balance writes
	// that staking's validator-set update reads.
	// Market deposits the block's protocol fees in the community pool (an
	// ordinary send, so after bank's end blocker is fine) and records the
	// block's price points.
	// x/vault after x/market: it pays queued withdrawals from what the
	// block's settlements returned, within its per-block budget.
	// x/evaluation last: it records the params the block ends with (after
	// governance executed its proposals) as the next height's extension
	// limits.
	app.ModuleManager.SetOrderEndBlockers(govtypes.ModuleName, banktypes.ModuleName, stakingtypes.ModuleName,
		markettypes.ModuleName, vaulttypes.ModuleName, evaluationtypes.ModuleName)

	genesisOrder := []string{
		consensustypes.ModuleName, authtypes.ModuleName, banktypes.ModuleName, distrtypes.ModuleName,
		stakingtypes.ModuleName, slashingtypes.ModuleName, govtypes.ModuleName, minttypes.ModuleName,
		genutiltypes.ModuleName, evidencetypes.ModuleName, upgradetypes.ModuleName, evaluationtypes.ModuleName,
		markettypes.ModuleName, verdetypes.ModuleName, vaulttypes.ModuleName,
	}
	app.ModuleManager.SetOrderInitGenesis(genesisOrder...)
	app.ModuleManager.SetOrderExportGenesis(genesisOrder...)

	// Query errors become gRPC statuses that say whose fault they are
	// (queryerrors.go): REST answers user errors with 4xx.
	app.configurator = module.NewConfigurator(cdc, app.MsgServiceRouter(), queryErrors{app.GRPCQueryRouter()})
	if err := app.ModuleManager.RegisterServices(app.configurator); err != nil {
		panic(fmt.Errorf("register module services: %w", err))
	}
	app.registerDelphiServices()
	app.setupSimulation()
}

// Configurator returns the app's module configurator, for upgrade handlers.
func (app *App) Configurator() module.Configurator { return app.configurator }

// PreBlocker runs the modules' pre-blockers, then hands the block's
// injected extended commit to x/evaluation (app/abci/preblock).
func (app *App) PreBlocker(ctx sdk.Context, req *abci.RequestFinalizeBlock) (*sdk.ResponsePreBlock, error) {
	res, err := app.ModuleManager.PreBlock(ctx)
	if err != nil {
		return nil, err
	}
	if err := app.preblock.PreBlock(ctx, req); err != nil {
		return nil, err
	}
	return res, nil
}

// BeginBlocker runs the modules' begin blockers.
func (app *App) BeginBlocker(ctx sdk.Context) (sdk.BeginBlock, error) {
	return app.ModuleManager.BeginBlock(ctx)
}

// EndBlocker runs the modules' end blockers (and, in a simulation, checks
// the invariants on the state the block ends with).
func (app *App) EndBlocker(ctx sdk.Context) (sdk.EndBlock, error) {
	res, err := app.ModuleManager.EndBlock(ctx)
	if err == nil && app.checkEveryBlock {
		err = app.checkInvariants(ctx)
	}
	return res, err
}
