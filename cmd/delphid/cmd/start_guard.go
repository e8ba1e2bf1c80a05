package cmd

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/server"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"

	"github.com/delphi-network/delphi/app"
)

// guardStart makes `delphid start` check its home and genesis before it hands
// them to CometBFT, whose own failures on a bad home or genesis surface as
// panics deep inside node start-up. Each problem becomes one error line.
func guardStart(root *cobra.Command, tempApp *app.App) {
	for _, c := range root.Commands() {
		if c.Name() != "start" {
			continue
		}
		pre := c.PreRunE
		c.PreRunE = func(cmd *cobra.Command, args []string) error {
			if err := checkNodeHome(cmd, tempApp); err != nil {
				return err
			}
			if pre != nil {
				return pre(cmd, args)
			}
			return nil
		}
	}
}

func checkNodeHome(cmd *cobra.Command, tempApp *app.App) error {
	cfg := server.GetServerContextFromCmd(cmd).Config
	home := cfg.RootDir
	for _, f := range []string{cfg.GenesisFile(), cfg.PrivValidatorKeyFile(), cfg.NodeKeyFile()} {
		if _, err := os.Stat(f); err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("node home %s is not initialised: %s is missing (run `delphid init <moniker> --home %s`)",
					home, filepath.Base(f), home)
			}
			return fmt.Errorf("node home %s: %w", home, err)
		}
	}
	gen, err := genutiltypes.AppGenesisFromFile(cfg.GenesisFile())
	if err != nil {
		return fmt.Errorf("genesis %s is corrupt: %w", cfg.GenesisFile(), err)
	}
	if err := gen.ValidateAndComplete(); err != nil {
		return fmt.Errorf("genesis %s: %w", cfg.GenesisFile(), err)
	}
	if err := app.ValidateChainID(gen.ChainID); err != nil {
		return fmt.Errorf("genesis %s: %w", cfg.GenesisFile(), err)
	}
	if err := tempApp.ValidateGenesis(gen.AppState); err != nil {
		return fmt.Errorf("genesis %s: %w", cfg.GenesisFile(), err)
	}
	return nil
}
