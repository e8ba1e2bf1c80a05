// Package app wires Delphi's modules into one ABCI application.
package app

import (
	"fmt"
	"io"
	"path/filepath"

	dbm "github.com/cosmos/cosmos-db"
	"github.com/spf13/cast"

	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/server"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	"github.com/cosmos/cosmos-sdk/version"
	authcodec "github.com/cosmos/cosmos-sdk/x/auth/codec"
	authkeeper "github.com/cosmos/cosmos-sdk/x/auth/keeper"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	bankkeeper "github.com/cosmos/cosmos-sdk/x/bank/keeper"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	consensuskeeper "github.com/cosmos/cosmos-sdk/x/consensus/keeper"
	consensustypes "github.com/cosmos/cosmos-sdk/x/consensus/types"
	distrkeeper "github.com/cosmos/cosmos-sdk/x/distribution/keeper"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	evidencekeeper "github.com/cosmos/cosmos-sdk/x/evidence/keeper"
	evidencetypes "github.com/cosmos/cosmos-sdk/x/evidence/types"
	govkeeper "github.com/cosmos/cosmos-sdk/x/gov/keeper"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	govv1beta1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1beta1"
	mintkeeper "github.com/cosmos/cosmos-sdk/x/mint/keeper"
	minttypes "github.com/cosmos/cosmos-sdk/x/mint/types"
	slashingkeeper "github.com/cosmos/cosmos-sdk/x/slashing/keeper"
	slashingtypes "github.com/cosmos/cosmos-sdk/x/slashing/types"
	stakingkeeper "github.com/cosmos/cosmos-sdk/x/staking/keeper"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	upgradekeeper "github.com/cosmos/cosmos-sdk/x/upgrade/keeper"
	upgradetypes "github.com/cosmos/cosmos-sdk/x/upgrade/types"

	"github.com/delphi-network/delphi/app/abci/preblock"
	"github.com/delphi-network/delphi/app/abci/proposals"
	"github.com/delphi-network/delphi/app/abci/ve"
	"github.com/delphi-network/delphi/web"
	evaluationkeeper "github.com/delphi-network/delphi/x/evaluation/keeper"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	marketkeeper "github.com/delphi-network/delphi/x/market/keeper"
	markettypes "github.com/delphi-network/delphi/x/market/types"
	vaultkeeper "github.com/delphi-network/delphi/x/vault/keeper"
	vaulttypes "github.com/delphi-network/delphi/x/vault/types"
	verdekeeper "github.com/delphi-network/delphi/x/verde/keeper"
	verdetypes "github.com/delphi-network/delphi/x/verde/types"
)

var _ servertypes.Application = (*App)(nil)

// App is the Delphi application: a BaseApp plus the keepers of every module.
type App struct {
	*baseapp.BaseApp

	appCodec          codec.Codec
	legacyAmino       *codec.LegacyAmino
	interfaceRegistry codectypes.InterfaceRegistry
	txConfig          client.TxConfig

	keys map[string]*storetypes.KVStoreKey

	AccountKeeper   authkeeper.AccountKeeper
	BankKeeper      bankkeeper.BaseKeeper
	StakingKeeper   *stakingkeeper.Keeper
	SlashingKeeper  slashingkeeper.Keeper
	MintKeeper      mintkeeper.Keeper
	DistrKeeper     distrkeeper.Keeper
	GovKeeper       *govkeeper.Keeper
	UpgradeKeeper   *upgradekeeper.Keeper
	EvidenceKeeper  evidencekeeper.Keeper
	ConsensusKeeper consensuskeeper.Keeper

	EvaluationKeeper evaluationkeeper.Keeper
	MarketKeeper     marketkeeper.Keeper
	VerdeKeeper      verdekeeper.Keeper
	VaultKeeper      vaultkeeper.Keeper

	// The ABCI++ handlers (app/abci): vote extensions, proposals and the
	// Delphi part of the PreBlocker.
	ve        *ve.Handler
	proposals *proposals.Handler
	preblock  *preblock.Handler
	// webConfig tells the embedded web app where this node's CometBFT
	// websocket is (from the rpc.laddr the node was started with).
	webConfig web.Config

	ModuleManager      *module.Manager
	BasicModuleManager module.BasicManager
	configurator       module.Configurator
	sm                 *module.SimulationManager
	// checkEveryBlock: the end blocker checks every invariant (EnableSimulation).
	checkEveryBlock bool
}

// New builds the application at its latest committed height. It is the
// server's AppCreator.
func New(logger log.Logger, db dbm.DB, appOpts servertypes.AppOptions, baseAppOptions ...func(*baseapp.BaseApp)) *App {
	return NewAtHeight(logger, db, appOpts, 0, baseAppOptions...)
}

// NewAtHeight builds the application at a past committed height (0: the
// latest), for `delphid export --height` and `delphid invariants --height`.
// A store is loaded once; loading another version afterwards is refused by
// the SDK, so the height is chosen here.
func NewAtHeight(logger log.Logger, db dbm.DB, appOpts servertypes.AppOptions, height int64, baseAppOptions ...func(*baseapp.BaseApp)) *App {
	enc := NewEncodingConfig()
	appCodec, registry, txConfig := enc.Codec, enc.InterfaceRegistry, enc.TxConfig

	bApp := baseapp.NewBaseApp(AppName, logger, db, txConfig.TxDecoder(), baseAppOptions...)
	bApp.SetVersion(version.Version)
	bApp.SetInterfaceRegistry(registry)
	bApp.SetTxEncoder(txConfig.TxEncoder())

	keys := storetypes.NewKVStoreKeys(
		authtypes.StoreKey, banktypes.StoreKey, stakingtypes.StoreKey, minttypes.StoreKey,
		distrtypes.StoreKey, slashingtypes.StoreKey, govtypes.StoreKey, consensustypes.StoreKey,
		upgradetypes.StoreKey, evidencetypes.StoreKey, evaluationtypes.StoreKey,
		markettypes.StoreKey, verdetypes.StoreKey, vaulttypes.StoreKey,
	)

	app := &App{
		BaseApp:           bApp,
		appCodec:          appCodec,
		legacyAmino:       enc.Amino,
		interfaceRegistry: registry,
		txConfig:          txConfig,
		keys:              keys,
	}
	authority := authtypes.NewModuleAddress(govtypes.ModuleName).String()
	accCodec := authcodec.NewBech32Codec(Bech32Prefix)
	valCodec := authcodec.NewBech32Codec(Bech32Prefix + sdk.PrefixValidator + sdk.PrefixOperator)
	consCodec := authcodec.NewBech32Codec(Bech32Prefix + sdk.PrefixValidator + sdk.PrefixConsensus)

	app.ConsensusKeeper = consensuskeeper.NewKeeper(appCodec, runtime.NewKVStoreService(keys[consensustypes.StoreKey]), authority, runtime.EventService{})
	bApp.SetParamStore(app.ConsensusKeeper.ParamsStore)

	app.AccountKeeper = authkeeper.NewAccountKeeper(appCodec, runtime.NewKVStoreService(keys[authtypes.StoreKey]),
		authtypes.ProtoBaseAccount, maccPerms, accCodec, Bech32Prefix, authority)
	app.BankKeeper = bankkeeper.NewBaseKeeper(appCodec, runtime.NewKVStoreService(keys[banktypes.StoreKey]),
		app.AccountKeeper, BlockedAddresses(), authority, logger)
	app.StakingKeeper = stakingkeeper.NewKeeper(appCodec, runtime.NewKVStoreService(keys[stakingtypes.StoreKey]),
		app.AccountKeeper, app.BankKeeper, authority, valCodec, consCodec)
	app.MintKeeper = mintkeeper.NewKeeper(appCodec, runtime.NewKVStoreService(keys[minttypes.StoreKey]),
		app.StakingKeeper, app.AccountKeeper, app.BankKeeper, authtypes.FeeCollectorName, authority)
	app.DistrKeeper = distrkeeper.NewKeeper(appCodec, runtime.NewKVStoreService(keys[distrtypes.StoreKey]),
		app.AccountKeeper, app.BankKeeper, app.StakingKeeper, authtypes.FeeCollectorName, authority)
	app.SlashingKeeper = slashingkeeper.NewKeeper(appCodec, enc.Amino, runtime.NewKVStoreService(keys[slashingtypes.StoreKey]),
		app.StakingKeeper, authority)
	app.StakingKeeper.SetHooks(stakingtypes.NewMultiStakingHooks(app.DistrKeeper.Hooks(), app.SlashingKeeper.Hooks()))

	skipUpgradeHeights := map[int64]bool{}
	for _, h := range cast.ToIntSlice(appOpts.Get(server.FlagUnsafeSkipUpgrades)) {
		skipUpgradeHeights[int64(h)] = true
	}
	homePath := cast.ToString(appOpts.Get("home"))
	app.webConfig = web.ConfigFromLaddr(cast.ToString(appOpts.Get("rpc.laddr")))
	app.UpgradeKeeper = upgradekeeper.NewKeeper(skipUpgradeHeights, runtime.NewKVStoreService(keys[upgradetypes.StoreKey]),
		appCodec, homePath, app.BaseApp, authority)

	govConfig := govtypes.DefaultConfig()
	app.GovKeeper = govkeeper.NewKeeper(appCodec, runtime.NewKVStoreService(keys[govtypes.StoreKey]),
		app.AccountKeeper, app.BankKeeper, app.DistrKeeper, app.MsgServiceRouter(), govConfig, authority,
		// Tallies weigh votes by bonded stake; without a function x/gov
		// dereferences nil when a voting period ends and halts the chain.
		govkeeper.NewDefaultCalculateVoteResultsAndVotingPower(app.StakingKeeper))
	// Legacy proposals (MsgExecLegacyContent) route through this router;
	// without one x/gov dereferences nil on every such submission. Text
	// proposals are the only legacy content the chain executes.
	legacy := govv1beta1.NewRouter()
	legacy.AddRoute(govtypes.RouterKey, govv1beta1.ProposalHandler)
	app.GovKeeper.SetLegacyRouter(legacy)

	evidenceKeeper := evidencekeeper.NewKeeper(appCodec, runtime.NewKVStoreService(keys[evidencetypes.StoreKey]),
		app.StakingKeeper, app.SlashingKeeper, accCodec, runtime.ProvideCometInfoService())
	app.EvidenceKeeper = *evidenceKeeper

	app.EvaluationKeeper = evaluationkeeper.NewKeeper(appCodec, runtime.NewKVStoreService(keys[evaluationtypes.StoreKey]),
		evaluationtypes.Dependencies{Bank: app.BankKeeper, Staking: app.StakingKeeper, Slashing: app.SlashingKeeper,
			Distribution: app.DistrKeeper}, authority)
	// x/market holds a pointer to the evaluation keeper it is the hooks of,
	// so both see one keeper value.
	app.MarketKeeper = marketkeeper.NewKeeper(appCodec, runtime.NewKVStoreService(keys[markettypes.StoreKey]),
		app.BankKeeper, app.DistrKeeper, &app.EvaluationKeeper, authority)
	// Vaults fund markets and trade baskets through the market keeper; the
	// market keeper pays vaults back. Wire both before the market keeper is
	// copied into the evaluation hooks and the module manager.
	app.VaultKeeper = vaultkeeper.NewKeeper(appCodec, runtime.NewKVStoreService(keys[vaulttypes.StoreKey]),
		app.BankKeeper, app.DistrKeeper, &app.EvaluationKeeper, &app.MarketKeeper, authority)
	app.MarketKeeper.SetVaultKeeper(app.VaultKeeper)
	app.EvaluationKeeper.SetHooks(app.MarketKeeper.Hooks())
	app.VerdeKeeper = verdekeeper.NewKeeper(appCodec, runtime.NewKVStoreService(keys[verdetypes.StoreKey]),
		&app.EvaluationKeeper, app.StakingKeeper, app.SlashingKeeper, app.BankKeeper, app.DistrKeeper, authority)
	app.EvaluationKeeper.SetDisputeKeeper(app.VerdeKeeper)

	app.setupModules(enc, txConfig)

	app.MountKVStores(keys)
	app.SetInitChainer(app.InitChainer)
	app.SetPreBlocker(app.PreBlocker)
	app.SetBeginBlocker(app.BeginBlocker)
	app.SetEndBlocker(app.EndBlocker)
	app.setAnteHandler(txConfig)
	var me *evaluationtypes.Reporter
	if r, err := ve.LoadReporter(appOpts); err == nil {
		me = &r
	} else {
		logger.Info("no validator identity; this node extends its votes with nothing", "reason", err)
	}
	app.setABCIHandlers(ve.ConfigFrom(appOpts), me)

	if height > 0 {
		if err := app.LoadVersion(height); err != nil {
			panic(fmt.Errorf("load height %d: %w", height, err))
		}
		return app
	}
	if err := app.LoadLatestVersion(); err != nil {
		panic(fmt.Errorf("load latest version: %w", err))
	}
	return app
}

// BlockedAddresses are the module accounts that may not receive coins from users.
func BlockedAddresses() map[string]bool {
	out := make(map[string]bool)
	for name := range maccPerms {
		out[authtypes.NewModuleAddress(name).String()] = true
	}
	// Governance may receive deposits.
	delete(out, authtypes.NewModuleAddress(govtypes.ModuleName).String())
	return out
}

// Name returns the application's name.
func (app *App) Name() string { return app.BaseApp.Name() }

// AppCodec returns the app's proto codec.
func (app *App) AppCodec() codec.Codec { return app.appCodec }

// LegacyAmino returns the app's amino codec.
func (app *App) LegacyAmino() *codec.LegacyAmino { return app.legacyAmino }

// InterfaceRegistry returns the app's interface registry.
func (app *App) InterfaceRegistry() codectypes.InterfaceRegistry { return app.interfaceRegistry }

// TxConfig returns the app's tx config.
func (app *App) TxConfig() client.TxConfig { return app.txConfig }

// GetKey returns the store key of a module, for tests.
func (app *App) GetKey(name string) *storetypes.KVStoreKey { return app.keys[name] }

// SetEvaluatorClient replaces the node's sidecar client (tests and tools).
func (app *App) SetEvaluatorClient(c ve.EvaluatorClient) { app.ve.SetEvaluatorClient(c) }

// Close releases what the app holds besides the BaseApp.
func (app *App) Close() error { return app.BaseApp.Close() }

// NewAppCreator adapts New to the server's AppCreator signature.
func NewAppCreator(logger log.Logger, db dbm.DB, appOpts servertypes.AppOptions) servertypes.Application {
	return New(logger, db, appOpts, server.DefaultBaseappOptions(appOpts)...)
}

// DefaultNodeHome is where delphid keeps its state unless --home says otherwise.
func DefaultNodeHome(userHome string) string { return filepath.Join(userHome, ".delphi") }

var _ io.Closer = (*App)(nil)

// EncodingConfig returns the app's codecs, with every module's interfaces
// registered (unlike a fresh NewEncodingConfig).
func (app *App) EncodingConfig() EncodingConfig {
	return EncodingConfig{
		InterfaceRegistry: app.interfaceRegistry,
		Codec:             app.appCodec,
		TxConfig:          app.txConfig,
		Amino:             app.legacyAmino,
	}
}
