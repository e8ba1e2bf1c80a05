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
	"github.com/delphi-network/delphi/runtime/llm"
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
	h.Reset()
	for i := -100000; i <= 100000; i++ {
		x := float32(i) / 10000
		for _, v := range []float32{runtime.Erf(x), runtime.Gelu(x), runtime.GeluTanh(x)} {
			h.Write(binary.LittleEndian.AppendUint32(nil, math.Float32bits(v)))
		}
	}
	fmt.Printf("erf/gelu sha256=%x\n", h.Sum(nil))
	if err := castOps(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := convTranspose(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, digest := range []func() error{vectorKernels, q8Kernels, resize, norms, recurrent, float64Ops} {
		if err := digest(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if err := unaryOps(); err != nil {
		return err
	}
	if err := languageModel(); err != nil {
		return err
	}
	if err := published(); err != nil {
		return err
	}

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

// languageModel trains a nano llama on the KJV (tokenizer and 12 steps),
// then evaluates it on the three text benchmarks with traces (greedy
// generation included) and decodes greedily with the KV cache.
func languageModel() error {
	cfg := llm.TrainConfig{Model: llm.Sizes["nano"], Seed: 3, Steps: 12, Batch: 4, Window: 32, LearningRate: 3e-3, ClipNorm: 1}
	raw, onnx, rec, err := llm.TrainKJV(cfg, "detcheck", 2, nil)
	if err != nil {
		return err
	}
	fmt.Printf("train llama tokenizer=%s weights=%s gguf=%s onnx=%s final_loss=%x\n", rec.TokenizerHash, rec.WeightsSHA256, rec.ModelSHA256, rec.ONNXSHA256, math.Float64bits(rec.FinalLoss))
	if _, err := llm.LoadONNX(onnx, runtime.DefaultLimits()); err != nil {
		return err
	}
	w, tok, err := llm.Load(raw)
	if err != nil {
		return err
	}
	ev, err := llm.NewEvaluator(w, tok, "You are a scribe.")
	if err != nil {
		return err
	}
	for _, name := range llm.TextBenchNames {
		b, err := llm.LoadTextBench(name)
		if err != nil {
			return err
		}
		res, err := ev.Evaluate(b, []int{0, 7, 100, 777}, true)
		if err != nil {
			return err
		}
		fmt.Printf("eval llama bench=%s hash=%s correct=%d/%d points=%d bpb=%x leaves=%d trace_root=%s\n",
			name, res.BenchHash, res.Correct, res.Scored, res.Points, math.Float64bits(res.BitsPerByte), res.Leaves, res.TraceRoot)
	}
	// A judged generation run: the same model as its own judge, verdicts
	// by log-likelihood of " yes" against " no", traced with the answer.
	judge, err := llm.NewEvaluator(w, tok, "")
	if err != nil {
		return err
	}
	ev.Judge = judge
	b, err := llm.LoadTextBench("kjv-complete")
	if err != nil {
		return err
	}
	res, err := ev.Evaluate(b, []int{0, 7}, true)
	if err != nil {
		return err
	}
	fmt.Printf("eval llama judged bench=%s points=%d leaves=%d trace_root=%s\n", b.Name, res.Points, res.Leaves, res.TraceRoot)
	out, err := llm.NewSession(w).Generate(tok.Encode([]byte("In the beginning")), 24, -1)
	if err != nil {
		return err
	}
	text, _ := tok.Decode(out)
	fmt.Printf("generate llama %q\n", text)
	return nil
}

// unaryOps digests the element-wise unary operators, each compiled as a
// one-node graph and run on a sweep, through the runtime's public API.
func unaryOps() error {
	xs := make([]float32, 0, 40001)
	for i := -20000; i <= 20000; i++ {
		xs = append(xs, float32(i)/1000)
	}
	// Large magnitudes to the float32 maximum: the trigonometric
	// functions' big-number argument reduction.
	for v := 1.0; v < math.MaxFloat32; v *= 1.37 {
		xs = append(xs, float32(v), -float32(v))
	}
	x, err := runtime.FromFloats([]int{len(xs)}, xs)
	if err != nil {
		return err
	}
	h := sha256.New()
	for _, op := range []string{"Neg", "Abs", "Floor", "Ceil", "Round", "Sign", "Reciprocal", "Sqrt", "Exp", "Log", "Softplus",
		"Softsign", "Mish", "LeakyRelu", "ThresholdedRelu", "Elu", "Celu", "Selu", "HardSigmoid", "HardSwish",
		"Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh"} {
		g := &runtime.Graph{Opset: 18, Initializers: map[string]*runtime.Tensor{},
			Inputs:  []runtime.ValueInfo{{Name: "x", DType: runtime.Float32, Shape: x.Shape}},
			Nodes:   []*runtime.Node{{OpType: op, Inputs: []string{"x"}, Outputs: []string{"y"}, Opset: 18, Attrs: map[string]runtime.Attr{}}},
			Outputs: []string{"y"}}
		p, err := runtime.Compile(g, runtime.DefaultLimits())
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		out, err := p.Run([]*runtime.Tensor{x}, 1, nil)
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		// What the trace hashes: NaNs canonical (Sqrt and Log of
		// negatives make the CPU's own NaN).
		h.Write(out[0].Bytes())
	}
	fmt.Printf("unary ops sha256=%x\n", h.Sum(nil))
	// Reductions over a 3-D tensor along its middle axis.
	h.Reset()
	r := make([]float32, 40*50*30)
	for i := range r {
		r[i] = float32((i*7919)%2001-1000) / 97
	}
	rt, err := runtime.FromFloats([]int{40, 50, 30}, r)
	if err != nil {
		return err
	}
	for _, op := range []string{"ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
		"ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare", "ArgMax", "ArgMin"} {
		attrs := map[string]runtime.Attr{"axes": {Kind: runtime.AttrInts, Ints: []int64{1}}}
		if op == "ArgMax" || op == "ArgMin" {
			attrs = map[string]runtime.Attr{"axis": {Kind: runtime.AttrInt, I: 1}}
		}
		g := &runtime.Graph{Opset: 12, Initializers: map[string]*runtime.Tensor{},
			Inputs:  []runtime.ValueInfo{{Name: "x", DType: runtime.Float32, Shape: rt.Shape}},
			Nodes:   []*runtime.Node{{OpType: op, Inputs: []string{"x"}, Outputs: []string{"y"}, Opset: 12, Attrs: attrs}},
			Outputs: []string{"y"}}
		p, err := runtime.Compile(g, runtime.DefaultLimits())
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		out, err := p.Run([]*runtime.Tensor{rt}, 2, nil)
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		h.Write(out[0].Bytes())
	}
	fmt.Printf("reductions sha256=%x\n", h.Sum(nil))
	// Pow over a sweep of bases and exponents (detmath's exp64 and log64).
	h.Reset()
	bases := make([]float32, 0, 4001)
	for i := -2000; i <= 2000; i++ {
		bases = append(bases, float32(i)/300)
	}
	bt, err := runtime.FromFloats([]int{len(bases)}, bases)
	if err != nil {
		return err
	}
	for _, e := range []float32{-3, -0.5, 0.3333, 2, 2.5, 7.25} {
		et, err := runtime.FromFloats(nil, []float32{e})
		if err != nil {
			return err
		}
		g := &runtime.Graph{Opset: 13, Initializers: map[string]*runtime.Tensor{"e": et},
			Inputs:  []runtime.ValueInfo{{Name: "x", DType: runtime.Float32, Shape: bt.Shape}},
			Nodes:   []*runtime.Node{{OpType: "Pow", Inputs: []string{"x", "e"}, Outputs: []string{"y"}, Opset: 13, Attrs: map[string]runtime.Attr{}}},
			Outputs: []string{"y"}}
		p, err := runtime.Compile(g, runtime.DefaultLimits())
		if err != nil {
			return err
		}
		out, err := p.Run([]*runtime.Tensor{bt}, 1, nil)
		if err != nil {
			return err
		}
		h.Write(out[0].Bytes())
	}
	fmt.Printf("pow sha256=%x\n", h.Sum(nil))
	return nil
}
