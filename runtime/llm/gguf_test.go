package llm

import (
	"reflect"
	"strings"
	"testing"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/gguf"
	"github.com/delphi-network/delphi/runtime/tokenizer"
)

func tinyWithTokenizer(t *testing.T) (*Weights, *tokenizer.BPE) {
	t.Helper()
	tok, err := tokenizer.Train([]byte(strings.Repeat("in the beginning god created the heaven and the earth. ", 20)), 280)
	if err != nil {
		t.Fatal(err)
	}
	cfg := tiny
	cfg.Vocab, cfg.Context = tok.VocabSize(), 64
	w, err := Init(cfg, 11)
	if err != nil {
		t.Fatal(err)
	}
	return w, tok
}

func TestGGUFRoundTrip(t *testing.T) {
	w, tok := tinyWithTokenizer(t)
	gqa := w.Config
	gqa.Heads, gqa.KVHeads = 4, 2
	wg, _ := Init(gqa, 12)
	rawG, err := Save(wg, tok, "gqa", false)
	if err != nil {
		t.Fatal(err)
	}
	if back, _, err := Load(rawG); err != nil || !reflect.DeepEqual(back.Config, gqa) {
		t.Fatalf("grouped-query attention round trip: %+v %v", back, err)
	}
	raw, err := Save(w, tok, "tiny", false)
	if err != nil {
		t.Fatal(err)
	}
	w2, tok2, err := Load(raw)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(w2.Config, w.Config) || tok2.Hash() != tok.Hash() {
		t.Fatalf("config %+v tokenizer %s", w2.Config, tok2.Hash())
	}
	for _, n := range Names(w.Config) {
		a, b := w.Tensors[n].F, w2.Tensors[n].F
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("%s[%d] changed", n, i)
			}
		}
	}
	// The file is what llama.cpp expects of the layout: an [in, out] linear
	// map has ggml dims [in, out], stored as out rows of in values.
	f, _ := gguf.Read(raw, MaxElements)
	for _, gt := range f.Tensors {
		if gt.Name == "blk.0.ffn_up.weight" {
			if gt.Dims[0] != uint64(tiny.Dim) || gt.Dims[1] != uint64(tiny.Hidden) {
				t.Fatalf("ffn_up dims %v", gt.Dims)
			}
			// element (in=i, out=o) sits at o*in+i
			if gt.Data[3*tiny.Dim+2] != w.Tensors["blk.0.ffn_up.weight"].F[2*tiny.Hidden+3] {
				t.Fatal("ffn_up is not stored as out rows of in values")
			}
		}
	}
	// f16 halves the matrices and still loads and runs.
	half, err := Save(w, tok, "tiny", true)
	if err != nil {
		t.Fatal(err)
	}
	if len(half) >= len(raw) {
		t.Fatalf("f16 file %d bytes, f32 %d", len(half), len(raw))
	}
	w3, _, err := Load(half)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewSession(w3).Generate([]int{1, 2, 3}, 4, -1); err != nil {
		t.Fatal(err)
	}
}

func TestGGUFRefusals(t *testing.T) {
	w, tok := tinyWithTokenizer(t)
	raw, _ := Save(w, tok, "tiny", false)
	for _, n := range []int{0, 10, len(raw) / 2, len(raw) - 1} {
		if _, _, err := Load(raw[:n]); err == nil {
			t.Fatalf("a file cut at %d bytes loaded", n)
		}
	}
	f, _ := gguf.Read(raw, MaxElements)
	edit := func(k string, v gguf.Value) []byte {
		g := *f
		g.Metadata = map[string]gguf.Value{}
		for key, val := range f.Metadata {
			g.Metadata[key] = val
		}
		g.Metadata[k] = v
		b, err := gguf.Write(&g)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, c := range []struct {
		key  string
		v    gguf.Value
		want string
	}{
		{"general.architecture", gguf.Value{Type: gguf.TypeString, S: "gpt2"}, "supported are [llama qwen2 qwen3]"},
		{"llama.attention.head_count_kv", gguf.Value{Type: gguf.TypeUint32, U: 1}, "attn_k.weight has dims"},
		{"llama.attention.head_count_kv", gguf.Value{Type: gguf.TypeUint32, U: 3}, "key/value heads must divide"},
		{"tokenizer.ggml.model", gguf.Value{Type: gguf.TypeString, S: "llama"}, "has no <0x00> byte token"},
		{"tokenizer.ggml.model", gguf.Value{Type: gguf.TypeString, S: "bert"}, `tokenizer model "bert"`},
		{"llama.block_count", gguf.Value{Type: gguf.TypeUint32, U: 3}, "blk.2"},
		{"llama.context_length", gguf.Value{Type: gguf.TypeUint32, U: 1 << 20}, "context"},
		{"llama.rope.dimension_count", gguf.Value{Type: gguf.TypeUint32, U: 4}, "full-head"},
		{"llama.rope.freq_base", gguf.Value{Type: gguf.TypeUint32, U: 10000}, "want a float32"},
		{"llama.rope.scaling.type", gguf.Value{Type: gguf.TypeString, S: "yarn"}, "rope scaling"},
		{"tokenizer.ggml.pre", gguf.Value{Type: gguf.TypeString, S: "falcon"}, "pre-tokenizer"},
	} {
		if _, _, err := Load(edit(c.key, c.v)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s = %+v: %v, want an error mentioning %q", c.key, c.v, err, c.want)
		}
	}
}

// A quantized file holds up to 7 floats per byte: Open refuses one whose
// weights exceed the runtime's weight bound before dequantizing anything.
func TestOpenBoundsQuantizedWeights(t *testing.T) {
	tok, err := tokenizer.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Vocab: tok.VocabSize(), Dim: 64, Layers: 2, Heads: 2, Hidden: 128, Context: 32, RopeTheta: 10000, NormEps: 1e-5}
	w, err := Init(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := SaveAs(w, tok, "q4", gguf.GGMLQ4_0)
	if err != nil {
		t.Fatal(err)
	}
	lim := runtime.DefaultLimits()
	if _, err := Open("gguf", raw, lim); err != nil {
		t.Fatal(err)
	}
	lim.MaxWeightElements = int64(cfg.Params()) - 1
	if _, err := Open("gguf", raw, lim); err == nil || !strings.Contains(err.Error(), "tensors hold more than") {
		t.Fatalf("weights over the bound: %v", err)
	}
}
