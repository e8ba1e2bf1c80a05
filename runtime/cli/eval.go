package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
)

func evalCmd() *cobra.Command {
	var (
		modelPath, benchName, backend string
		lmOpts                        lmOptions
		items                         int
		seed                          uint64
		version                       uint32
		declared                      runtime.RefereeStep
		asJSON, noTrace               bool
	)
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "Evaluate a model on a benchmark and print its score and trace root",
		Long: `Evaluate a model on a benchmark. Without --items every item runs in file order;
with --items N, N items are drawn from --seed (SHA-256 counter mode, Fisher-Yates).
A GGUF language model runs on the text benchmarks kjv-next (next-token accuracy, bits per
byte), kjv-cloze (4-way continuation by log-likelihood) and kjv-complete (greedy last word).
The trace root commits to the run's operator outputs: at --runtime-version 1 to every
one, at 2 to the outputs of fused operator groups, at 3 (the default) to groups that also
grow into what the registration declares above the model's smallest referee step
(--referee-step-bytes and --referee-step-flops, as registered; without them, version 2's).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if isLM(modelPath, benchName) {
				return evalLM(cmd.OutOrStdout(), modelPath, benchName, lmOpts, items, seed, version, !noTrace, asJSON)
			}
			be, err := runtime.OpenBackend(backend)
			if err != nil {
				return err
			}
			m, err := loadModel(modelPath)
			if err != nil {
				return err
			}
			if m, err = m.WithBackend(be); err != nil {
				return err
			}
			if declared != (runtime.RefereeStep{}) {
				least, err := m.RefereeStep()
				if err != nil {
					return err
				}
				if err := least.Admitted(declared); err != nil {
					return err
				}
			}
			if m, err = m.AtVersionDeclared(version, declared); err != nil {
				return err
			}
			ds, err := bench.Load(benchName)
			if err != nil {
				return err
			}
			sel := bench.All(ds.Len())
			if items > 0 {
				if sel, err = bench.Select(bench.SeedFromUint64(seed), items, ds.Len()); err != nil {
					return err
				}
			}
			res, err := m.Evaluate(ds, sel, runtime.EvalOptions{Trace: !noTrace})
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), res)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "model %s\nbenchmark %s\ncorrect %d/%d (%.4f)\ntrace_root %s\nleaves %d\n",
				res.ModelSHA256, res.Benchmark, res.Correct, res.Items, res.Accuracy, res.TraceRoot, res.Leaves)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&modelPath, "model", "", "ONNX model file, zoo:mnist, or a llama GGUF file")
	f.StringVar(&lmOpts.systemPrompt, "system-prompt", "", "language models: text prepended (with a newline) to every item")
	f.StringVar(&lmOpts.judge, "judge", "", "kjv-complete: a GGUF or ONNX judge model that decides each answer (traced with the run)")
	f.StringVar(&lmOpts.judgePrompt, "judge-prompt", "", "the judge's prompt with {prompt}, {answer} and {reference} (default: a yes/no match question)")
	f.StringVar(&benchName, "benchmark", "", "benchmark name (see `benchmark list`)")
	f.IntVar(&items, "items", 0, "number of items drawn from --seed (0: all, in file order)")
	f.Uint64Var(&seed, "seed", 0, "item selection seed")
	f.StringVar(&backend, "backend", "cpu", "cpu, or cuda in a build with -tags cuda on a machine with a GPU")
	f.BoolVar(&asJSON, "json", false, "print one JSON object")
	f.BoolVar(&noTrace, "no-trace", false, "skip the trace (no trace_root)")
	f.Uint32Var(&version, "runtime-version", runtime.Version, "the runtime version whose trace leaves the root commits to (an evaluation's runtime_version)")
	f.Int64Var(&declared.Bytes, "referee-step-bytes", 0, "ONNX classifiers: the registration's referee_step_bytes; from runtime version 3 the trace's groups use what it declares above the smallest step (0: none declared)")
	f.Int64Var(&declared.FLOPs, "referee-step-flops", 0, "ONNX classifiers: the registration's referee_step_flops (with --referee-step-bytes)")
	_ = cmd.MarkFlagRequired("model")
	_ = cmd.MarkFlagRequired("benchmark")
	return cmd
}
