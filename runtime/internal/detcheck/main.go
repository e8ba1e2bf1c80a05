// Command detcheck prints the consensus-relevant digests of a fixed workload
// (trace roots of zoo-model evaluations, bytes of trained models, a digest of
// the elementary functions). scripts/crossarch.sh builds it for GOAMD64=v1,
// GOAMD64=v3 and GOARCH=arm64 (run under qemu-aarch64-static) and requires
// identical output: the proof that the runtime is deterministic across CPUs
// and compiler FMA choices.
package main

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"os"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
	"github.com/delphi-network/delphi/runtime/train"
	"github.com/delphi-network/delphi/runtime/zoo"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "detcheck:", err)
		os.Exit(1)
	}
}

func evaluate(m *runtime.Model, name string, n int) error {
	ds, err := bench.Load(name)
	if err != nil {
		return err
	}
	items, err := bench.Select(bench.SeedFromUint64(1), n, ds.Len())
	if err != nil {
		return err
	}
	res, err := m.Evaluate(ds, items, runtime.EvalOptions{Trace: true})
	if err != nil {
		return err
	}
	fmt.Printf("eval model=%s bench=%s items=%d correct=%d leaves=%d trace_root=%s\n",
		res.ModelSHA256[:16], name, res.Items, res.Correct, res.Leaves, res.TraceRoot)
	return nil
}

func run() error {
	// elementary functions over a sweep of float32 inputs
	h := sha256.New()
	for i := -200000; i <= 200000; i++ {
		x := float32(i) / 2000
		for _, v := range []float32{runtime.Exp(x), runtime.Log(float32(x*x) + 1e-3), runtime.Tanh(x), runtime.Sigmoid(x)} {
			h.Write(binary.LittleEndian.AppendUint32(nil, math.Float32bits(v)))
		}
	}
	fmt.Printf("detmath sha256=%x\n", h.Sum(nil))

	b, err := zoo.MNIST()
	if err != nil {
		return err
	}
	m, err := runtime.LoadModel(b, runtime.DefaultLimits())
	if err != nil {
		return err
	}
	for _, name := range []string{"mnist", "fashion-mnist"} {
		if err := evaluate(m, name, 1000); err != nil {
			return err
		}
	}
	for _, kind := range []string{"logreg", "mlp", "cnn"} {
		cfg := train.DefaultConfig(kind, "mnist-train")
		cfg.Limit = 3000
		model, rec, err := train.Train(cfg)
		if err != nil {
			return err
		}
		fmt.Printf("train model=%s sha256=%s weights_root=%s\n", kind, rec.ModelSHA256, rec.WeightsRoot)
		tm, err := runtime.LoadModel(model, runtime.DefaultLimits())
		if err != nil {
			return err
		}
		if err := evaluate(tm, "fashion-mnist", 300); err != nil {
			return err
		}
	}
	for _, c := range [][2]string{{"logreg", "iris"}, {"mlp", "wine"}, {"mlp", "digits"}} {
		model, rec, err := train.Train(train.DefaultConfig(c[0], c[1]))
		if err != nil {
			return err
		}
		fmt.Printf("train model=%s dataset=%s sha256=%s\n", c[0], c[1], rec.ModelSHA256)
		tm, err := runtime.LoadModel(model, runtime.DefaultLimits())
		if err != nil {
			return err
		}
		if err := evaluate(tm, c[1], 100); err != nil {
			return err
		}
	}
	return nil
}
