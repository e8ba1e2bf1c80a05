package cli

import (
	"encoding/hex"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/delphi-network/delphi/runtime"
)

// Inspection describes a model for `model inspect`.
type Inspection struct {
	SHA256        string         `json:"sha256"`
	Opset         int64          `json:"opset"`
	Input         []int          `json:"input_shape"`
	Nodes         []NodeInfo     `json:"nodes"`
	OpCounts      map[string]int `json:"op_counts"`
	Parameters    int64          `json:"parameters"`
	Initializers  []TensorInfo   `json:"initializers"`
	WeightRoot    string         `json:"weight_root"`
	FLOPsPerItem  int64          `json:"flops_per_item"`
	LeavesPerItem int            `json:"leaves_per_item"`
	// RefereeStepBytes and RefereeStepFLOPs are the largest Verde referee
	// step over one operator: what the registration declares.
	RefereeStepBytes int64 `json:"referee_step_bytes"`
	RefereeStepFLOPs int64 `json:"referee_step_flops"`
	// RefereeStepError says why the chain could not referee the model
	// (empty when it can).
	RefereeStepError string `json:"referee_step_error,omitempty"`
}

// NodeInfo is one operator in canonical order.
type NodeInfo struct {
	Name   string   `json:"name"`
	OpType string   `json:"op_type"`
	Inputs []string `json:"inputs"`
	Output []string `json:"outputs"`
	Shapes [][]int  `json:"output_shapes"`
}

// TensorInfo is one initializer in weight-tree order.
type TensorInfo struct {
	Name  string `json:"name"`
	Shape []int  `json:"shape"`
}

// Inspect summarises a loaded model.
func Inspect(m *runtime.Model) Inspection {
	wr := m.Weights().Root()
	in := Inspection{
		SHA256: m.SHA256Hex(), Opset: m.Graph.Opset, Input: m.InputShape(), OpCounts: map[string]int{},
		Parameters: m.ParameterCount(), WeightRoot: hex.EncodeToString(wr[:]),
		FLOPsPerItem: m.Program.FLOPs(), LeavesPerItem: m.LeavesPerItem(),
	}
	step, err := m.RefereeStep()
	if err == nil {
		err = step.WithinBounds()
	}
	in.RefereeStepBytes, in.RefereeStepFLOPs = step.Bytes, step.FLOPs
	if err != nil {
		in.RefereeStepError = err.Error()
	}
	for k, n := range m.Program.Nodes() {
		in.Nodes = append(in.Nodes, NodeInfo{Name: n.Name, OpType: n.OpType, Inputs: n.Inputs, Output: n.Outputs, Shapes: m.Program.OutputShapes(k)})
		in.OpCounts[n.OpType]++
	}
	for _, name := range m.Weights().Names() {
		in.Initializers = append(in.Initializers, TensorInfo{Name: name, Shape: m.Graph.Initializers[name].Shape})
	}
	return in
}

func inspectCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "inspect FILE",
		Short: "Show a model's format, SHA-256 and weights root (what registration needs), its operators and shapes",
		Long: "An ONNX classifier prints its operators, shapes and initializer tree; a language model (GGUF, or ONNX\n" +
			"with a tokenizer) prints its config, the weights_root to register (the GGUF weight tree or the ONNX\n" +
			"initializer tree) and its trace leaves per item on each text benchmark. A model the runtime refuses\n" +
			"prints every operator and element type it uses, each marked supported or not, and the runtime's reason,\n" +
			"and exits non-zero.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			raw, err := readModel(args[0])
			if err != nil {
				return err
			}
			if lm, ok, err := lmFormat(args[0], raw); ok {
				if err != nil {
					return fmt.Errorf("%s: %w", args[0], err)
				}
				in, err := InspectLM(lm, raw)
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSON(cmd.OutOrStdout(), in)
				}
				printLM(cmd.OutOrStdout(), in)
				return nil
			}
			m, err := runtime.LoadModel(raw, runtime.DefaultLimits())
			if err != nil {
				// A model the runtime refuses: every operator and element
				// type it uses, marked supported or not, and the reason.
				sup, serr := CheckSupport(raw)
				if serr != nil {
					return fmt.Errorf("%s: %w", args[0], serr)
				}
				if sup.Refusal == "" {
					sup.Refusal = err.Error()
				}
				if asJSON {
					if err := writeJSON(cmd.OutOrStdout(), sup); err != nil {
						return err
					}
				} else {
					printSupport(cmd.OutOrStdout(), sup)
				}
				return fmt.Errorf("the runtime refuses %s: %s", args[0], sup.Refusal)
			}
			in := Inspect(m)
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), in)
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "sha256 %s\nopset %d\ninput %v\nparameters %d\nweight_root %s\nflops_per_item %d\nleaves_per_item %d\nreferee_step_bytes %d\nreferee_step_flops %d\n",
				in.SHA256, in.Opset, in.Input, in.Parameters, in.WeightRoot, in.FLOPsPerItem, in.LeavesPerItem, in.RefereeStepBytes, in.RefereeStepFLOPs)
			if in.RefereeStepError != "" {
				fmt.Fprintf(w, "not registrable: %s\n", in.RefereeStepError)
			}
			for i, n := range in.Nodes {
				fmt.Fprintf(w, "  %2d %-12s %v -> %v %v\n", i, n.OpType, n.Inputs, n.Output, n.Shapes)
			}
			for _, t := range in.Initializers {
				fmt.Fprintf(w, "  weight %s %v\n", t.Name, t.Shape)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
