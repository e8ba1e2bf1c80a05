package cli

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/delphi-network/delphi/runtime/train"
)

func trainCmd() *cobra.Command {
	var (
		kind, dataset, out, recordPath string
		cfg                            train.Config
		lm                             lmTrainFlags
	)
	cmd := &cobra.Command{
		Use:   "train",
		Short: "Train a model reproducibly and write it as ONNX (a language model as GGUF and ONNX)",
		Long: `Train logreg, mlp or cnn on mnist-train or fashion-mnist-train, or logreg or mlp on a
tabular benchmark (iris, wine, breast-cancer, digits; standardised inside the graph), with a seed.
--type llama trains a decoder-only language model (--size nano|micro|small) and its BPE tokenizer
on the King James Bible's training split and writes GGUF.
Training is bit-for-bit reproducible: the same flags give the same file on any machine.
The training record (config, dataset hash, weights root, model hash) goes to --record.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if kind == "llama" {
				return trainLM(cmd, &lm, cfg.Seed, out, recordPath)
			}
			// flags left unset take the defaults for this model and dataset
			def := train.DefaultConfig(kind, dataset)
			fl := cmd.Flags()
			if !fl.Changed("lr") {
				cfg.LearningRate = def.LearningRate
			}
			if !fl.Changed("epochs") {
				cfg.Epochs = def.Epochs
			}
			if !fl.Changed("batch-size") {
				cfg.BatchSize = def.BatchSize
			}
			if !fl.Changed("hidden") {
				cfg.Hidden = def.Hidden
			}
			cfg.Model, cfg.Dataset = kind, dataset
			model, rec, err := train.Train(cfg)
			if err != nil {
				return err
			}
			if err := os.WriteFile(out, model, 0o644); err != nil {
				return err
			}
			if recordPath != "" {
				b, _ := json.MarshalIndent(rec, "", "  ")
				if err := os.WriteFile(recordPath, append(b, '\n'), 0o644); err != nil {
					return err
				}
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "wrote %s (%d bytes)\n", out, len(model))
			return writeJSON(cmd.OutOrStdout(), rec)
		},
	}
	def := train.DefaultConfig("mlp", "mnist-train")
	f := cmd.Flags()
	f.StringVar(&kind, "type", "mlp", "logreg, mlp, cnn or llama")
	f.StringVar(&dataset, "dataset", "mnist-train", "mnist-train, fashion-mnist-train, iris, wine, breast-cancer or digits")
	f.Uint64Var(&cfg.Seed, "seed", def.Seed, "seed for initial weights and example order")
	f.IntVar(&cfg.Epochs, "epochs", def.Epochs, "epochs")
	f.IntVar(&cfg.BatchSize, "batch-size", def.BatchSize, "examples per SGD step")
	f.Float32Var(&cfg.LearningRate, "lr", def.LearningRate, "learning rate (default depends on --type)")
	f.IntVar(&cfg.Hidden, "hidden", def.Hidden, "mlp hidden units")
	f.IntVar(&cfg.Limit, "limit", 0, "train on the first N examples only (0: all)")
	f.StringVar(&out, "out", "", "output .onnx file (.gguf for llama)")
	f.StringVar(&recordPath, "record", "", "write the training record (JSON) here")
	lm.register(cmd)
	_ = cmd.MarkFlagRequired("out")
	return cmd
}
