package cli

import (
	"encoding/hex"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/delphi-network/delphi/runtime/bench"
	"github.com/delphi-network/delphi/runtime/llm"
)

// textDescriptions are the text benchmarks' one-line descriptions.
var textDescriptions = map[string]string{
	"kjv-next":     "KJV held-out verses: next-token accuracy and bits per byte (1000 points a verse), Debian bible-kjv",
	"kjv-cloze":    "KJV held-out verses: pick the true second half among four (log-likelihood, PMI), Debian bible-kjv",
	"kjv-complete": "KJV held-out verses: greedy decoding of the missing last word (exact match or a judge), Debian bible-kjv",
}

// TextBenchmarkInfo describes a text benchmark for `benchmark show`: what
// its registration needs.
type TextBenchmarkInfo struct {
	Name          string `json:"name"`
	Description   string `json:"description"`
	Kind          string `json:"kind"`
	Items         int    `json:"items"`
	PointsPerItem int    `json:"points_per_item"`
	SHA256        string `json:"sha256"`
	ItemRoot      string `json:"item_root"`
}

func showText(w io.Writer, name string) error {
	b, err := llm.LoadTextBench(name)
	if err != nil {
		return err
	}
	kind, _ := b.Kind()
	r := b.ItemRoot()
	return writeJSON(w, TextBenchmarkInfo{Name: name, Description: textDescriptions[name], Kind: kind, Items: b.Len(),
		PointsPerItem: llm.PointsPerItem(kind), SHA256: b.Hash(), ItemRoot: hex.EncodeToString(r[:])})
}

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
			for _, n := range llm.TextBenchNames {
				fmt.Fprintf(cmd.OutOrStdout(), "%-20s %s\n", n, textDescriptions[n])
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
			if _, ok := llm.KindOf(args[0]); ok {
				return showText(cmd.OutOrStdout(), args[0])
			}
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
