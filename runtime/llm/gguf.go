package llm

import (
	"fmt"

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

// PreTokenizer is the tokenizer.ggml.pre Delphi's own vocabularies are
// written with: GPT-2's splitting rule, which Delphi's tokenizer applies
// exactly (llama.cpp's name for it).
const PreTokenizer = tokenizer.PreGPT2

// ropeFreqsTensor carries Llama 3's rotary frequency divisors in a GGUF
// file (Config.RopeFreqs).
const ropeFreqsTensor = "rope_freqs.weight"

// Save encodes the model and its tokenizer; f16 stores the matrices as
// binary16 (norms stay f32, as llama.cpp's converters do).
func Save(w *Weights, tok *tokenizer.BPE, name string, f16 bool) ([]byte, error) {
	typ := uint32(gguf.GGMLF32)
	if f16 {
		typ = gguf.GGMLF16
	}
	return SaveAs(w, tok, name, typ)
}

// SaveAs encodes the model with its matrices in ggml type typ: f32, f16,
// bf16 or a quantized type (Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K,
// Q6_K), quantized by gguf.Quantize bit for bit as llama.cpp's quantizer
// does (without an importance matrix). A matrix whose rows are not a
// whole number of the type's blocks stays f32, as norms do.
func SaveAs(w *Weights, tok *tokenizer.BPE, name string, typ uint32) ([]byte, error) {
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
	voc := tok.GGUF()
	strs := func(v []string) gguf.Value {
		a := gguf.Value{Type: gguf.TypeArray, Elem: gguf.TypeString, Array: make([]gguf.Value, len(v))}
		for i, x := range v {
			a.Array[i] = str(x)
		}
		return a
	}
	types := gguf.Value{Type: gguf.TypeArray, Elem: gguf.TypeInt32, Array: make([]gguf.Value, len(voc.Types))}
	for i, x := range voc.Types {
		types.Array[i] = gguf.Value{Type: gguf.TypeInt32, I: int64(x)}
	}
	arch := cfg.Architecture()
	f := &gguf.File{Metadata: map[string]gguf.Value{
		"general.architecture":                     str(arch),
		"general.name":                             str(name),
		"general.alignment":                        u32(gguf.DefaultAlignment),
		arch + ".context_length":                   u32(cfg.Context),
		arch + ".embedding_length":                 u32(cfg.Dim),
		arch + ".block_count":                      u32(cfg.Layers),
		arch + ".feed_forward_length":              u32(cfg.Hidden),
		arch + ".attention.head_count":             u32(cfg.Heads),
		arch + ".attention.head_count_kv":          u32(cfg.KV()),
		arch + ".attention.key_length":             u32(cfg.HeadDim()),
		arch + ".attention.value_length":           u32(cfg.HeadDim()),
		arch + ".rope.dimension_count":             u32(cfg.HeadDim()),
		arch + ".rope.freq_base":                   f32(cfg.RopeTheta),
		arch + ".attention.layer_norm_rms_epsilon": f32(cfg.NormEps),
		arch + ".vocab_size":                       u32(cfg.Vocab),
		"tokenizer.ggml.model":                     str(voc.Model),
		"tokenizer.ggml.tokens":                    strs(voc.Tokens),
		"tokenizer.ggml.token_type":                types,
		// Delphi adds nothing around a text (llama.cpp must not add a BOS).
		"tokenizer.ggml.add_bos_token": {Type: gguf.TypeBool, U: 0},
		"tokenizer.ggml.add_eos_token": {Type: gguf.TypeBool, U: 0},
	}}
	md := f.Metadata
	if voc.Model == string(tokenizer.ModelGPT2) {
		md["tokenizer.ggml.pre"], md["tokenizer.ggml.merges"] = str(voc.Pre), strs(voc.Merges)
	} else {
		scores := gguf.Value{Type: gguf.TypeArray, Elem: gguf.TypeFloat32, Array: make([]gguf.Value, len(voc.Scores))}
		for i, x := range voc.Scores {
			scores.Array[i] = gguf.Value{Type: gguf.TypeFloat32, F: float64(x)}
		}
		md["tokenizer.ggml.scores"] = scores
		md["tokenizer.ggml.add_space_prefix"] = gguf.Value{Type: gguf.TypeBool, U: uint64(boolU(voc.AddSpacePrefix != nil && *voc.AddSpacePrefix))}
	}
	if nl, ok := newlineID(tok); ok && tok.Model() == tokenizer.ModelGPT2 && tok.Pre() == PreTokenizer {
		// Delphi's own texts are verses: a newline begins and ends one.
		md["tokenizer.ggml.bos_token_id"], md["tokenizer.ggml.eos_token_id"] = u32(nl), u32(nl)
	}
	if j := cfg.Template.Jinja(); j != "" {
		md["tokenizer.chat_template"] = str(j)
	}
	if len(cfg.RopeFreqs) != 0 {
		f.Tensors = append(f.Tensors, gguf.Tensor{Name: ropeFreqsTensor, Type: gguf.GGMLF32,
			Dims: []uint64{uint64(len(cfg.RopeFreqs))}, Data: append([]float32(nil), cfg.RopeFreqs...)})
	}
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
		if len(t.Shape) == 2 && typ == gguf.GGMLF16 {
			gt.Type = gguf.GGMLF16
		} else if len(t.Shape) == 2 && typ != gguf.GGMLF32 {
			if per, _, ok := gguf.Geometry(typ); ok && gt.Dims[0]%per == 0 {
				raw, err := gguf.Quantize(typ, gt.Data)
				if err != nil {
					return nil, fmt.Errorf("tensor %s: %w", n, err)
				}
				gt.Type, gt.Data, gt.Raw = typ, nil, raw
			}
		}
		f.Tensors = append(f.Tensors, gt)
	}
	return gguf.Write(f)
}

// fileShape is the Delphi shape of a tensor a GGUF file stores with dims
// (ggml order, dims[0] varying fastest): vectors as they are, the
// embedding [vocab, dim] (ggml [dim, vocab]), every other matrix [in, out]
// (ggml [in, out], stored as out rows of in); nil for any other rank.
func fileShape(name string, dims []uint64) []int {
	switch {
	case len(dims) == 1:
		return []int{int(dims[0])}
	case len(dims) != 2:
		return nil
	case name == "token_embd.weight":
		return []int{int(dims[1]), int(dims[0])}
	}
	return []int{int(dims[0]), int(dims[1])}
}

// fromFile is a tensor in Delphi's layout from a file's elements in ggml
// order (matrices other than the embedding transposed).
func fromFile(name string, dims []uint64, data []float32) (*runtime.Tensor, error) {
	shape := fileShape(name, dims)
	if shape == nil {
		return nil, fmt.Errorf("tensor %s has %d dims: vectors and matrices only", name, len(dims))
	}
	if len(shape) == 2 && name != "token_embd.weight" {
		data = transpose(data, shape[1], shape[0])
	}
	return runtime.FromFloats(shape, data)
}

// newlineID is the id of the one-byte token "\n" (every byte-level
// vocabulary has one).
func newlineID(tok *tokenizer.BPE) (int, bool) {
	for id := 0; id < tok.VocabSize(); id++ {
		if b := tok.Token(id); len(b) == 1 && b[0] == '\n' && tok.TokenType(id) == tokenizer.TypeNormal {
			return id, true
		}
	}
	return 0, false
}

func boolU(b bool) int {
	if b {
		return 1
	}
	return 0
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

// Load reads a GGUF language model (llama, qwen2 or qwen3): its config,
// weights (quantized ones dequantized) and tokenizer.
func Load(raw []byte) (*Weights, *tokenizer.BPE, error) { return LoadWithin(raw, MaxElements) }

// LoadWithin is Load refusing, before any tensor is widened or
// dequantized, a file whose tensors hold more than maxElements elements
// together: a quantized file holds up to 7 floats per byte, so its size
// alone does not bound the memory its weights take.
func LoadWithin(raw []byte, maxElements uint64) (*Weights, *tokenizer.BPE, error) {
	f, err := gguf.Read(raw, maxElements)
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
	var cfg Config
	a := md["general.architecture"]
	switch {
	case a.Type == gguf.TypeString && a.S == ArchLlama:
	case a.Type == gguf.TypeString && (a.S == ArchQwen2 || a.S == ArchQwen3):
		cfg.Arch = a.S
	default:
		return nil, nil, fmt.Errorf("architecture %q: supported are %v", a.S, Archs)
	}
	arch := cfg.Architecture()
	for _, p := range []struct {
		key string
		dst *int
	}{{".context_length", &cfg.Context}, {".embedding_length", &cfg.Dim}, {".block_count", &cfg.Layers},
		{".feed_forward_length", &cfg.Hidden}, {".attention.head_count", &cfg.Heads}} {
		if *p.dst, err = getU(arch + p.key); err != nil {
			return nil, nil, err
		}
	}
	if kv, err := getU(arch + ".attention.head_count_kv"); err == nil && kv != cfg.Heads {
		cfg.KVHeads = kv // grouped-query attention; Validate checks it divides the heads
	}
	if cfg.Heads > 0 && cfg.Heads <= 1024 {
		// An explicit head width (Qwen 3's key_length) when it is not Dim/Heads.
		if kl, err := getU(arch + ".attention.key_length"); err == nil && (kl != cfg.Dim/cfg.Heads || cfg.Dim%cfg.Heads != 0) {
			cfg.HeadSize = kl
		}
		if vl, err := getU(arch + ".attention.value_length"); err == nil && vl != cfg.HeadDim() {
			return nil, nil, fmt.Errorf("value heads of %d and key heads of %d: only equal widths are supported", vl, cfg.HeadDim())
		}
	}
	cfg.RopeTheta = 10000 // llama's default when absent
	if _, ok := md[arch+".rope.freq_base"]; ok {
		if cfg.RopeTheta, err = getF(arch + ".rope.freq_base"); err != nil {
			return nil, nil, err
		}
	}
	if v, ok := md[arch+".rope.scaling.type"]; ok && (v.Type != gguf.TypeString || v.S != "none") {
		return nil, nil, fmt.Errorf("rope scaling %q is not supported (Llama 3's, carried as %s, is)", v.S, ropeFreqsTensor)
	}
	// llama.cpp scales positions by these even without a scaling type
	// (linear by default): a file that sets one is a model Delphi does not
	// compute, not one to read as unscaled.
	for _, k := range []string{".rope.scaling.factor", ".rope.scale_linear", ".rope.scaling.attn_factor"} {
		if v, ok := md[arch+k]; ok && !(v.Type == gguf.TypeFloat32 && (v.F == 1 || v.F == 0 && k != ".rope.scaling.attn_factor")) {
			return nil, nil, fmt.Errorf("metadata %s = %v: rope position scaling is not supported (Llama 3's, carried as %s, is)", arch+k, v.F, ropeFreqsTensor)
		}
	}
	if cfg.NormEps, err = getF(arch + ".attention.layer_norm_rms_epsilon"); err != nil {
		return nil, nil, err
	}
	if d, err := getU(arch + ".rope.dimension_count"); err == nil && cfg.Heads > 0 && d != cfg.HeadDim() {
		return nil, nil, fmt.Errorf("rotary dimension %d: only full-head rotation (%d) is supported", d, cfg.HeadDim())
	}
	if v, ok := md["tokenizer.chat_template"]; ok {
		if v.Type != gguf.TypeString {
			return nil, nil, fmt.Errorf("metadata tokenizer.chat_template: want a string")
		}
		cfg.Template = tokenizer.TemplateOf(v.S)
	}
	for _, gt := range f.Tensors {
		if gt.Name != ropeFreqsTensor {
			continue
		}
		if cfg.Architecture() != ArchLlama || len(gt.Dims) != 1 || cfg.Heads < 1 || gt.Dims[0] != uint64(cfg.HeadDim()/2) {
			return nil, nil, fmt.Errorf("tensor %s has dims %v: a llama model's has one divisor per rotary pair", gt.Name, gt.Dims)
		}
		freqs, err := gt.Floats()
		if err != nil {
			return nil, nil, err
		}
		cfg.RopeFreqs = freqs
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
	for i := range f.Tensors {
		gt := f.Tensors[i]
		if gt.Name == ropeFreqsTensor {
			continue // in the config
		}
		want, err := Shape(cfg, gt.Name)
		if err != nil {
			return nil, nil, err
		}
		if _, dup := w.Tensors[gt.Name]; dup {
			return nil, nil, fmt.Errorf("tensor %s appears twice", gt.Name)
		}
		if got := fileShape(gt.Name, gt.Dims); !sameShape(got, want) {
			return nil, nil, fmt.Errorf("tensor %s has dims %v, want %v in Delphi's layout", gt.Name, gt.Dims, want)
		}
		data, err := gt.Floats() // a quantized tensor dequantized in ggml's order
		if err != nil {
			return nil, nil, err
		}
		if w.Tensors[gt.Name], err = fromFile(gt.Name, gt.Dims, data); err != nil {
			return nil, nil, err
		}
		f.Tensors[i].Data = nil // read: one copy of the weights at a time
		if gt.Raw != nil {
			if w.Quantized == nil {
				w.Quantized = map[string]gguf.Tensor{}
			}
			w.Quantized[gt.Name] = gguf.Tensor{Name: gt.Name, Dims: gt.Dims, Type: gt.Type, Raw: gt.Raw}
		}
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

// loadTokenizer rebuilds the tokenizer GGUF's tokenizer.ggml.* keys
// describe (tokenizer.FromGGUF: byte-level BPE with the GPT-2, Llama 3 or
// Qwen 2 pre-tokenizer, or SentencePiece BPE with byte fallback), as the
// published tokenizer it came from applies it.
func loadTokenizer(md map[string]gguf.Value) (*tokenizer.BPE, error) {
	var v tokenizer.GGUFVocab
	str := func(key string) (string, error) {
		x, ok := md[key]
		if !ok {
			return "", nil
		}
		if x.Type != gguf.TypeString {
			return "", fmt.Errorf("metadata %s: want a string", key)
		}
		return x.S, nil
	}
	var err error
	if v.Model, err = str("tokenizer.ggml.model"); err != nil {
		return nil, err
	}
	if v.Pre, err = str("tokenizer.ggml.pre"); err != nil {
		return nil, err
	}
	array := func(key string, elem uint32) ([]gguf.Value, error) {
		x, ok := md[key]
		if !ok {
			return nil, nil
		}
		if x.Type != gguf.TypeArray || x.Elem != elem {
			return nil, fmt.Errorf("metadata %s: want an array of type %d", key, elem)
		}
		return x.Array, nil
	}
	tokens, err := array("tokenizer.ggml.tokens", gguf.TypeString)
	if err != nil {
		return nil, err
	}
	for _, x := range tokens {
		v.Tokens = append(v.Tokens, x.S)
	}
	merges, err := array("tokenizer.ggml.merges", gguf.TypeString)
	if err != nil {
		return nil, err
	}
	for _, x := range merges {
		v.Merges = append(v.Merges, x.S)
	}
	scores, err := array("tokenizer.ggml.scores", gguf.TypeFloat32)
	if err != nil {
		return nil, err
	}
	for _, x := range scores {
		v.Scores = append(v.Scores, float32(x.F))
	}
	types, err := array("tokenizer.ggml.token_type", gguf.TypeInt32)
	if err != nil {
		return nil, err
	}
	for _, x := range types {
		v.Types = append(v.Types, int32(x.I))
	}
	if x, ok := md["tokenizer.ggml.add_space_prefix"]; ok {
		if x.Type != gguf.TypeBool {
			return nil, fmt.Errorf("metadata tokenizer.ggml.add_space_prefix: want a bool")
		}
		b := x.U != 0
		v.AddSpacePrefix = &b
	}
	return tokenizer.FromGGUF(v)
}
