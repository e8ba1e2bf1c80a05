package llm

import (
	"strings"
	"testing"

	"github.com/delphi-network/delphi/runtime/gguf"
	"github.com/delphi-network/delphi/runtime/tokenizer"
)

// Found by a review that attacked the published-model change; each test
// failed on the code before its fix.

// reviewFile is a tiny llama model written by Save, parsed for editing.
func reviewFile(t *testing.T, cfg Config) *gguf.File {
	t.Helper()
	tok, err := tokenizer.Train([]byte(strings.Repeat("in the beginning god created the heaven and the earth. ", 20)), 280)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Vocab = tok.VocabSize()
	w, err := Init(cfg, 5)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := Save(w, tok, "review", false)
	if err != nil {
		t.Fatal(err)
	}
	f, err := gguf.Read(raw, MaxElements)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// llama.cpp scales rotary positions by {arch}.rope.scaling.factor (or
// rope.scale_linear) even without a scaling type: against llama.cpp a
// factor of 4 moved logits by 0.11 while Delphi read the file as unscaled.
// Such a file is refused now; factor 1 (or 0, llama.cpp's "unset") loads.
func TestRopeScalingFactorIsRefused(t *testing.T) {
	cfg := tiny
	cfg.Context = 16
	f := reviewFile(t, cfg)
	for _, c := range []struct {
		key  string
		v    float64
		want bool // loads
	}{
		{"llama.rope.scaling.factor", 4, false}, {"llama.rope.scale_linear", 4, false},
		{"llama.rope.scaling.attn_factor", 2, false}, {"llama.rope.scaling.factor", 1, true},
		{"llama.rope.scaling.factor", 0, true},
	} {
		g := &gguf.File{Metadata: map[string]gguf.Value{}, Tensors: f.Tensors}
		for k, v := range f.Metadata {
			g.Metadata[k] = v
		}
		g.Metadata[c.key] = gguf.Value{Type: gguf.TypeFloat32, F: c.v}
		raw, err := gguf.Write(g)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = Load(raw)
		if c.want != (err == nil) || err != nil && !strings.Contains(err.Error(), "rope position scaling is not supported") {
			t.Errorf("%s = %v: %v", c.key, c.v, err)
		}
	}
}

// ggml refuses a file naming a tensor twice; Delphi kept the last of two
// rope_freqs.weight, choosing one of two meanings of the file.
func TestDuplicateRopeFreqsRefused(t *testing.T) {
	cfg := tiny
	cfg.Heads, cfg.KVHeads = 2, 1
	cfg.RopeFreqs = make([]float32, cfg.HeadDim()/2)
	for i := range cfg.RopeFreqs {
		cfg.RopeFreqs[i] = 1
	}
	f := reviewFile(t, cfg)
	second := make([]float32, len(cfg.RopeFreqs))
	for i := range second {
		second[i] = 8
	}
	f.Tensors = append(f.Tensors, gguf.Tensor{Name: ropeFreqsTensor, Type: gguf.GGMLF32, Dims: []uint64{uint64(len(second))}, Data: second})
	raw, err := gguf.Write(f)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Load(raw); err == nil || !strings.Contains(err.Error(), "appears twice") {
		t.Fatalf("two %s tensors: %v", ropeFreqsTensor, err)
	}
}
