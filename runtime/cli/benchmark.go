package cli

import (
	"encoding/hex"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/delphi-network/delphi/runtime/bench"
)

// BenchmarkInfo describes a benchmark for `benchmark show`.
type BenchmarkInfo struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Items       int    `json:"items"`
	Classes     int    `json:"classes"`
	InputShape  []int  `json:"input_shape"`
	SHA256      string `json:"sha256"`
	ItemRoot    string `json:"item_root"`
}

func benchListCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the built-in benchmarks",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			for _, n := range bench.Names() {
				d, _ := bench.Describe(n)
				fmt.Fprintf(cmd.OutOrStdout(), "%-20s %s\n", n, d)
			}
			return nil
		},
	}
}

func benchShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show NAME",
		Short: "Load a benchmark, verify its sources and print its size and hashes",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := bench.Load(args[0])
			if err != nil {
				return err
			}
			d, _ := bench.Describe(args[0])
			h, r := b.SHA256(), b.ItemRoot()
			return writeJSON(cmd.OutOrStdout(), BenchmarkInfo{
				Name: b.Name(), Description: d, Items: b.Len(), Classes: b.Classes(), InputShape: b.InputShape(),
				SHA256: hex.EncodeToString(h[:]), ItemRoot: hex.EncodeToString(r[:]),
			})
		},
	}
}
