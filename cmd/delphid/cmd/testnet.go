package cmd

import (
	"encoding/hex"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/delphi-network/delphi/internal/localnet"
	"github.com/delphi-network/delphi/runtime/bench"
	"github.com/delphi-network/delphi/runtime/llm"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// testnetCmd generates the homes of a multi-validator network on this
// machine, for `make localnet-start` and for exploring Delphi by hand.
func testnetCmd() *cobra.Command {
	var (
		dir       string
		chainID   string
		n         int
		basePort  int
		blockTime time.Duration
		accounts  []string
		benches   []string
	)
	cmd := &cobra.Command{
		Use:   "testnet init-files",
		Short: "Generate the homes of a local multi-validator network (loopback only)",
		Long: `Generate one home per validator under --output-dir (node0, node1, ...):
keys in a test keyring, a shared genesis with every validator's gentx and vote
extensions enabled, and configs that listen on 127.0.0.1 only, each validator
on 8 consecutive ports from --base-port (node and its evaluator sidecar),
peered with the others.
Start each node with: delphid start --home <output-dir>/nodeN`,
		Args: cobra.MatchAll(cobra.ExactArgs(1), func(_ *cobra.Command, args []string) error {
			if args[0] != "init-files" {
				return fmt.Errorf("unknown testnet subcommand %q: want init-files", args[0])
			}
			return nil
		}),
		RunE: func(cmd *cobra.Command, _ []string) error {
			var bs []evaluationtypes.Benchmark
			for _, name := range benches {
				b, err := genesisBenchmark(name)
				if err != nil {
					return err
				}
				bs = append(bs, b)
			}
			layout, err := localnet.Generate(localnet.Options{
				Dir: dir, ChainID: chainID, Validators: n, Accounts: accounts,
				BasePort: basePort, BlockTime: blockTime, Benchmarks: bs,
			})
			if err != nil {
				return err
			}
			for _, nd := range layout.Nodes {
				cmd.Printf("%s home=%s rpc=%s api=%s grpc=%s\n", nd.Moniker, nd.Home, nd.RPC(), nd.API(), nd.GRPC())
			}
			for _, name := range accounts {
				cmd.Printf("account %s %s (keyring: --home %s --keyring-backend test)\n",
					name, layout.Accounts[name], layout.Nodes[0].Home)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "output-dir", "build/localnet", "directory for the validator homes")
	cmd.Flags().StringVar(&chainID, "chain-id", "delphi-localnet", "chain id")
	cmd.Flags().IntVar(&n, "validators", 4, "number of validators")
	cmd.Flags().IntVar(&basePort, "base-port", 26600, "first port; each validator uses 8 from here (0: any free ports)")
	cmd.Flags().DurationVar(&blockTime, "block-time", time.Second, "CometBFT timeout_commit")
	cmd.Flags().StringSliceVar(&accounts, "accounts", []string{"alice", "bob", "carol"}, "extra funded accounts in node0's keyring")
	cmd.Flags().StringSliceVar(&benches, "benchmarks", nil, "benchmarks to register in genesis, hashed from this machine's data (e.g. mnist,iris,kjv-next)")
	return cmd
}

// genesisBenchmark describes a local benchmark for genesis: its canonical
// hash and item root computed from the data on this machine.
func genesisBenchmark(name string) (evaluationtypes.Benchmark, error) {
	if kind, ok := llm.KindOf(name); ok {
		tb, err := llm.LoadTextBench(name)
		if err != nil {
			return evaluationtypes.Benchmark{}, fmt.Errorf("benchmark %s: %w (run make data)", name, err)
		}
		root := tb.ItemRoot()
		metric := map[string]string{llm.KindNext: "bits-per-byte", llm.KindChoice: "accuracy", llm.KindGenerate: "exact-match"}[kind]
		return evaluationtypes.Benchmark{Name: name, Dataset: name, Task: "text-" + kind, Metric: metric,
			DatasetSha256: tb.Hash(), ItemRoot: hex.EncodeToString(root[:]), PointsPerItem: evaluationtypes.DatasetPoints(name),
			DatasetUris: []string{"file:///usr/share/delphi/" + name}, ItemCount: uint64(tb.Len())}, nil
	}
	ds, err := bench.Load(name)
	if err != nil {
		return evaluationtypes.Benchmark{}, fmt.Errorf("benchmark %s: %w (run make data)", name, err)
	}
	sum, root := ds.SHA256(), ds.ItemRoot()
	task := "tabular-classification"
	if len(ds.InputShape()) > 2 {
		task = "image-classification"
	}
	return evaluationtypes.Benchmark{Name: name, Task: task, Metric: "accuracy",
		DatasetSha256: hex.EncodeToString(sum[:]), ItemRoot: hex.EncodeToString(root[:]),
		DatasetUris: []string{"file:///usr/share/delphi/" + name}, ItemCount: uint64(ds.Len())}, nil
}
