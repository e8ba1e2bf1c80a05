package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
	"github.com/delphi-network/delphi/runtime/llm"
)

// Language models: `model train --type llama` and `model eval` on a GGUF
// file with a kjv-* text benchmark.

type lmTrainFlags struct {
	size                 string
	steps, batch, window int
	lr                   float32
	workers              int
}

func (f *lmTrainFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.size, "size", "micro", "llama size: "+strings.Join(sizeNames(), ", "))
	fl.IntVar(&f.steps, "steps", 300, "llama: optimizer steps")
	fl.IntVar(&f.batch, "batch", 8, "llama: windows per step")
	fl.IntVar(&f.window, "window", 64, "llama: tokens per window")
	fl.Float32Var(&f.lr, "llm-lr", 3e-3, "llama: Adam learning rate")
	fl.IntVar(&f.workers, "workers", 2, "llama: goroutines computing window gradients (the result does not depend on it)")
}

func sizeNames() []string {
	var names []string
	for n := range llm.Sizes {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func trainLM(cmd *cobra.Command, f *lmTrainFlags, seed uint64, out, recordPath string) error {
	if !strings.HasSuffix(out, ".gguf") {
		return fmt.Errorf("--out %q: a language model is written as NAME.gguf (and NAME.onnx beside it)", out)
	}
	model, ok := llm.Sizes[f.size]
	if !ok {
		return fmt.Errorf("unknown size %q (have %s)", f.size, strings.Join(sizeNames(), ", "))
	}
	cfg := llm.TrainConfig{Model: model, Seed: seed, Steps: f.steps, Batch: f.batch, Window: f.window, LearningRate: f.lr, ClipNorm: 1}
	name := fmt.Sprintf("kjv-llama-%s-s%d", f.size, seed)
	log := cmd.ErrOrStderr()
	every := max(1, f.steps/10)
	raw, onnx, rec, err := llm.TrainKJV(cfg, name, f.workers, func(i int, s llm.Step) {
		if i%every == 0 || i == f.steps-1 {
			fmt.Fprintf(log, "step %d/%d loss %.3f accuracy %.3f\n", i+1, f.steps, s.Loss, s.Accuracy)
		}
	})
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, raw, 0o644); err != nil {
		return err
	}
	onnxPath := strings.TrimSuffix(out, ".gguf") + ".onnx"
	if err := os.WriteFile(onnxPath, onnx, 0o644); err != nil {
		return err
	}
	if recordPath != "" {
		b, _ := json.MarshalIndent(rec, "", "  ")
		if err := os.WriteFile(recordPath, append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(log, "wrote %s (%d bytes) and %s (%d bytes)\n", out, len(raw), onnxPath, len(onnx))
	return writeJSON(cmd.OutOrStdout(), rec)
}

func isLM(modelPath, benchName string) bool {
	return strings.HasSuffix(modelPath, ".gguf") || strings.HasPrefix(benchName, "kjv-")
}

// lmOptions are model eval's language-model flags.
type lmOptions struct {
	systemPrompt, judge, judgePrompt string
}

// openLM loads a GGUF or ONNX language model as an evaluator.
func openLM(path, systemPrompt string) (*llm.Evaluator, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if strings.HasSuffix(path, ".onnx") {
		m, err := llm.LoadONNX(raw, runtime.DefaultLimits())
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return llm.NewONNXEvaluator(m, systemPrompt)
	}
	weights, tok, err := llm.Load(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return llm.NewEvaluator(weights, tok, systemPrompt)
}

func evalLM(w io.Writer, modelPath, benchName string, o lmOptions, items int, seed uint64, version uint32, trace, asJSON bool) error {
	ev, err := openLM(modelPath, o.systemPrompt)
	if err != nil {
		return err
	}
	if o.judge != "" {
		if benchName != "kjv-complete" {
			return fmt.Errorf("a judge scores generation: use it with kjv-complete")
		}
		if ev.Judge, err = openLM(o.judge, ""); err != nil {
			return fmt.Errorf("judge: %w", err)
		}
		ev.JudgePrompt = o.judgePrompt
	}
	if ev, err = ev.AtVersion(version); err != nil {
		return err
	}
	b, err := llm.LoadTextBench(benchName)
	if err != nil {
		return err
	}
	sel := bench.All(len(b.Items))
	if items > 0 {
		if sel, err = bench.Select(bench.SeedFromUint64(seed), items, len(b.Items)); err != nil {
			return err
		}
	}
	res, err := ev.Evaluate(b, sel, trace)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(w, res)
	}
	fmt.Fprintf(w, "benchmark %s (%s)\ncorrect %d/%d (%.4f)\npoints %d\n", res.Benchmark, res.BenchHash, res.Correct, res.Scored, res.Accuracy, res.Points)
	if res.BitsPerByte > 0 {
		fmt.Fprintf(w, "bits_per_byte %.4f\n", res.BitsPerByte)
	}
	if trace {
		fmt.Fprintf(w, "trace_root %s\nleaves %d\n", res.TraceRoot, res.Leaves)
	}
	return nil
}
