package llm

import (
	"math"
	"testing"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/gguf"
	"github.com/delphi-network/delphi/runtime/tokenizer"
)

// A file shaped like a published model: its vocabulary in another order
// with a special token Delphi never produces, the output projection tied to
// the embedding (no output.weight), grouped-query attention. Loading it must
// give the same model, up to the renumbering of tokens.
func TestPublishedStyleGGUF(t *testing.T) {
	w, tok := tinyWithTokenizer(t)
	cfg := w.Config
	cfg.Heads, cfg.KVHeads = 4, 2
	w, _ = Init(cfg, 21)
	E := w.Tensors["token_embd.weight"]
	w.Tensors["output.weight"], _ = runtime.FromFloats([]int{cfg.Dim, cfg.Vocab}, transpose(E.F, cfg.Vocab, cfg.Dim))
	V := cfg.Vocab
	// New id of old token i: reversed order; the special token is last.
	perm := func(i int) int { return V - 1 - i }
	raw, err := Save(w, tok, "published", false)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := gguf.Read(raw, MaxElements)
	tokens := make([]gguf.Value, V+1)
	old := f.Metadata["tokenizer.ggml.tokens"].Array
	for i := range old {
		tokens[perm(i)] = old[i]
	}
	tokens[V] = gguf.Value{Type: gguf.TypeString, S: "<|endoftext|>"}
	f.Metadata["tokenizer.ggml.tokens"] = gguf.Value{Type: gguf.TypeArray, Elem: gguf.TypeString, Array: tokens}
	delete(f.Metadata, "tokenizer.ggml.token_type")
	var kept []gguf.Tensor
	for _, gt := range f.Tensors {
		switch gt.Name {
		case "output.weight":
			continue // tied
		case "token_embd.weight":
			rows := make([]float32, (V+1)*cfg.Dim)
			for i := 0; i < V; i++ {
				copy(rows[perm(i)*cfg.Dim:(perm(i)+1)*cfg.Dim], gt.Data[i*cfg.Dim:(i+1)*cfg.Dim])
			}
			gt.Data, gt.Dims = rows, []uint64{uint64(cfg.Dim), uint64(V + 1)}
		}
		kept = append(kept, gt)
	}
	f.Tensors = kept
	pub, err := gguf.Write(f)
	if err != nil {
		t.Fatal(err)
	}
	w2, tok2, err := Load(pub)
	if err != nil {
		t.Fatal(err)
	}
	if w2.Config.Vocab != V+1 || w2.Config.KV() != 2 {
		t.Fatalf("config %+v", w2.Config)
	}
	text := []byte("in the beginning god created the earth")
	a, b := tok.Encode(text), tok2.Encode(text)
	if len(a) != len(b) {
		t.Fatalf("%d and %d tokens", len(a), len(b))
	}
	s1, s2 := NewSession(w), NewSession(w2)
	for i := range a {
		if b[i] != perm(a[i]) {
			t.Fatalf("token %d: %d, want %d", i, b[i], perm(a[i]))
		}
		l1, _ := s1.Step(a[i])
		l2, _ := s2.Step(b[i])
		for v := 0; v < V; v++ {
			if math.Float32bits(l1[v]) != math.Float32bits(l2[perm(v)]) {
				t.Fatalf("position %d token %d: logits differ", i, v)
			}
		}
	}
	back, _ := tok2.Decode(b)
	if string(back) != string(text) {
		t.Fatalf("decoded %q", back)
	}
	if again, err := tokenizer.Parse(tok2.MarshalText()); err != nil || again.Hash() != tok2.Hash() {
		t.Fatalf("a published vocabulary does not round-trip its canonical text: %v", err)
	}
}

func TestFromVocabRefusals(t *testing.T) {
	bytesOnly := make([][]byte, 256)
	for i := range bytesOnly {
		bytesOnly[i] = []byte{byte(i)}
	}
	if _, err := tokenizer.FromVocab(bytesOnly[:255], nil); err == nil {
		t.Fatal("a vocabulary missing a byte was accepted")
	}
	if _, err := tokenizer.FromVocab(append(append([][]byte{}, bytesOnly...), []byte("a")), nil); err == nil {
		t.Fatal("a repeated token was accepted")
	}
	if _, err := tokenizer.FromVocab(bytesOnly, []tokenizer.Pair{{A: 'a', B: 'b'}}); err == nil {
		t.Fatal("a merge making a token outside the vocabulary was accepted")
	}
}
