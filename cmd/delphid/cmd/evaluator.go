package cmd

import (
	"context"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"

	"github.com/delphi-network/delphi/evaluator"
)

// evaluatorCmd is `delphid evaluator start`: the sidecar a validator runs
// beside its node.
func evaluatorCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "evaluator", Short: "The validator's evaluation sidecar"}
	cfg := evaluator.DefaultConfig()
	var (
		from, backend, chainIDFlag string
		faultLeaf                  int
		faultModel                 uint64
		faultScore                 bool
	)
	start := &cobra.Command{
		Use:   "start",
		Short: "Follow the chain's open rounds, evaluate every model and serve results to the node",
		Long: `Runs until interrupted. It reads open rounds from the node (--node), fetches
and hash-checks each model artifact, evaluates it on the round's items with the
deterministic runtime, stores results under --data-dir (a restart does not
recompute them) and serves them on --listen for the node's vote extensions
(app.toml [evaluator]). /healthz and /metrics are on --health.

With --from (a key in --home's keyring, normally the validator's operator key)
it also plays Verde disputes for its validator: it challenges final results that
contradict its own run, reveals trace leaves and justifies the disputed operator
from the traces it keeps on disk. --fault-leaf (or --fault-score) makes it byzantine on purpose, for
tests and demos; it is refused unless the node runs a local test chain.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.Flags().Changed("data-dir") {
				cfg.DataDir = filepath.Join(client.GetClientContextFromCmd(cmd).HomeDir, "evaluator")
			}
			if from != "" {
				cctx := client.GetClientContextFromCmd(cmd)
				chainID := cctx.ChainID
				if cmd.Flags().Changed("chain-id") || chainID == "" {
					chainID = chainIDFlag
				}
				cfg.Signer = &evaluator.SignerConfig{KeyName: from, KeyringDir: cctx.HomeDir, KeyringBackend: backend, ChainID: chainID}
			}
			if faultLeaf >= 0 || faultScore {
				cfg.Fault = &evaluator.Fault{Leaf: faultLeaf, Model: faultModel, WrongScore: faultScore}
			}
			s, err := evaluator.New(cfg)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			cmd.Printf("evaluator: node %s, serving %s, health %s, data %s\n", cfg.NodeRPC, cfg.ListenAddr, cfg.HealthAddr, cfg.DataDir)
			return s.Run(ctx)
		},
	}
	f := start.Flags()
	f.StringVar(&cfg.NodeRPC, "node", cfg.NodeRPC, "CometBFT RPC address of this validator's node")
	f.StringVar(&cfg.ListenAddr, "listen", cfg.ListenAddr, "gRPC address the node asks for results (loopback)")
	f.StringVar(&cfg.HealthAddr, "health", cfg.HealthAddr, "HTTP address of /healthz and /metrics (loopback; empty: off)")
	f.StringVar(&cfg.DataDir, "data-dir", "", "where results are kept (default <home>/evaluator)")
	f.DurationVar(&cfg.PollInterval, "poll", cfg.PollInterval, "how often the chain is read")
	f.DurationVar(&cfg.FetchTimeout, "fetch-timeout", cfg.FetchTimeout, "bound on one artifact's download (all its URIs together)")
	f.StringVar(&cfg.ArtifactDir, "artifact-dir", "", "artifacts named by their SHA-256 (hex), read before the registered URIs and filled by downloads; artifacts in it are memory-mapped, so large models are held once (empty: memory only)")
	f.BoolVar(&cfg.AllowPrivateHosts, "allow-private-hosts", false, "fetch http(s) artifacts from loopback or private addresses (local networks only)")
	f.StringVar(&from, "from", "", "key that signs dispute moves (the validator's operator key); empty: report results only")
	f.StringVar(&backend, "keyring-backend", "test", "keyring backend of --from")
	f.StringVar(&chainIDFlag, "chain-id", "", "chain id for signing (default: the client config's)")
	f.IntVar(&faultLeaf, "fault-leaf", -1, "TEST ONLY: falsify this trace leaf of every run (refused off local test chains)")
	f.Uint64Var(&faultModel, "fault-model", 0, "TEST ONLY: with --fault-leaf or --fault-score, falsify only this model's runs (0: every model)")
	f.BoolVar(&faultScore, "fault-score", false, "TEST ONLY: report the honest trace with a wrong score, one less (refused off local test chains)")
	cmd.AddCommand(start)
	return cmd
}
