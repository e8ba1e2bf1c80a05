// Package cli exports the cobra commands `model` (eval, train, inspect) and
// `benchmark` (list, show) so that cmd/delphid can mount them with
// rootCmd.AddCommand(cli.ModelCmd(), cli.BenchmarkCmd()).
package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/zoo"
)

// ZooPrefix names built-in models: "zoo:mnist" is the ONNX-zoo MNIST CNN.
const ZooPrefix = "zoo:"

// readModel reads a model file, or a built-in model named zoo:NAME.
func readModel(path string) ([]byte, error) {
	if name, ok := strings.CutPrefix(path, ZooPrefix); ok {
		if name != "mnist" {
			return nil, fmt.Errorf("unknown zoo model %q (have zoo:mnist)", name)
		}
		return zoo.MNIST()
	}
	return os.ReadFile(path)
}

func loadModel(path string) (*runtime.Model, error) {
	b, err := readModel(path)
	if err != nil {
		return nil, err
	}
	return runtime.LoadModel(b, runtime.DefaultLimits())
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// ModelCmd is `model eval|train|inspect|run`.
func ModelCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "model", Short: "Evaluate, train and inspect ONNX models with the deterministic runtime"}
	cmd.AddCommand(evalCmd(), trainCmd(), inspectCmd(), runCmd())
	return cmd
}

// BenchmarkCmd is `benchmark list|show`.
func BenchmarkCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "benchmark", Short: "List and describe the built-in benchmarks"}
	cmd.AddCommand(benchListCmd(), benchShowCmd())
	return cmd
}
