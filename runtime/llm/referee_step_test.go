package llm

import (
	"strings"
	"testing"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/tokenizer"
)

// TestLanguageModelRefereeStep: a GGUF model's largest referee step covers
// its config and tokenizer and a stage's logits; an ONNX export's is its
// whole artifact plus the logits. A model whose one
// step could not fit a referee transaction (a long window over a large
// vocabulary: the logits alone are megabytes) is out of bounds, so every
// sidecar refuses to evaluate it.
func TestLanguageModelRefereeStep(t *testing.T) {
	f := newRefereeFixture(t)
	g, err := Open("gguf", f.cand, runtime.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	step := g.RefereeStep(len(f.cand))
	logits := int64(4 * g.Window * g.Tok.VocabSize())
	if step.Bytes <= logits || step.FLOPs < int64(g.Window*g.Tok.VocabSize()) {
		t.Fatalf("step %+v does not cover the logits (%d bytes)", step, logits)
	}
	if err := step.WithinBounds(); err != nil {
		t.Fatal(err)
	}
	o, err := Open("onnx", f.candONNX, runtime.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if s := o.RefereeStep(len(f.candONNX)); s.Bytes <= int64(len(f.candONNX))+logits || s.FLOPs < o.Program.FLOPs() {
		t.Fatalf("ONNX step %+v does not cover the artifact and the logits", s)
	}

	tok, err := tokenizer.Train([]byte(strings.Repeat("in the beginning God created the heaven and the earth. ", 40)), 2000)
	if err != nil {
		t.Fatal(err)
	}
	cfg := tiny
	cfg.Vocab, cfg.Context = tok.VocabSize(), 512
	w, err := Init(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := Save(w, tok, "wide", false)
	if err != nil {
		t.Fatal(err)
	}
	wide, err := Open("gguf", raw, runtime.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if err := wide.RefereeStep(len(raw)).WithinBounds(); err == nil {
		t.Fatalf("logits of %d×%d float32 fit a referee step?", cfg.Context, cfg.Vocab)
	}
}
