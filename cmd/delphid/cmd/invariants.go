package cmd

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/server"
)

// invariantsCmd checks every invariant of the chain against a stopped
// node's store. x/crisis is gone from the SDK, so this is how an operator
// (and the e2e test) audits a node's state after the fact: the bank supply
// equals the balances, the staking pools hold the validators' tokens, and
// the markets, vaults and disputes account for every coin their modules hold.
func invariantsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "invariants",
		Short: "Check every invariant against the node's store (stop the node first)",
		Long: `Opens the application store under --home, without changing it, and runs every invariant of
the chain at the latest committed height, or at --height. Exits non-zero when one is broken.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sctx := server.GetServerContextFromCmd(cmd)
			height, _ := cmd.Flags().GetInt64("height")
			dataDir := filepath.Join(sctx.Config.RootDir, "data")
			if _, err := os.Stat(filepath.Join(dataDir, "application.db")); err != nil {
				return fmt.Errorf("no application store under %s (is --home a node's home?): %w", dataDir, err)
			}
			db, err := dbm.NewDB("application", server.GetAppDBBackend(sctx.Viper), dataDir)
			if err != nil {
				return fmt.Errorf("open the application store (is the node still running?): %w", err)
			}
			defer db.Close()
			a, err := loadApp(sctx.Logger, db, sctx.Viper, height)
			if err != nil {
				return err
			}
			ctx := a.NewContextLegacy(true, cmtproto.Header{Height: a.LastBlockHeight()})
			failed := 0
			for _, inv := range a.Invariants() {
				msg, broken := inv.Check(ctx)
				status := "ok"
				if broken {
					status, failed = "BROKEN", failed+1
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%-7s %s/%s\n", status, inv.Module, inv.Route)
				if broken {
					fmt.Fprintln(cmd.OutOrStdout(), msg)
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "height %d: %d invariants, %d broken\n", a.LastBlockHeight(), len(a.Invariants()), failed)
			if failed > 0 {
				return errors.New("broken invariants")
			}
			return nil
		},
	}
	cmd.Flags().Int64("height", 0, "check the state at this height instead of the latest")
	return cmd
}
