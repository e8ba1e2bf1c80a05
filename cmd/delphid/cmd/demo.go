package cmd

import (
	"context"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/delphi-network/delphi/demo"
)

// demoCmd is `delphid demo`: the end-to-end story against a running
// localnet (scripts/demo.sh starts one and runs this).
func demoCmd() *cobra.Command {
	cfg := demo.DefaultConfig()
	var live string
	var modelsOnly bool
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the market demo against a running localnet (make demo)",
		Long: `Against a running localnet (node0's --node RPC and --home keyring with alice,
bob, carol and dave): prepares the market's real models (--market mnist: four
MNIST classifiers; --market lm: four language-model entries on kjv-next, two
of them the same weights with different system prompts), registers them,
creates a market over their live evaluation, trades with three strategies
while rounds finalize (and any byzantine sidecar is disputed), then has the
winners redeem and prints a summary. The view redraws on a terminal and
prints log lines otherwise (--live auto|on|off).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg.Out = cmd.OutOrStdout()
			switch live {
			case "on":
				cfg.Live = true
			case "auto":
				if fi, err := os.Stdout.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
					cfg.Live = true
				}
			}
			if cfg.ModelsDir == "" {
				cfg.ModelsDir = filepath.Join("build", "demo-models")
			}
			abs, err := filepath.Abs(cfg.ModelsDir)
			if err != nil {
				return err
			}
			cfg.ModelsDir = abs
			if modelsOnly {
				_, err := demo.PrepareModels(cfg.Market, cfg.ModelsDir, func(f string, a ...any) { cmd.Printf(f+"\n", a...) })
				return err
			}
			ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			return demo.Run(ctx, cfg)
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.RPC, "node", "tcp://127.0.0.1:26601", "node0's CometBFT RPC")
	f.StringVar(&cfg.Home, "home-node0", "build/localnet/node0", "node0's home (its test keyring holds the demo accounts)")
	f.StringVar(&cfg.ChainID, "chain-id", cfg.ChainID, "chain id")
	f.StringVar(&cfg.ModelsDir, "models-dir", "", "where model artifacts are cached (default build/demo-models)")
	f.BoolVar(&modelsOnly, "models-only", false, "prepare (train or reuse) the models in --models-dir and exit")
	f.Uint32Var(&cfg.Rounds, "rounds", cfg.Rounds, "evaluation rounds")
	f.StringVar(&cfg.Market, "market", cfg.Market, "what the market is about: "+strings.Join(demo.Markets, " or "))
	f.Uint32Var(&cfg.Items, "items", 0, "benchmark items per round (default: 40 for mnist, 16 for lm)")
	f.Int64Var(&cfg.Liquidity, "liquidity", cfg.Liquidity, "market liquidity b in whole USDC")
	f.DurationVar(&cfg.Timeout, "timeout", cfg.Timeout, "give up after this long")
	f.StringVar(&live, "live", "auto", "redraw a live view: auto (when stdout is a terminal), on, off")
	return cmd
}
