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
}

func graphMatchesSession(t *testing.T, cfg Config) {
	w, err := Init(cfg, 7)
	if err != nil {
		t.Fatal(err)
	}
	ids := []int64{3, 17, 0, 39, 5, 5, 21, 8}
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
		s := NewSession(w)
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
