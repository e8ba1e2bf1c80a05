package cmd

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/delphi-network/delphi/internal/loadtest"
)

// loadtestCmd drives a local chain with signed transactions at rising rates
// and reports the committed throughput; `make bench` runs it against
// single- and four-validator localnets for bank sends and market trades.
func loadtestCmd() *cobra.Command {
	cfg := loadtest.DefaultConfig()
	var rates, out string
	cmd := &cobra.Command{
		Use:   "loadtest",
		Short: "Measure a local chain's committed transactions per second (bank sends or market trades)",
		Long: `Funds its own accounts from --from (a key in --keyring-dir's test keyring), optionally opens
--markets markets and seeds --positions positions, then offers transactions at each of --rates
tx/s for --stage, and reads the committed rate back from the blocks. It stops at the first stage
where the mempool backs up, after --max-txs transactions or after --max-duration, and talks only to
a node on 127.0.0.1.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg.Rates = nil
			for _, f := range strings.Split(rates, ",") {
				r, err := strconv.Atoi(strings.TrimSpace(f))
				if err != nil {
					return err
				}
				cfg.Rates = append(cfg.Rates, r)
			}
			cfg.Log = cmd.ErrOrStderr()
			rep, err := loadtest.Run(cmd.Context(), cfg)
			if rep != nil {
				raw, jerr := json.MarshalIndent(rep, "", "  ")
				if jerr != nil {
					return jerr
				}
				if out != "" {
					if werr := os.WriteFile(out, append(raw, '\n'), 0o644); werr != nil {
						return werr
					}
				} else {
					cmd.Println(string(raw))
				}
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Node, "node", "tcp://127.0.0.1:26601", "CometBFT RPC of a node on 127.0.0.1")
	f.StringVar(&cfg.Home, "keyring-dir", "", "directory of the test keyring that holds --from (e.g. build/localnet/node0)")
	f.StringVar(&cfg.From, "from", "alice", "funded key that pays for the run's accounts")
	f.StringVar(&cfg.ChainID, "chain-id", "delphi-localnet", "chain id")
	f.StringVar(&cfg.Kind, "kind", cfg.Kind, "bank or market")
	f.IntVar(&cfg.Accounts, "accounts", cfg.Accounts, "load accounts")
	f.StringVar(&rates, "rates", "100,200,400,800,1200,1600,2000,2400,2800,3200", "offered tx/s per stage, rising")
	f.DurationVar(&cfg.Stage, "stage", cfg.Stage, "length of a stage")
	f.IntVar(&cfg.Markets, "markets", cfg.Markets, "open markets for --kind market")
	f.IntVar(&cfg.Positions, "positions", 0, "positions seeded in those markets before the load")
	f.IntVar(&cfg.MaxTxs, "max-txs", cfg.MaxTxs, "stop after this many transactions")
	f.DurationVar(&cfg.MaxDuration, "max-duration", cfg.MaxDuration, "stop after this long")
	f.StringVar(&cfg.Seed, "seed", cfg.Seed, "derives the load accounts' keys")
	f.Float64Var(&cfg.BacklogRatio, "backlog", cfg.BacklogRatio, "mempool backlog, in seconds of the offered rate, that ends the run")
	f.StringVar(&out, "out", "", "write the JSON report here instead of stdout")
	_ = cmd.MarkFlagRequired("keyring-dir")
	return cmd
}
