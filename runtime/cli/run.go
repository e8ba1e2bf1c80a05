package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/delphi-network/delphi/runtime"
)

// Output is one output of `model run`: its name, dtype and shape, and the
// file it was written to.
type Output struct {
	Name  string `json:"name"`
	DType string `json:"dtype"`
	Shape []int  `json:"shape"`
	File  string `json:"file"`
}

// RunModel runs a model once on named input tensors (serialized ONNX
// TensorProtos) and returns its outputs in the graph's order with their
// names. Every input the model takes must be given, and nothing else; the
// graph is compiled for them (runtime.Specialize), so models whose shapes
// follow their inputs run too.
func RunModel(model []byte, inputs map[string][]byte, workers int) ([]string, []*runtime.Tensor, error) {
	lim := runtime.DefaultLimits()
	g, err := runtime.ParseONNX(model, lim)
	if err != nil {
		return nil, nil, err
	}
	want := g.RuntimeInputs()
	feed := make([]*runtime.Tensor, len(want))
	for i, in := range want {
		raw, ok := inputs[in.Name]
		if !ok {
			return nil, nil, fmt.Errorf("input %q (%s %v) is not given: --input %s=FILE.pb", in.Name, in.DType, in.Shape, in.Name)
		}
		t, err := runtime.ParseTensor(raw, lim)
		if err != nil {
			return nil, nil, fmt.Errorf("input %q: %w", in.Name, err)
		}
		feed[i] = t
	}
	for name := range inputs {
		known := false
		for _, in := range want {
			known = known || in.Name == name
		}
		if !known {
			names := make([]string, len(want))
			for i, in := range want {
				names[i] = in.Name
			}
			return nil, nil, fmt.Errorf("the model has no input %q (its inputs: %s)", name, strings.Join(names, ", "))
		}
	}
	// Compiled for these inputs: symbolic dimensions take their sizes and
	// integer inputs (shapes, axes, pads) their values.
	p, feed, err := runtime.Specialize(g, lim, feed)
	if err != nil {
		return nil, nil, err
	}
	outs, err := p.Run(feed, workers, nil)
	if err != nil {
		return nil, nil, err
	}
	return g.Outputs, outs, nil
}

// unsafeName is what a file name may not hold of an output's name.
var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]`)

func runCmd() *cobra.Command {
	var modelPath, outDir string
	var inputs []string
	var workers int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "run --model M.onnx --input NAME=FILE.pb ... --out DIR",
		Short: "Run a model on given tensors and write its outputs, to compare with another engine",
		Long: "Run an ONNX model once with the deterministic runtime on the given inputs, each an ONNX TensorProto file\n" +
			"(the format of ONNX's test data; onnx.numpy_helper.from_array(...).SerializeToString() writes one), and write\n" +
			"every output to DIR/NAME.pb as a TensorProto, so the results can be compared with onnxruntime or any other\n" +
			"engine. A model or input the runtime refuses is reported with the reason.",
		Example: "delphid model run --model model.onnx --input x=input_0.pb --out /tmp/outs",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			raw, err := readModel(modelPath)
			if err != nil {
				return err
			}
			given := map[string][]byte{}
			for _, spec := range inputs {
				name, file, ok := strings.Cut(spec, "=")
				if !ok || name == "" || file == "" {
					return fmt.Errorf("--input %q: want NAME=FILE.pb", spec)
				}
				if _, dup := given[name]; dup {
					return fmt.Errorf("--input %s is given twice", name)
				}
				if given[name], err = os.ReadFile(file); err != nil {
					return err
				}
			}
			names, outs, err := RunModel(raw, given, workers)
			if err != nil {
				return fmt.Errorf("%s: %w", modelPath, err)
			}
			if err := os.MkdirAll(outDir, 0o755); err != nil {
				return err
			}
			var written []Output
			used := map[string]bool{}
			for i, t := range outs {
				base := unsafeName.ReplaceAllString(names[i], "_")
				if base == "" || used[base] {
					base = fmt.Sprintf("output_%d", i)
				}
				used[base] = true
				b, err := runtime.MarshalTensor(t, names[i])
				if err != nil {
					return err
				}
				path := filepath.Join(outDir, base+".pb")
				if err := os.WriteFile(path, b, 0o644); err != nil {
					return err
				}
				written = append(written, Output{Name: names[i], DType: t.DType.String(), Shape: t.Shape, File: path})
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), written)
			}
			for _, o := range written {
				fmt.Fprintf(cmd.OutOrStdout(), "%s %s %v -> %s\n", o.Name, o.DType, o.Shape, o.File)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&modelPath, "model", "", "the ONNX model file")
	f.StringArrayVar(&inputs, "input", nil, "an input: NAME=FILE.pb (an ONNX TensorProto); once per model input")
	f.StringVar(&outDir, "out", "", "directory to write each output to, as NAME.pb")
	f.IntVar(&workers, "workers", 1, "goroutines per operator (the outputs are identical for any number)")
	f.BoolVar(&asJSON, "json", false, "print the outputs written as JSON")
	_ = cmd.MarkFlagRequired("model")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}
