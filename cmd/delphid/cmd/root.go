// Package cmd builds delphid's command tree.
package cmd

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	cmtcfg "github.com/cometbft/cometbft/config"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"cosmossdk.io/client/v2/autocli"
	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/config"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/codec/address"
	"github.com/cosmos/cosmos-sdk/server"
	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/delphi-network/delphi/app"
)

// EnvPrefix is the prefix of environment variables that set delphid flags.
const EnvPrefix = "DELPHI"

// Execute runs delphid with os.Args.
func Execute() error {
	root := NewRootCmd()
	err := svrcmd.Execute(root, EnvPrefix, app.DefaultNodeHome(userHome()))
	// CometBFT's command executor parses config.toml before any of our
	// hooks run, and viper's error does not say which file it was.
	var parseErr viper.ConfigParseError
	if errors.As(err, &parseErr) {
		home, _ := root.PersistentFlags().GetString(flags.FlagHome)
		return fmt.Errorf("parse %s: %w", filepath.Join(home, "config", "config.toml"), err)
	}
	return err
}

func userHome() string {
	h, err := os.UserHomeDir()
	if err != nil {
		return "."
	}
	return h
}

// NewRootCmd builds the root command with every subcommand.
func NewRootCmd() *cobra.Command {
	// A throwaway app instance provides the module manager for autocli and
	// the module basics for genesis commands; it never touches disk.
	tempApp := app.New(log.NewNopLogger(), dbm.NewMemDB(), appOptions{})
	enc := tempApp.EncodingConfig()
	home := app.DefaultNodeHome(userHome())
	initCtx := client.Context{}.
		WithCodec(enc.Codec).
		WithInterfaceRegistry(enc.InterfaceRegistry).
		WithTxConfig(enc.TxConfig).
		WithLegacyAmino(enc.Amino).
		WithInput(os.Stdin).
		WithAccountRetriever(authtypes.AccountRetriever{}).
		WithHomeDir(home).
		WithViper(EnvPrefix)

	root := &cobra.Command{
		Use:           "delphid",
		Short:         "Delphi: markets on live, verifiable evaluations of machine-learning models",
		SilenceErrors: true,
		SilenceUsage:  true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			cmd.SetOut(cmd.OutOrStdout())
			cmd.SetErr(cmd.ErrOrStderr())
			clientCtx, err := client.ReadPersistentCommandFlags(initCtx, cmd.Flags())
			if err != nil {
				return err
			}
			clientCtx, err = config.ReadFromClientConfig(clientCtx)
			if err != nil {
				return fmt.Errorf("read %s: %w", filepath.Join(clientCtx.HomeDir, "config", "client.toml"), err)
			}
			if err := client.SetCmdClientContextHandler(clientCtx, cmd); err != nil {
				return err
			}
			if err := server.InterceptConfigsPreRunHandler(cmd, appConfigTemplate(), appConfig(), cometConfig()); err != nil {
				return fmt.Errorf("read config.toml or app.toml in %s: %w", filepath.Join(clientCtx.HomeDir, "config"), err)
			}
			return nil
		},
	}

	initRootCmd(root, enc, tempApp, home)

	autoCli := autocli.AppOptions{
		Modules:               autocliModules(tempApp),
		ModuleOptions:         autocliModuleOptions(tempApp),
		AddressCodec:          address.NewBech32Codec(app.Bech32Prefix),
		ValidatorAddressCodec: address.NewBech32Codec(app.Bech32Prefix + sdk.PrefixValidator + sdk.PrefixOperator),
		ConsensusAddressCodec: address.NewBech32Codec(app.Bech32Prefix + sdk.PrefixValidator + sdk.PrefixConsensus),
		ClientCtx:             initCtx,
	}
	if err := autoCli.EnhanceRootCommand(root); err != nil {
		panic(err)
	}
	for _, c := range root.Commands() {
		if c.Name() == "tx" {
			txFlow(c)
		}
	}
	outcomeNames(root)
	return root
}

// appOptions is an AppOptions with no options set, for the throwaway app.
type appOptions map[string]any

func (o appOptions) Get(key string) any { return o[key] }

// cometConfig is CometBFT's default config with Delphi's block pace.
func cometConfig() *cmtcfg.Config {
	cfg := cmtcfg.DefaultConfig()
	cfg.Consensus.TimeoutCommit = blockTime
	return cfg
}
