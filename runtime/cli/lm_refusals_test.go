package cli

import (
	"strings"
	"testing"

	"github.com/delphi-network/delphi/runtime/gguf"
	"github.com/delphi-network/delphi/runtime/llm"
	"github.com/delphi-network/delphi/runtime/tokenizer"
)

// `model inspect` refuses what Delphi cannot evaluate with the exact
// reason: another architecture, a quantized type it does not read, a
// tokenizer model or pre-tokenizer it does not implement.
func TestInspectNamesWhatIsRefused(t *testing.T) {
	tok, err := tokenizer.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := llm.Config{Vocab: tok.VocabSize(), Dim: 32, Layers: 1, Heads: 2, Hidden: 32, Context: 48, RopeTheta: 10000, NormEps: 1e-5}
	w, err := llm.Init(cfg, 3)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := llm.SaveAs(w, tok, "tiny", gguf.GGMLQ8_0)
	if err != nil {
		t.Fatal(err)
	}
	f, err := gguf.Read(raw, llm.MaxElements)
	if err != nil {
		t.Fatal(err)
	}
	edit := func(change func(*gguf.File)) []byte {
		g := &gguf.File{Metadata: map[string]gguf.Value{}, Tensors: append([]gguf.Tensor(nil), f.Tensors...)}
		for k, v := range f.Metadata {
			g.Metadata[k] = v
		}
		change(g)
		b, err := gguf.Write(g)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	str := func(s string) gguf.Value { return gguf.Value{Type: gguf.TypeString, S: s} }
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		file []byte
		want string
	}{
		{"architecture", edit(func(g *gguf.File) { g.Metadata["general.architecture"] = str("gemma2") }),
			`architecture "gemma2": supported are [llama qwen2 qwen3]`},
		{"quant type", func() []byte {
			// A tensor in q2_K (ggml type 10): same byte layout claims, another type.
			b := append([]byte(nil), raw...)
			return retype(t, b, "blk.0.attn_q.weight", 10)
		}(), "ggml type 10 (q2_K) is not supported"},
		{"tokenizer model", edit(func(g *gguf.File) { g.Metadata["tokenizer.ggml.model"] = str("bert") }), `tokenizer model "bert"`},
		{"pre-tokenizer", edit(func(g *gguf.File) { g.Metadata["tokenizer.ggml.pre"] = str("falcon") }), `pre-tokenizer "falcon"`},
	} {
		path := writeFile(t, dir, c.name+".gguf", c.file)
		_, err := execute(t, ModelCmd(), "inspect", path)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error containing %q", c.name, err, c.want)
		}
	}
}

// retype rewrites the ggml type of one tensor descriptor in a GGUF file
// (the u32 after its name, dimension count and dimensions).
func retype(t *testing.T, b []byte, name string, typ uint32) []byte {
	t.Helper()
	i := strings.Index(string(b), name)
	if i < 0 {
		t.Fatalf("tensor %s not in the file", name)
	}
	p := i + len(name)
	nd := int(b[p])
	p += 4 + 8*nd
	b[p], b[p+1], b[p+2], b[p+3] = byte(typ), byte(typ>>8), byte(typ>>16), byte(typ>>24)
	return b
}

// `model inspect` on a quantized file lists its weights by type.
func TestInspectShowsQuantization(t *testing.T) {
	tok, err := tokenizer.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := llm.Config{Vocab: tok.VocabSize(), Dim: 32, Layers: 1, Heads: 2, Hidden: 48, Context: 48, RopeTheta: 10000, NormEps: 1e-5}
	w, err := llm.Init(cfg, 3)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := llm.SaveAs(w, tok, "tiny", gguf.GGMLQ8_0)
	if err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, t.TempDir(), "q.gguf", raw)
	out, err := execute(t, ModelCmd(), "inspect", path)
	// Every matrix but ffn_down (rows of 48: not whole blocks of 32).
	if err != nil || !strings.Contains(out, "quantized q8_0 8\n") {
		t.Fatalf("%v\n%s", err, out)
	}
}
