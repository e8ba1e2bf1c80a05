package llm

import (
	"testing"

	"github.com/delphi-network/delphi/runtime/gguf"
	"github.com/delphi-network/delphi/runtime/tokenizer"
)

// q8Weights is a model saved as Q8_0 and loaded back: every matrix's rows
// are whole blocks (Dim, Hidden and the head widths multiples of 32).
func q8Weights(t *testing.T, cfg Config) *Weights {
	t.Helper()
	tok, err := tokenizer.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	w, err := Init(cfg, 5)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := SaveAs(w, tok, "q8", gguf.GGMLQ8_0)
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := Load(raw)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestQ8SessionMatchesGraph: a session over a Q8_0 file multiplies the
// quantized blocks (runtime.MatVecQ8) for every matrix, and its logits
// still equal the graph's over the dequantized floats bit for bit, in
// every published layout, on one and three workers.
func TestQ8SessionMatchesGraph(t *testing.T) {
	base := Config{Vocab: 256, Dim: 64, Layers: 2, Heads: 2, Hidden: 96, Context: 16, RopeTheta: 10000, NormEps: 1e-5}
	for _, cfg := range append([]Config{base}, publishedLayouts(base)...) {
		t.Run(cfg.Architecture(), func(t *testing.T) {
			w := q8Weights(t, cfg)
			s := NewSession(w)
			for l, L := range s.layers {
				for name, m := range map[string]sessionMat{"q": L.q, "k": L.k, "v": L.v, "o": L.o, "gate": L.gate, "up": L.up, "down": L.down} {
					if m.q8 == nil {
						t.Fatalf("layer %d's %s matrix is not on the Q8_0 path", l, name)
					}
				}
			}
			if s.output.q8 == nil {
				t.Fatal("the output projection is not on the Q8_0 path")
			}
			graphMatchesWeights(t, w)
		})
	}
}

// TestQ8PackingChecksItsLayout: a tied output projection packs the
// embedding's blocks, but only when the floats it multiplies are the
// embedding's: an output stored as floats next to a Q8_0 embedding stays
// on the float path.
func TestQ8PackingChecksItsLayout(t *testing.T) {
	cfg := Config{Vocab: 256, Dim: 64, Layers: 1, Heads: 2, Hidden: 64, Context: 8, RopeTheta: 10000, NormEps: 1e-5}
	w := q8Weights(t, cfg)
	out := w.Tensors["output.weight"]
	delete(w.Quantized, "output.weight") // as if the file stored it as floats
	if packQ8(w, "output.weight", out) != nil {
		t.Fatal("an output that is not the embedding packed the embedding's blocks")
	}
	e := w.Tensors["token_embd.weight"]
	tied := transpose(e.F, cfg.Vocab, cfg.Dim) // as Load ties a file without one
	copy(out.F, tied)
	if packQ8(w, "output.weight", out) == nil {
		t.Fatal("a tied output did not pack the embedding's blocks")
	}
	graphMatchesWeights(t, w)
}
