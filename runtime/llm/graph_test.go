package llm

import (
	"math"
	"testing"

	"github.com/delphi-network/delphi/runtime"
)

var tiny = Config{Vocab: 40, Dim: 16, Layers: 2, Heads: 2, Hidden: 24, Context: 12, RopeTheta: 10000, NormEps: 1e-5}

func compile(t *testing.T, w *Weights, T int) *runtime.Program {
	t.Helper()
	g, err := Graph(w, T)
	if err != nil {
		t.Fatal(err)
	}
	p, err := runtime.Compile(g, runtime.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func tokens(v ...int64) *runtime.Tensor {
	t, _ := runtime.FromInts([]int{1, len(v)}, v)
	return t
}

// The graph (runtime operators, traced) and the session (loops with a KV
// cache) are two implementations of one canonical computation: their
// logits must agree bit for bit at every position.
func TestGraphMatchesSessionBitForBit(t *testing.T) {
	gqa := tiny
	gqa.Heads, gqa.KVHeads = 4, 2 // head size 4; query heads 0,1 share key/value head 0
	for _, cfg := range []Config{tiny, gqa} {
		graphMatchesSession(t, cfg)
	}
	for _, cfg := range publishedLayouts(tiny) {
		t.Run(cfg.Architecture(), func(t *testing.T) { graphMatchesSession(t, cfg) })
	}
}

// publishedLayouts returns base in the layouts of published models: Llama 3
// (grouped-query attention, rotary frequency divisors), Qwen 2 (biases on
// q, k, v; rotary halves) and Qwen 3 (query/key head norms, a head width
// that is not Dim/Heads).
func publishedLayouts(base Config) []Config {
	l3, q2, q3 := base, base, base
	l3.Heads, l3.KVHeads, l3.RopeTheta = 4, 2, 500000
	l3.RopeFreqs = llama3RopeFreqs(l3.HeadDim(), 500000)
	q2.Arch, q2.Heads, q2.KVHeads, q2.RopeTheta = ArchQwen2, 4, 2, 1000000
	q3.Arch, q3.Heads, q3.KVHeads, q3.HeadSize, q3.RopeTheta, q3.NormEps = ArchQwen3, 4, 2, 2*base.Dim/4, 1000000, 1e-6
	return []Config{l3, q2, q3}
}

// llama3RopeFreqs computes Llama 3.1's rope scaling divisors as its
// reference code defines them (factor 8, low 1, high 4, original context
// 8192): wavelengths longer than 8192/1 are divided by 8, shorter than
// 8192/4 kept, smoothly interpolated between. (Test data: any positive
// divisors are a valid config.)
func llama3RopeFreqs(headDim int, theta float64) []float32 {
	const factor, low, high, orig = 8.0, 1.0, 4.0, 8192.0
	out := make([]float32, headDim/2)
	for i := range out {
		freq := 1 / math.Pow(theta, float64(2*i)/float64(headDim))
		wavelen := 2 * math.Pi / freq
		switch {
		case wavelen < orig/high:
			out[i] = 1
		case wavelen > orig/low:
			out[i] = factor
		default:
			smooth := (orig/wavelen - low) / (high - low)
			out[i] = float32(1 / (float64((1-smooth)/factor) + smooth))
		}
	}
	return out
}

func graphMatchesSession(t *testing.T, cfg Config) {
	w, err := Init(cfg, 7)
	if err != nil {
		t.Fatal(err)
	}
	graphMatchesWeights(t, w)
}

func graphMatchesWeights(t *testing.T, w *Weights) {
	graphMatchesOn(t, w, []int64{3, 17, 0, 39, 5, 5, 21, 8})
}

func graphMatchesOn(t *testing.T, w *Weights, ids []int64) {
	cfg := w.Config
	p := compile(t, w, len(ids))
	for _, workers := range []int{1, 3} {
		out, err := p.Run([]*runtime.Tensor{tokens(ids...)}, workers, nil)
		if err != nil {
			t.Fatal(err)
		}
		logits := out[0]
		if len(logits.Shape) != 3 || logits.Shape[1] != len(ids) || logits.Shape[2] != cfg.Vocab {
			t.Fatalf("logits shape %v", logits.Shape)
		}
		s := NewSession(w).SetWorkers(workers) // the session's products split as the graph's are
		for pos, id := range ids {
			row, err := s.Step(int(id))
			if err != nil {
				t.Fatal(err)
			}
			for v := range row {
				if math.Float32bits(row[v]) != math.Float32bits(logits.F[pos*cfg.Vocab+v]) {
					t.Fatalf("workers=%d position %d logit %d: session %v, graph %v", workers, pos, v, row[v], logits.F[pos*cfg.Vocab+v])
				}
			}
		}
	}
}

// Causality: a row's logits do not depend on later tokens.
func TestGraphIsCausal(t *testing.T) {
	w, _ := Init(tiny, 8)
	p := compile(t, w, 6)
	a, _ := p.Run([]*runtime.Tensor{tokens(1, 2, 3, 4, 5, 6)}, 1, nil)
	b, _ := p.Run([]*runtime.Tensor{tokens(1, 2, 3, 9, 9, 9)}, 1, nil)
	for i := 0; i < 3*tiny.Vocab; i++ {
		if a[0].F[i] != b[0].F[i] {
			t.Fatalf("logit %d of the first three rows changed with later tokens", i)
		}
	}
	if a[0].F[3*tiny.Vocab] == b[0].F[3*tiny.Vocab] && a[0].F[3*tiny.Vocab+1] == b[0].F[3*tiny.Vocab+1] {
		t.Fatal("row 3 ignored its own token")
	}
}

func TestSessionRefusesBadInput(t *testing.T) {
	w, _ := Init(tiny, 9)
	s := NewSession(w)
	if _, err := s.Step(tiny.Vocab); err == nil {
		t.Fatal("a token past the vocabulary was accepted")
	}
	for i := 0; i < tiny.Context; i++ {
		if _, err := s.Step(1); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Step(1); err == nil {
		t.Fatal("a step past the context was accepted")
	}
	if _, err := Graph(w, tiny.Context+1); err == nil {
		t.Fatal("a window past the context was accepted")
	}
	out, err := NewSession(w).Generate([]int{1, 2}, 5, -1)
	if err != nil || len(out) != 5 {
		t.Fatalf("generate: %v %v", out, err)
	}
	again, _ := NewSession(w).Generate([]int{1, 2}, 5, -1)
	for i := range out {
		if out[i] != again[i] {
			t.Fatal("greedy generation is not deterministic")
		}
	}
}

// A model large enough that the operators really split across workers gives
// the same logits with 1 and 2 of them.
func TestGraphWorkersAgree(t *testing.T) {
	cfg := Sizes["micro"]
	w, _ := Init(cfg, 2)
	p := compile(t, w, 32)
	ids := make([]int64, 32)
	for i := range ids {
		ids[i] = int64(i * 13 % cfg.Vocab)
	}
	a, err := p.Run([]*runtime.Tensor{tokens(ids...)}, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := p.Run([]*runtime.Tensor{tokens(ids...)}, 2, nil)
	for i := range a[0].F {
		if math.Float32bits(a[0].F[i]) != math.Float32bits(b[0].F[i]) {
			t.Fatalf("logit %d differs between 1 and 2 workers", i)
		}
	}
}

func TestArgmaxSkipsNaN(t *testing.T) {
	nan := float32(math.NaN())
	if Argmax([]float32{nan, 1, 3, 3}) != 2 || Argmax([]float32{nan, nan}) != 0 || Argmax([]float32{-1, -2}) != 0 {
		t.Fatal("argmax")
	}
}

// TestRecycledRunsMatchRun: the evaluation path reuses a run's
// intermediate buffers (Softmax, the norms, RotaryEmbedding, Transpose
// and the products among them) for the next run. Each recycled run must
// compute what a plain run does, and a returned output must survive the
// runs after it, in every published layout.
func TestRecycledRunsMatchRun(t *testing.T) {
	for _, cfg := range append([]Config{tiny}, publishedLayouts(tiny)...) {
		w, err := Init(cfg, 9)
		if err != nil {
			t.Fatal(err)
		}
		a, b := tokens(3, 17, 0, 39, 5, 5, 21, 8), tokens(1, 1, 2, 3, 5, 8, 13, 21)
		p := compile(t, w, 8)
		for _, workers := range []int{1, 2} {
			want, err := p.Run([]*runtime.Tensor{a}, workers, nil)
			if err != nil {
				t.Fatal(err)
			}
			first, err := p.RunRecycled([]*runtime.Tensor{b}, workers, nil)
			if err != nil {
				t.Fatal(err)
			}
			kept := append([]float32(nil), first[0].F...)
			for range 3 {
				got, err := p.RunRecycled([]*runtime.Tensor{a}, workers, nil)
				if err != nil {
					t.Fatal(err)
				}
				for i, v := range got[0].F {
					if math.Float32bits(v) != math.Float32bits(want[0].F[i]) {
						t.Fatalf("%s workers=%d: recycled run's logit %d is %v, Run's %v", cfg.Architecture(), workers, i, v, want[0].F[i])
					}
				}
			}
			for i, v := range first[0].F {
				if math.Float32bits(v) != math.Float32bits(kept[i]) {
					t.Fatalf("%s workers=%d: an earlier run's logit %d changed: its buffer was reused", cfg.Architecture(), workers, i)
				}
			}
		}
	}
}
