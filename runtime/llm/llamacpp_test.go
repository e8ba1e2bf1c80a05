package llm

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/llm/llamacpp"
	"github.com/delphi-network/delphi/runtime/text"
	"github.com/delphi-network/delphi/runtime/tokenizer"
)

// kjvTokenizer trains a tokenizer of vocab tokens on the KJV's training
// split and returns it with held-out verses (the test split) as ids.
func kjvTokenizer(t testing.TB, vocab int) (*tokenizer.BPE, []int) {
	t.Helper()
	verses, err := text.LoadKJV()
	if err != nil {
		t.Fatal(err)
	}
	train, test := text.Split(verses)
	tok, err := tokenizer.Train(text.Join(train[:4000]), vocab)
	if err != nil {
		t.Fatal(err)
	}
	return tok, tok.Encode(text.Join(test[:200]))
}

// programLogits runs the traced graph over ids (one window) and returns its logits.
func programLogits(t testing.TB, w *Weights, ids []int) []float32 {
	t.Helper()
	g, err := Graph(w, len(ids))
	if err != nil {
		t.Fatal(err)
	}
	p, err := runtime.Compile(g, runtime.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	x := make([]int64, len(ids))
	for i, id := range ids {
		x[i] = int64(id)
	}
	in, _ := runtime.FromInts([]int{1, len(ids)}, x)
	outs, err := p.Run([]*runtime.Tensor{in}, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	return outs[0].F
}

// Every size Delphi trains, written by Save, loads in llama.cpp, and
// llama.cpp's logits over held-out text agree with the traced graph's
// (f32 KV cache, no flash attention) within 1e-4; greedy continuations are
// the same tokens.
func TestLlamaCppAgreesWithSavedFiles(t *testing.T) {
	d, err := llamacpp.Open()
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []string{"nano", "micro", "small"} {
		t.Run(size, func(t *testing.T) {
			cfg := Sizes[size]
			tok, ids := kjvTokenizer(t, cfg.Vocab)
			w, err := Init(cfg, 7)
			if err != nil {
				t.Fatal(err)
			}
			agree(t, d, saveTemp(t, w, tok), w, ids[:cfg.Context], f32Tolerance)
		})
	}
}

// Models in the published layouts — Llama 3 (rope frequency divisors,
// grouped-query attention), Qwen 2 (q/k/v biases, rotary halves), Qwen 3
// (head norms, its own head width) — written by Save load in llama.cpp
// under their architecture names, and llama.cpp's logits agree with the
// traced graph's within 1e-4 and its greedy continuation is Delphi's.
func TestLlamaCppAgreesOnPublishedArchitectures(t *testing.T) {
	d, err := llamacpp.Open()
	if err != nil {
		t.Fatal(err)
	}
	base := Sizes["micro"]
	tok, ids := kjvTokenizer(t, base.Vocab)
	ids = ids[:base.Context]
	for _, cfg := range publishedLayouts(base) {
		t.Run(cfg.Architecture(), func(t *testing.T) {
			w, err := Init(cfg, 11)
			if err != nil {
				t.Fatal(err)
			}
			path := saveTemp(t, w, tok)
			agree(t, d, path, w, ids, f32Tolerance)
		})
	}
}

func saveTemp(t *testing.T, w *Weights, tok *tokenizer.BPE) string {
	t.Helper()
	raw, err := Save(w, tok, "test-"+w.Config.Architecture(), false)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "model.gguf")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// agree compares llama.cpp's logits on ids with the traced graph's (within
// tol) and llama.cpp's greedy continuation of the first half with
// Delphi's: identical under f32Tolerance; on a quantized file, where
// llama.cpp's arithmetic moves logits by up to tol, every token llama.cpp
// picks must be Delphi's pick or within twice the tolerance of Delphi's
// best logit at that step (teacher-forced on llama.cpp's text), so only a
// near-tie may go the other way.
func agree(t *testing.T, d *llamacpp.Driver, path string, w *Weights, ids []int, tol tolerance) {
	t.Helper()
	theirs, V, err := d.Logits(path, ids, 1)
	if err != nil {
		t.Fatal(err)
	}
	if V != w.Config.Vocab {
		t.Fatalf("llama.cpp sees %d tokens, the model has %d", V, w.Config.Vocab)
	}
	ours := programLogits(t, w, ids)
	ratio, worst := tol.excess(ours, theirs, V)
	t.Logf("%s: %d positions, largest logit difference %.3g (%.2f of the tolerance %v)", w.Config.Architecture(), len(ids), worst, ratio, tol)
	if !(ratio <= 1) {
		t.Fatalf("logits differ by up to %.3g: %.2f times the tolerance %v", worst, ratio, tol)
	}
	prompt, n := ids[:len(ids)/2], 16
	want, err := d.Greedy(path, prompt, n, 1)
	if err != nil {
		t.Fatal(err)
	}
	if tol == f32Tolerance {
		got, err := NewSession(w).Generate(prompt, n, -1)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("greedy continuation: Delphi %v, llama.cpp %v", got, want)
		}
		return
	}
	s := NewSession(w)
	var logits []float32
	for _, id := range prompt {
		if logits, err = s.Step(id); err != nil {
			t.Fatal(err)
		}
	}
	same := 0
	for k, pick := range want {
		best := Argmax(logits)
		if pick == best {
			same++
		} else if gap := float64(logits[best]) - float64(logits[pick]); gap > 2*tol.bound(logits) {
			t.Fatalf("greedy step %d: llama.cpp picks %d, %.3g below Delphi's pick %d (more than twice the tolerance %v)", k, pick, gap, best, tol)
		}
		if logits, err = s.Step(pick); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("greedy: %d of %d of llama.cpp's picks are Delphi's, the rest near-ties", same, n)
}

// tolerance bounds |Delphi − llama.cpp| for one logit: Abs plus Rel times
// the largest |logit| of its position (Delphi's).
type tolerance struct{ Abs, Rel float64 }

// f32Tolerance is what the same arithmetic in another order allows.
var f32Tolerance = tolerance{Abs: 1e-4}

func (tl tolerance) String() string {
	if tl.Rel == 0 {
		return fmt.Sprintf("%g", tl.Abs)
	}
	return fmt.Sprintf("%g + %g·max|logit|", tl.Abs, tl.Rel)
}

// excess is the largest |a−b| / bound over positions of vocab logits (≤ 1
// within tolerance), with the largest |a−b| for the log; a NaN on either
// side makes it NaN, which no tolerance admits.
func (tl tolerance) excess(a, b []float32, vocab int) (ratio, worst float64) {
	for p := 0; p+vocab <= len(a); p += vocab {
		var scale float64
		for _, v := range a[p : p+vocab] {
			scale = math.Max(scale, math.Abs(float64(v)))
		}
		bound := tl.Abs + tl.Rel*scale
		for i := p; i < p+vocab; i++ {
			d := math.Abs(float64(a[i]) - float64(b[i]))
			if d != d {
				return math.NaN(), math.NaN()
			}
			worst, ratio = math.Max(worst, d), math.Max(ratio, d/bound)
		}
	}
	return ratio, worst
}

// bound is the tolerance for a position's logits.
func (tl tolerance) bound(row []float32) float64 {
	var scale float64
	for _, v := range row {
		scale = math.Max(scale, math.Abs(float64(v)))
	}
	return tl.Abs + tl.Rel*scale
}
