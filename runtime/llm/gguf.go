package llm

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/gguf"
	"github.com/delphi-network/delphi/runtime/tokenizer"
)

// GGUF files of the llama architecture. Matrices follow ggml's layout: a
// linear map from `in` to `out` has dims [in, out] and is stored as out rows
// of in values (PyTorch's [out, in]); Delphi's weights are [in, out], so
// they are transposed on the way in and out. Rotary embedding rotates
// adjacent pairs, as llama.cpp does for this architecture. The tokenizer is
// GGUF's "gpt2" byte-level BPE: tokens in GPT-2's byte-to-unicode form and
// "A B" merges. Files from elsewhere may use grouped-query attention
// (head_count_kv), tie the output projection to the embedding (no
// output.weight) and order their vocabulary their own way; all three load.
// Quantised tensors and SentencePiece ("llama") tokenizers are refused.

// MaxElements bounds the tensor elements of a file Load accepts.
const MaxElements = 1 << 31

// PreTokenizer names tokenizer.Chunks in GGUF's tokenizer.ggml.pre.
const PreTokenizer = "delphi"

// Save encodes the model and its tokenizer; f16 stores the matrices as
// binary16 (norms stay f32, as llama.cpp's converters do).
func Save(w *Weights, tok *tokenizer.BPE, name string, f16 bool) ([]byte, error) {
	if err := w.Check(); err != nil {
		return nil, err
	}
	cfg := w.Config
	if tok.VocabSize() != cfg.Vocab {
		return nil, fmt.Errorf("tokenizer has %d tokens, the model %d", tok.VocabSize(), cfg.Vocab)
	}
	u32 := func(v int) gguf.Value { return gguf.Value{Type: gguf.TypeUint32, U: uint64(v)} }
	f32 := func(v float32) gguf.Value { return gguf.Value{Type: gguf.TypeFloat32, F: float64(v)} }
	str := func(s string) gguf.Value { return gguf.Value{Type: gguf.TypeString, S: s} }
	tokens := gguf.Value{Type: gguf.TypeArray, Elem: gguf.TypeString}
	types := gguf.Value{Type: gguf.TypeArray, Elem: gguf.TypeInt32}
	for id := 0; id < tok.VocabSize(); id++ {
		tokens.Array = append(tokens.Array, str(tokenizer.BytesToGPT2(tok.Token(id))))
		types.Array = append(types.Array, gguf.Value{Type: gguf.TypeInt32, I: 1}) // normal
	}
	merges := gguf.Value{Type: gguf.TypeArray, Elem: gguf.TypeString}
	for _, p := range tok.Merges() {
		merges.Array = append(merges.Array, str(tokenizer.BytesToGPT2(tok.Token(p.A))+" "+tokenizer.BytesToGPT2(tok.Token(p.B))))
	}
	f := &gguf.File{Metadata: map[string]gguf.Value{
		"general.architecture":                   str("llama"),
		"general.name":                           str(name),
		"general.alignment":                      u32(gguf.DefaultAlignment),
		"llama.context_length":                   u32(cfg.Context),
		"llama.embedding_length":                 u32(cfg.Dim),
		"llama.block_count":                      u32(cfg.Layers),
		"llama.feed_forward_length":              u32(cfg.Hidden),
		"llama.attention.head_count":             u32(cfg.Heads),
		"llama.attention.head_count_kv":          u32(cfg.KV()),
		"llama.rope.dimension_count":             u32(cfg.HeadDim()),
		"llama.rope.freq_base":                   f32(cfg.RopeTheta),
		"llama.attention.layer_norm_rms_epsilon": f32(cfg.NormEps),
		"llama.vocab_size":                       u32(cfg.Vocab),
		"tokenizer.ggml.model":                   str("gpt2"),
		"tokenizer.ggml.pre":                     str(PreTokenizer),
		"tokenizer.ggml.tokens":                  tokens,
		"tokenizer.ggml.token_type":              types,
		"tokenizer.ggml.merges":                  merges,
	}}
	for _, n := range Names(cfg) {
		t := w.Tensors[n]
		gt := gguf.Tensor{Name: n, Type: gguf.GGMLF32}
		switch {
		case len(t.Shape) == 1:
			gt.Dims, gt.Data = []uint64{uint64(t.Shape[0])}, t.F
		case n == "token_embd.weight": // [vocab, dim] rows are already ggml's [dim, vocab]
			gt.Dims, gt.Data = []uint64{uint64(t.Shape[1]), uint64(t.Shape[0])}, t.F
		default: // [in, out] → ggml [in, out] stored as out rows of in
			gt.Dims, gt.Data = []uint64{uint64(t.Shape[0]), uint64(t.Shape[1])}, transpose(t.F, t.Shape[0], t.Shape[1])
		}
		if f16 && len(t.Shape) == 2 {
			gt.Type = gguf.GGMLF16
		}
		f.Tensors = append(f.Tensors, gt)
	}
	return gguf.Write(f)
}

// transpose returns the [cols, rows] row-major transpose of a [rows, cols] matrix.
func transpose(a []float32, rows, cols int) []float32 {
	out := make([]float32, len(a))
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			out[j*rows+i] = a[i*cols+j]
		}
	}
	return out
}

// Load reads a llama GGUF file: its config, weights and tokenizer.
func Load(raw []byte) (*Weights, *tokenizer.BPE, error) {
	f, err := gguf.Read(raw, MaxElements)
	if err != nil {
		return nil, nil, err
	}
	md := f.Metadata
	getU := func(k string) (int, error) {
		v, ok := md[k]
		if !ok || (v.Type != gguf.TypeUint32 && v.Type != gguf.TypeUint64) || v.U > 1<<30 {
			return 0, fmt.Errorf("metadata %s: want an unsigned integer", k)
		}
		return int(v.U), nil
	}
	getF := func(k string) (float32, error) {
		v, ok := md[k]
		if !ok || v.Type != gguf.TypeFloat32 {
			return 0, fmt.Errorf("metadata %s: want a float32", k)
		}
		return float32(v.F), nil
	}
	if a := md["general.architecture"]; a.Type != gguf.TypeString || a.S != "llama" {
		return nil, nil, fmt.Errorf("architecture %q: only llama is supported", a.S)
	}
	var cfg Config
	for _, p := range []struct {
		key string
		dst *int
	}{{"llama.context_length", &cfg.Context}, {"llama.embedding_length", &cfg.Dim}, {"llama.block_count", &cfg.Layers},
		{"llama.feed_forward_length", &cfg.Hidden}, {"llama.attention.head_count", &cfg.Heads}} {
		if *p.dst, err = getU(p.key); err != nil {
			return nil, nil, err
		}
	}
	if kv, err := getU("llama.attention.head_count_kv"); err == nil && kv != cfg.Heads {
		cfg.KVHeads = kv // grouped-query attention; Validate checks it divides the heads
	}
	cfg.RopeTheta = 10000 // llama's default when absent
	if _, ok := md["llama.rope.freq_base"]; ok {
		if cfg.RopeTheta, err = getF("llama.rope.freq_base"); err != nil {
			return nil, nil, err
		}
	}
	if v, ok := md["llama.rope.scaling.type"]; ok && (v.Type != gguf.TypeString || v.S != "none") {
		return nil, nil, fmt.Errorf("rope scaling %q is not supported", v.S)
	}
	if cfg.NormEps, err = getF("llama.attention.layer_norm_rms_epsilon"); err != nil {
		return nil, nil, err
	}
	if d, err := getU("llama.rope.dimension_count"); err == nil && cfg.Heads > 0 && d != cfg.Dim/cfg.Heads {
		return nil, nil, fmt.Errorf("rotary dimension %d: only full-head rotation is supported", d)
	}
	tok, err := loadTokenizer(md)
	if err != nil {
		return nil, nil, err
	}
	cfg.Vocab = tok.VocabSize()
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	w := &Weights{Config: cfg, Tensors: map[string]*runtime.Tensor{}}
	for _, gt := range f.Tensors {
		want, err := Shape(cfg, gt.Name)
		if err != nil {
			return nil, nil, err
		}
		if _, dup := w.Tensors[gt.Name]; dup {
			return nil, nil, fmt.Errorf("tensor %s appears twice", gt.Name)
		}
		var t *runtime.Tensor
		switch {
		case len(want) == 1:
			if len(gt.Dims) != 1 || gt.Dims[0] != uint64(want[0]) {
				return nil, nil, fmt.Errorf("tensor %s has dims %v, want [%d]", gt.Name, gt.Dims, want[0])
			}
			t, _ = runtime.FromFloats(want, gt.Data)
		case gt.Name == "token_embd.weight":
			if len(gt.Dims) != 2 || gt.Dims[0] != uint64(want[1]) || gt.Dims[1] != uint64(want[0]) {
				return nil, nil, fmt.Errorf("tensor %s has dims %v, want [%d %d]", gt.Name, gt.Dims, want[1], want[0])
			}
			t, _ = runtime.FromFloats(want, gt.Data)
		default:
			if len(gt.Dims) != 2 || gt.Dims[0] != uint64(want[0]) || gt.Dims[1] != uint64(want[1]) {
				return nil, nil, fmt.Errorf("tensor %s has dims %v, want [%d %d]", gt.Name, gt.Dims, want[0], want[1])
			}
			t, _ = runtime.FromFloats(want, transpose(gt.Data, want[1], want[0]))
		}
		w.Tensors[gt.Name] = t
	}
	if _, ok := w.Tensors["output.weight"]; !ok {
		// Tied embeddings: the output projection is the embedding, transposed.
		if e, ok := w.Tensors["token_embd.weight"]; ok {
			t, _ := runtime.FromFloats([]int{cfg.Dim, cfg.Vocab}, transpose(e.F, cfg.Vocab, cfg.Dim))
			w.Tensors["output.weight"] = t
		}
	}
	if err := w.Check(); err != nil {
		return nil, nil, err
	}
	return w, tok, nil
}

// loadTokenizer rebuilds the BPE of GGUF's gpt2 tokenizer: Delphi's own
// id scheme when the file follows it (so the tokenizer hashes the same as
// the one trained), any published vocabulary order otherwise.
func loadTokenizer(md map[string]gguf.Value) (*tokenizer.BPE, error) {
	if m := md["tokenizer.ggml.model"]; m.Type != gguf.TypeString || m.S != "gpt2" {
		return nil, fmt.Errorf("tokenizer model %q: only gpt2 (byte-level BPE) is supported", m.S)
	}
	// Merges only reproduce a vocabulary's tokenization under the
	// pre-tokenizer it was trained with.
	if p := md["tokenizer.ggml.pre"]; p.Type != gguf.TypeString || p.S != PreTokenizer {
		return nil, fmt.Errorf("pre-tokenizer %q: only Delphi's (%q, tokenizer.Chunks) is implemented; "+
			"GPT-2-style regular-expression pre-tokenizers are not yet", p.S, PreTokenizer)
	}
	tv, mv := md["tokenizer.ggml.tokens"], md["tokenizer.ggml.merges"]
	if tv.Type != gguf.TypeArray || tv.Elem != gguf.TypeString || mv.Type != gguf.TypeArray || mv.Elem != gguf.TypeString {
		return nil, fmt.Errorf("tokenizer.ggml.tokens and .merges must be string arrays")
	}
	ids := make(map[string]int, len(tv.Array))
	tokens := make([][]byte, len(tv.Array))
	own := len(tv.Array) == tokenizer.NumBytes+len(mv.Array)
	for id, v := range tv.Array {
		b, err := tokenizer.GPT2ToBytes(v.S)
		if err != nil {
			return nil, err
		}
		if _, dup := ids[v.S]; dup {
			return nil, fmt.Errorf("token %q appears twice", v.S)
		}
		ids[v.S] = id
		tokens[id] = b
		own = own && (id >= tokenizer.NumBytes || len(b) == 1 && int(b[0]) == id)
	}
	merges := make([]tokenizer.Pair, len(mv.Array))
	for k, v := range mv.Array {
		a, b, ok := strings.Cut(v.S, " ")
		ia, okA := ids[a]
		ib, okB := ids[b]
		if !ok || !okA || !okB {
			return nil, fmt.Errorf("merge %d %q names unknown tokens", k, v.S)
		}
		merges[k] = tokenizer.Pair{A: ia, B: ib}
		own = own && ids[a+b] == tokenizer.NumBytes+k
	}
	if own {
		tok, err := tokenizer.New(merges)
		if err != nil {
			return nil, err
		}
		for id := tokenizer.NumBytes; id < tok.VocabSize(); id++ {
			if !bytes.Equal(tok.Token(id), tokens[id]) {
				return nil, fmt.Errorf("token %d is not the concatenation of merge %d", id, id-tokenizer.NumBytes)
			}
		}
		return tok, nil
	}
	return tokenizer.FromVocab(tokens, merges)
}
