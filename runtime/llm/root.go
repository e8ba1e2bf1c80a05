package llm

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/gguf"
	"github.com/delphi-network/delphi/runtime/merkle"
	"github.com/delphi-network/delphi/runtime/tokenizer"
)

// The weight tree of a GGUF language model: what its registered
// weights_root commits to, so that a Verde referee step needs only the
// config, the tokenizer and the one operator's weights, never the whole
// file. Leaves, sorted by name (byte-wise):
//
//	"config"     metaLeaf("config", EncodeConfig(cfg))
//	"tokenizer"  metaLeaf("tokenizer", tok.MarshalText())
//	each tensor  runtime.WeightLeafData(name, t) for every name in Names(cfg)
//
// A meta leaf is u32le len(name) ‖ name ‖ 0x00 ‖ data; the 0x00 where a
// tensor leaf has its dtype (1 or 7) keeps the two kinds apart. A weight
// the file stores quantized is a blocks leaf — u32le len(name) ‖ name ‖
// 0xFE ‖ u32le ggml type ‖ u32le rank ‖ u64le dims (ggml order) ‖ the
// file's blocks — so a dispute proves a quantized model from its quantized
// bytes: the referee dequantizes the proven blocks (gguf.Dequantize, the
// order every sidecar used) into the tensor the operator reads.

// Names of the two metadata leaves.
const (
	PartConfig    = "config"
	PartTokenizer = "tokenizer"
)

// blocksTag marks a blocks leaf where a tensor leaf has its dtype.
const blocksTag = 0xFE

// blocksLeaf encodes a quantized weight as its file stores it.
func blocksLeaf(q gguf.Tensor) []byte {
	b := binary.LittleEndian.AppendUint32(nil, uint32(len(q.Name)))
	b = append(b, q.Name...)
	b = append(b, blocksTag)
	b = binary.LittleEndian.AppendUint32(b, q.Type)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(q.Dims)))
	for _, d := range q.Dims {
		b = binary.LittleEndian.AppendUint64(b, d)
	}
	return append(b, q.Raw...)
}

// parseBlocks decodes a blocks leaf's payload (after the tag) into the
// dequantized tensor in Delphi's layout, bounded by maxElements before
// anything is allocated.
func parseBlocks(name string, p []byte, maxElements int64) (*runtime.Tensor, error) {
	if len(p) < 8 {
		return nil, fmt.Errorf("blocks leaf %s: short", name)
	}
	typ, rank := binary.LittleEndian.Uint32(p), binary.LittleEndian.Uint32(p[4:])
	if rank < 1 || rank > 2 || len(p) < 8+8*int(rank) {
		return nil, fmt.Errorf("blocks leaf %s: rank %d", name, rank)
	}
	dims := make([]uint64, rank)
	n := uint64(1)
	for i := range dims {
		dims[i] = binary.LittleEndian.Uint64(p[8+8*i:])
		if dims[i] == 0 || dims[i] > uint64(maxElements) || n > uint64(maxElements)/dims[i] {
			return nil, fmt.Errorf("blocks leaf %s: dims %v exceed %d elements", name, dims[:i+1], maxElements)
		}
		n *= dims[i]
	}
	q := gguf.Tensor{Name: name, Type: typ, Dims: dims, Raw: p[8+8*rank:]}
	row, err := gguf.RowBytes(typ, dims[0])
	if err != nil {
		return nil, fmt.Errorf("blocks leaf %s: %w", name, err)
	}
	if uint64(len(q.Raw)) != row*(n/dims[0]) {
		return nil, fmt.Errorf("blocks leaf %s: %d bytes of blocks for dims %v", name, len(q.Raw), dims)
	}
	data, err := q.Floats()
	if err != nil {
		return nil, err
	}
	return fromFile(name, dims, data)
}

// metaLeaf encodes a metadata leaf.
func metaLeaf(name string, data []byte) []byte {
	b := binary.LittleEndian.AppendUint32(nil, uint32(len(name)))
	b = append(b, name...)
	b = append(b, 0)
	return append(b, data...)
}

const (
	configTag   = "delphi-llama-config-v1"
	configTagV2 = "delphi-llm-config-v2"
)

// EncodeConfig is the config's canonical bytes. A plain llama config
// (no HeadSize, no RopeFreqs, the plain template) keeps version 1: a tag,
// seven u32le (vocab, dim, layers, heads, kv heads, hidden, context) and
// two float32 bit patterns (rope theta, norm epsilon). Any other config is
// version 2: its tag, u32le the architecture's index in Archs, u32le the
// template's index in tokenizer.Templates, the same seven u32le, u32le
// head size, the two float32 bit patterns, u32le the number of rotary
// frequency divisors and their float32 bit patterns.
func EncodeConfig(c Config) []byte {
	v2 := c.Architecture() != ArchLlama || c.HeadSize != 0 || len(c.RopeFreqs) != 0 || c.Template != tokenizer.TemplatePlain
	var b []byte
	if v2 {
		b = []byte(configTagV2)
		b = binary.LittleEndian.AppendUint32(b, uint32(max(0, slices.Index(Archs, c.Architecture()))))
		b = binary.LittleEndian.AppendUint32(b, uint32(max(0, slices.Index(tokenizer.Templates, c.Template))))
	} else {
		b = []byte(configTag)
	}
	for _, v := range []int{c.Vocab, c.Dim, c.Layers, c.Heads, c.KVHeads, c.Hidden, c.Context} {
		b = binary.LittleEndian.AppendUint32(b, uint32(v))
	}
	if v2 {
		b = binary.LittleEndian.AppendUint32(b, uint32(c.HeadSize))
	}
	b = binary.LittleEndian.AppendUint32(b, math.Float32bits(c.RopeTheta))
	b = binary.LittleEndian.AppendUint32(b, math.Float32bits(c.NormEps))
	if v2 {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(c.RopeFreqs)))
		for _, f := range c.RopeFreqs {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(f))
		}
	}
	return b
}

// DecodeConfig parses EncodeConfig's bytes (either version) and validates
// the config; it refuses any encoding EncodeConfig would not produce.
func DecodeConfig(b []byte) (Config, error) {
	if len(b) == len(configTag)+36 && string(b[:len(configTag)]) == configTag {
		u := func(i int) uint32 { return binary.LittleEndian.Uint32(b[len(configTag)+4*i:]) }
		for i := 0; i < 7; i++ {
			if u(i) > 1<<30 {
				return Config{}, fmt.Errorf("config field %d is %d", i, u(i))
			}
		}
		c := Config{Vocab: int(u(0)), Dim: int(u(1)), Layers: int(u(2)), Heads: int(u(3)), KVHeads: int(u(4)),
			Hidden: int(u(5)), Context: int(u(6)), RopeTheta: math.Float32frombits(u(7)), NormEps: math.Float32frombits(u(8))}
		return c, c.Validate()
	}
	if len(b) < len(configTagV2)+52 || string(b[:len(configTagV2)]) != configTagV2 {
		return Config{}, fmt.Errorf("not a %s or %s encoding", configTag, configTagV2)
	}
	u := func(i int) uint32 { return binary.LittleEndian.Uint32(b[len(configTagV2)+4*i:]) }
	for i := 0; i < 10; i++ {
		if u(i) > 1<<30 {
			return Config{}, fmt.Errorf("config field %d is %d", i, u(i))
		}
	}
	if int(u(0)) >= len(Archs) || int(u(1)) >= len(tokenizer.Templates) {
		return Config{}, fmt.Errorf("architecture index %d, template index %d", u(0), u(1))
	}
	n := int(u(12))
	if n > 1<<10 || len(b) != len(configTagV2)+52+4*n {
		return Config{}, fmt.Errorf("config of %d bytes for %d rotary divisors", len(b), n)
	}
	c := Config{Arch: Archs[u(0)], Template: tokenizer.Templates[u(1)], Vocab: int(u(2)), Dim: int(u(3)), Layers: int(u(4)), Heads: int(u(5)),
		KVHeads: int(u(6)), Hidden: int(u(7)), Context: int(u(8)), HeadSize: int(u(9)), RopeTheta: math.Float32frombits(u(10)),
		NormEps: math.Float32frombits(u(11))}
	for i := 0; i < n; i++ {
		c.RopeFreqs = append(c.RopeFreqs, math.Float32frombits(u(13+i)))
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	if c.Arch == ArchLlama && c.HeadSize == 0 && n == 0 && c.Template == tokenizer.TemplatePlain {
		return Config{}, fmt.Errorf("a plain llama config is encoded as %s", configTag)
	}
	if c.Arch == ArchLlama {
		c.Arch = "" // the default, as Load and Init spell it
	}
	return c, nil
}

// Tree is the weight tree of one model. It keeps the leaves' hashes and
// rebuilds a leaf's bytes from the model when a part is proven, so the
// tree never holds a second copy of the weights: building it serializes
// one tensor at a time.
type Tree struct {
	names  []string
	hashes []runtime.Hash // leaf hashes, names order
	w      *Weights
	tok    *tokenizer.BPE
	tree   *merkle.Tree
}

// NewTree builds the tree over the model's config, tokenizer and weights.
func NewTree(w *Weights, tok *tokenizer.BPE) *Tree {
	t := &Tree{names: append([]string{PartConfig, PartTokenizer}, Names(w.Config)...), w: w, tok: tok}
	sort.Strings(t.names)
	hs := make([]runtime.Hash, len(t.names))
	for i, n := range t.names {
		hs[i] = merkle.LeafHash(t.leaf(n))
	}
	t.tree, t.hashes = merkle.New(hs), hs
	return t
}

// LeafSize is the length of the named leaf's bytes (0 for no such part),
// without serializing a tensor.
func (t *Tree) LeafSize(name string) int {
	i := sort.SearchStrings(t.names, name)
	if i == len(t.names) || t.names[i] != name {
		return 0
	}
	if q, ok := t.w.Quantized[name]; ok {
		return 4 + len(name) + 1 + 8 + 8*len(q.Dims) + len(q.Raw) // blocksLeaf's layout
	}
	x, ok := t.w.Tensors[name]
	if name == PartConfig || name == PartTokenizer || !ok || x.DType != runtime.Float32 {
		return len(t.leaf(name))
	}
	return 4 + len(name) + 1 + 4 + 8*len(x.Shape) + 4*len(x.F) // runtime.WeightLeafData's layout
}

// leaf is the named leaf's bytes.
func (t *Tree) leaf(name string) []byte {
	switch name {
	case PartConfig:
		return metaLeaf(PartConfig, EncodeConfig(t.w.Config))
	case PartTokenizer:
		return metaLeaf(PartTokenizer, t.tok.MarshalText())
	}
	if q, ok := t.w.Quantized[name]; ok {
		return blocksLeaf(q)
	}
	return runtime.WeightLeafData(name, t.w.Tensors[name])
}

// Root is the registered weights_root of a GGUF language model.
func (t *Tree) Root() runtime.Hash { return t.tree.Root() }

// Len is the number of leaves.
func (t *Tree) Len() int { return len(t.names) }

// Prove returns the named leaf's index, data and proof.
func (t *Tree) Prove(name string) (int, []byte, merkle.Proof, error) {
	i := sort.SearchStrings(t.names, name)
	if i == len(t.names) || t.names[i] != name {
		return 0, nil, merkle.Proof{}, fmt.Errorf("no part %q", name)
	}
	p, err := t.tree.Prove(i)
	data := t.leaf(name)
	// A quantized weight's blocks are the file's bytes (memory-mapped by a
	// sidecar): a part rebuilt from bytes changed since loading would not
	// be the committed one.
	if merkle.LeafHash(data) != t.hashes[i] {
		return 0, nil, merkle.Proof{}, fmt.Errorf("part %q changed since the model was loaded", name)
	}
	return i, data, p, err
}

// Verified is one verified leaf of a weight tree.
type Verified struct {
	Name   string
	Config *Config         // PartConfig
	Tok    *tokenizer.BPE  // PartTokenizer
	Tensor *runtime.Tensor // a weight
}

// VerifyPart checks that data is leaf index of the tree with root and
// decodes it. A tensor's shape is checked later, against the config.
func VerifyPart(root runtime.Hash, index uint64, data []byte, proof merkle.Proof) (Verified, error) {
	if err := merkle.Verify(root, index, merkle.LeafHash(data), proof); err != nil {
		return Verified{}, fmt.Errorf("part against the weight root: %w", err)
	}
	if len(data) >= 4 {
		n := binary.LittleEndian.Uint32(data)
		if uint64(n) < uint64(len(data)-4) && data[4+n] == 0 {
			name, payload := string(data[4:4+n]), data[5+n:]
			switch name {
			case PartConfig:
				c, err := DecodeConfig(payload)
				if err != nil {
					return Verified{}, err
				}
				return Verified{Name: name, Config: &c}, nil
			case PartTokenizer:
				tok, err := tokenizer.Parse(payload)
				if err != nil {
					return Verified{}, err
				}
				if !bytes.Equal(tok.MarshalText(), payload) {
					return Verified{}, fmt.Errorf("the tokenizer is not in canonical form")
				}
				return Verified{Name: name, Tok: tok}, nil
			}
			return Verified{}, fmt.Errorf("unknown metadata part %q", name)
		}
		if uint64(n) < uint64(len(data)-4) && data[4+n] == blocksTag {
			name := string(data[4 : 4+n])
			t, err := parseBlocks(name, data[5+n:], runtime.DefaultLimits().MaxTensorElements)
			if err != nil {
				return Verified{}, err
			}
			return Verified{Name: name, Tensor: t}, nil
		}
	}
	name, t, err := runtime.ParseWeightLeafData(data, int(runtime.DefaultLimits().MaxTensorElements))
	if err != nil {
		return Verified{}, err
	}
	return Verified{Name: name, Tensor: t}, nil
}

// Skeleton is a model's program compiled from its config alone, with
// weights of the right shapes but no values: the referee recomputes one
// operator of it from proven weights, so it never holds the whole model.
// Its leaves, shapes and canonical order are those of the real program.
func Skeleton(cfg Config, lim runtime.Limits) (*runtime.Program, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if int64(cfg.Params()) > lim.MaxWeightElements {
		return nil, fmt.Errorf("%d weights, the limit is %d", cfg.Params(), lim.MaxWeightElements)
	}
	w := &Weights{Config: cfg, Tensors: map[string]*runtime.Tensor{}}
	for _, n := range Names(cfg) {
		s, err := Shape(cfg, n)
		if err != nil {
			return nil, err
		}
		w.Tensors[n] = &runtime.Tensor{DType: runtime.Float32, Shape: s}
	}
	g, err := Graph(w, cfg.Context)
	if err != nil {
		return nil, err
	}
	return runtime.Compile(g, lim)
}
