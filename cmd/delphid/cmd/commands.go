package cmd

import (
	"errors"
	"fmt"
	"path/filepath"

	cmtcfg "github.com/cometbft/cometbft/config"

	dbm "github.com/cosmos/cosmos-db"
	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"
	"cosmossdk.io/core/appmodule"
	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/debug"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/keys"
	"github.com/cosmos/cosmos-sdk/client/pruning"
	"github.com/cosmos/cosmos-sdk/client/rpc"
	"github.com/cosmos/cosmos-sdk/client/snapshot"
	runtimeservices "github.com/cosmos/cosmos-sdk/runtime/services"
	"github.com/cosmos/cosmos-sdk/server"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	authcmd "github.com/cosmos/cosmos-sdk/x/auth/client/cli"
	genutilcli "github.com/cosmos/cosmos-sdk/x/genutil/client/cli"

	chainv1 "github.com/delphi-network/delphi/api/delphi/chain/v1"
	"github.com/delphi-network/delphi/app"
	runtimecli "github.com/delphi-network/delphi/runtime/cli"
)

func initRootCmd(root *cobra.Command, enc app.EncodingConfig, tempApp *app.App, home string) {
	root.AddCommand(
		initCmd(tempApp, home),
		genutilcli.Commands(enc.TxConfig, tempApp.BasicModuleManager, home),
		debug.Cmd(),
		pruning.Cmd(newApp, home),
		snapshot.Cmd(newApp),
		configCmd(),
		testnetCmd(),
		evaluatorCmd(),
		demoCmd(),
		verifyCmd(),
		runtimecli.ModelCmd(),
		runtimecli.BenchmarkCmd(),
		invariantsCmd(),
		loadtestCmd(),
	)
	server.AddCommands(root, home, newApp, exportApp, func(*cobra.Command) {})
	guardStart(root, tempApp)
	root.AddCommand(
		server.StatusCommand(),
		queryCommand(),
		txCommand(),
		keys.Commands(),
	)
}

// initCmd is the SDK's init followed by Delphi's consensus defaults: vote
// extensions from DefaultVoteExtensionsEnableHeight and a one-second block
// pace.
func initCmd(tempApp *app.App, home string) *cobra.Command {
	cmd := genutilcli.InitCmd(tempApp.BasicModuleManager, home)
	run := cmd.RunE
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if id, _ := cmd.Flags().GetString(flags.FlagChainID); id != "" {
			if err := app.ValidateChainID(id); err != nil {
				return err
			}
		}
		if err := run(cmd, args); err != nil {
			return err
		}
		cfg := server.GetServerContextFromCmd(cmd).Config
		// The SDK rewrites CometBFT's default timeout_commit to 5s when it
		// first writes config.toml; Delphi wants its own block pace.
		cfg.Consensus.TimeoutCommit = blockTime
		cmtcfg.WriteConfigFile(filepath.Join(cfg.RootDir, "config", "config.toml"), cfg)
		return app.EnableVoteExtensions(cfg.GenesisFile(), app.DefaultVoteExtensionsEnableHeight)
	}
	return cmd
}

func queryCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        "query",
		Aliases:                    []string{"q"},
		Short:                      "Querying subcommands",
		DisableFlagParsing:         false,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(
		rpc.QueryEventForTxCmd(),
		server.QueryBlockCmd(),
		authcmd.QueryTxsByEventsCmd(),
		server.QueryBlocksCmd(),
		authcmd.QueryTxCmd(),
		server.QueryBlockResultsCmd(),
	)
	return cmd
}

func txCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        "tx",
		Short:                      "Transactions subcommands",
		DisableFlagParsing:         false,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(
		authcmd.GetSignCommand(),
		authcmd.GetSignBatchCommand(),
		authcmd.GetMultiSignCommand(),
		authcmd.GetValidateSignaturesCommand(),
		flags.LineBreak,
		authcmd.GetBroadcastCommand(),
		authcmd.GetEncodeCommand(),
		authcmd.GetDecodeCommand(),
		authcmd.GetSimulateCmd(),
	)
	return cmd
}

// autocliModuleOptions collects the modules' autocli options and adds the
// app-level chain service as `delphid q chain info`.
func autocliModuleOptions(tempApp *app.App) map[string]*autocliv1.ModuleOptions {
	mods := make(map[string]any, len(tempApp.ModuleManager.Modules))
	for name, m := range tempApp.ModuleManager.Modules {
		mods[name] = m
	}
	opts := runtimeservices.ExtractAutoCLIOptions(mods)
	opts["chain"] = &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: chainv1.Query_ServiceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{{
				RpcMethod: "ChainInfo",
				Use:       "info",
				Short:     "Show the chain id, denominations and vote-extension height",
			}},
		},
	}
	return opts
}

func autocliModules(tempApp *app.App) map[string]appmodule.AppModule {
	out := make(map[string]appmodule.AppModule, len(tempApp.ModuleManager.Modules))
	for name, m := range tempApp.ModuleManager.Modules {
		if am, ok := m.(appmodule.AppModule); ok {
			out[name] = am
		}
	}
	return out
}

func newApp(logger log.Logger, db dbm.DB, appOpts servertypes.AppOptions) servertypes.Application {
	return app.NewAppCreator(logger, db, appOpts)
}

func exportApp(logger log.Logger, db dbm.DB, height int64, forZeroHeight bool, jailAllowedAddrs []string,
	appOpts servertypes.AppOptions, modulesToExport []string,
) (servertypes.ExportedApp, error) {
	viperAppOpts, ok := appOpts.(*viper.Viper)
	if !ok {
		return servertypes.ExportedApp{}, errors.New("appOpts is not viper.Viper")
	}
	if height < 0 {
		height = 0
	}
	a, err := loadApp(logger, db, viperAppOpts, height)
	if err != nil {
		return servertypes.ExportedApp{}, err
	}
	return a.ExportAppStateAndValidators(forZeroHeight, jailAllowedAddrs, modulesToExport)
}

// loadApp opens the application at a committed height (0: the latest),
// turning the SDK's panic on a height the store does not hold into an error.
func loadApp(logger log.Logger, db dbm.DB, opts servertypes.AppOptions, height int64) (a *app.App, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("open the application store: %v", r)
		}
	}()
	return app.NewAtHeight(logger, db, opts, height), nil
}
