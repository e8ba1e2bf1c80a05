package llm

import (
	"testing"

	"github.com/delphi-network/delphi/runtime"
)

// Speed of the language-model paths, per model size (random weights: speed
// does not depend on training). Figures: tokens/s of prompt processing
// through the traced graph, with and without the trace; tokens/s of greedy
// generation with the KV cache; optimizer steps/s of training.

var benchSizes = []string{"nano", "micro", "small"}

func benchProgram(b *testing.B, size string) (*runtime.Program, *runtime.Tensor, int) {
	cfg := Sizes[size]
	w, err := Init(cfg, 1)
	if err != nil {
		b.Fatal(err)
	}
	g, _ := Graph(w, cfg.Context)
	p, err := runtime.Compile(g, runtime.DefaultLimits())
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]int64, cfg.Context)
	for i := range ids {
		ids[i] = int64((i * 7) % cfg.Vocab)
	}
	x, _ := runtime.FromInts([]int{1, cfg.Context}, ids)
	return p, x, cfg.Context
}

func BenchmarkPrompt(b *testing.B) {
	for _, size := range benchSizes {
		for _, traced := range []bool{false, true} {
			name := size
			if traced {
				name += "/traced"
			}
			b.Run(name, func(b *testing.B) {
				p, x, T := benchProgram(b, size)
				var observe func(int, *runtime.Tensor)
				if traced {
					tr := &runtime.Trace{}
					observe = func(_ int, t *runtime.Tensor) { tr.Append(runtime.OutputHash(t)) }
				}
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if _, err := p.RunRecycled([]*runtime.Tensor{x}, 1, observe); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(T*b.N)/b.Elapsed().Seconds(), "tokens/s")
			})
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(size, func(b *testing.B) {
			cfg := Sizes[size]
			w, _ := Init(cfg, 1)
			tokens := 0
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				s := NewSession(w)
				logits, err := s.Step(1)
				if err != nil {
					b.Fatal(err)
				}
				for s.Pos() < cfg.Context {
					if logits, err = s.Step(Argmax(logits)); err != nil {
						b.Fatal(err)
					}
				}
				tokens += cfg.Context
			}
			b.ReportMetric(float64(tokens)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}

func BenchmarkTrainStep(b *testing.B) {
	for _, size := range []string{"nano", "micro"} {
		b.Run(size, func(b *testing.B) {
			cfg := TrainConfig{Model: Sizes[size], Seed: 1, Steps: 1, Batch: 8, Window: 64, LearningRate: 3e-3, ClipNorm: 1}
			tr, err := NewTrainer(cfg, corpus(20000, cfg.Model.Vocab))
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				tr.Step(2)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
			b.ReportMetric(float64(b.N*cfg.Batch*cfg.Window)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}
