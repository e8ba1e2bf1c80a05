// Package llm is Delphi's decoder-only transformer — the "llama"
// architecture and its published relatives "qwen2" and "qwen3" — its
// configuration and weights, the runtime graph that evaluates it (so
// its operator outputs are trace leaves Verde can referee), GGUF files in
// and out, and a deterministic reference forward pass.
package llm

import (
	"fmt"
	"slices"

	"github.com/delphi-network/delphi/runtime/tokenizer"
)

// Architectures Delphi evaluates, named as GGUF's general.architecture
// names them. They share one block (RMSNorm, rotary attention with
// grouped-query heads, SwiGLU); they differ in:
//
//	llama  rotary pairs adjacent (interleaved); optional Llama 3 frequency
//	       divisors (RopeFreqs, GGUF's rope_freqs.weight)
//	qwen2  rotary pairs split in halves (NeoX); biases on q, k and v
//	qwen3  rotary pairs split in halves; RMSNorm of each query and key head
//	       (attn_q_norm, attn_k_norm) before the rotation; a head width of
//	       its own (HeadSize)
const (
	ArchLlama = "llama"
	ArchQwen2 = "qwen2"
	ArchQwen3 = "qwen3"
)

// Archs lists the architectures in their config code order.
var Archs = []string{ArchLlama, ArchQwen2, ArchQwen3}

// Config is a model's shape.
type Config struct {
	Arch      string  `json:",omitempty"` // one of Archs; "" is llama
	Vocab     int     // tokens
	Dim       int     // embedding width
	Layers    int     // transformer blocks
	Heads     int     // attention heads
	KVHeads   int     `json:",omitempty"` // key/value heads for grouped-query attention (0: one per head)
	Hidden    int     // feed-forward width (SwiGLU)
	Context   int     // longest sequence the model was trained for
	RopeTheta float32 // rotary base frequency
	NormEps   float32 // RMSNorm epsilon
	// HeadSize is the width of one attention head when it is not
	// Dim / Heads (Qwen 3); 0 otherwise.
	HeadSize int `json:",omitempty"`
	// RopeFreqs divides the rotary frequency of each pair (HeadDim/2
	// values): Llama 3's rope scaling as GGUF files carry it. Empty: none.
	RopeFreqs []float32 `json:",omitempty"`
	// Template is the family of the model's chat template, which renders
	// a registered system prompt (tokenizer.Template; "" is Delphi's
	// plain prompt and newline).
	Template tokenizer.Template `json:",omitempty"`
}

// Architecture is Arch with the default spelled out.
func (c Config) Architecture() string {
	if c.Arch == "" {
		return ArchLlama
	}
	return c.Arch
}

// HeadDim is the width of one attention head: HeadSize, else Dim / Heads.
func (c Config) HeadDim() int {
	if c.HeadSize > 0 {
		return c.HeadSize
	}
	return c.Dim / c.Heads
}

// QDim is the width of the query projection and of the attention output.
func (c Config) QDim() int { return c.Heads * c.HeadDim() }

// QKVBias reports biases on the query, key and value projections.
func (c Config) QKVBias() bool { return c.Arch == ArchQwen2 }

// QKNorm reports an RMSNorm of each query and key head before the rotation.
func (c Config) QKNorm() bool { return c.Arch == ArchQwen3 }

// NeoX reports rotary pairs (i, i+HeadDim/2) instead of (2i, 2i+1).
func (c Config) NeoX() bool { return c.Arch == ArchQwen2 || c.Arch == ArchQwen3 }

// KV is the number of key/value heads: query head h reads key/value head
// h / (Heads / KV).
func (c Config) KV() int {
	if c.KVHeads == 0 {
		return c.Heads
	}
	return c.KVHeads
}

// KVDim is the width of the key and value projections.
func (c Config) KVDim() int { return c.KV() * c.HeadDim() }

// Validate bounds every field so that a hostile file cannot ask for an
// absurd allocation before the runtime's own limits apply.
func (c Config) Validate() error {
	switch {
	case c.Arch != "" && c.Arch != ArchLlama && c.Arch != ArchQwen2 && c.Arch != ArchQwen3:
		return fmt.Errorf("architecture %q: supported are %v", c.Arch, Archs)
	case c.HeadSize < 0 || c.HeadSize > 1024 || c.HeadSize%2 != 0:
		return fmt.Errorf("head size %d must be even and at most 1024", c.HeadSize)
	case c.Vocab < 2 || c.Vocab > 1<<18:
		return fmt.Errorf("vocabulary %d outside [2, 262144]", c.Vocab)
	case c.Dim < 2 || c.Dim > 1<<14:
		return fmt.Errorf("width %d outside [2, 16384]", c.Dim)
	case c.Layers < 1 || c.Layers > 256:
		return fmt.Errorf("%d layers outside [1, 256]", c.Layers)
	case c.Heads < 1 || c.Heads > 1024 || (c.HeadSize == 0 && c.Dim%c.Heads != 0) || c.HeadDim()%2 != 0 || c.QDim() > 1<<15:
		return fmt.Errorf("%d heads must divide the width %d into even head sizes", c.Heads, c.Dim)
	case c.KVHeads < 0 || c.KVHeads > c.Heads || c.Heads%c.KV() != 0:
		return fmt.Errorf("%d key/value heads must divide the %d heads", c.KVHeads, c.Heads)
	case c.Hidden < 1 || c.Hidden > 1<<16:
		return fmt.Errorf("feed-forward width %d outside [1, 65536]", c.Hidden)
	case c.Context < 1 || c.Context > 1<<16:
		return fmt.Errorf("context %d outside [1, 65536]", c.Context)
	case !(c.RopeTheta > 1) || !(c.NormEps > 0) || c.NormEps > 1:
		return fmt.Errorf("rope theta %v must exceed 1 and the norm epsilon %v lie in (0, 1]", c.RopeTheta, c.NormEps)
	case !slices.Contains(tokenizer.Templates, c.Template):
		return fmt.Errorf("chat template %q: supported are %v", string(c.Template), tokenizer.Templates)
	case len(c.RopeFreqs) != 0 && (len(c.RopeFreqs) != c.HeadDim()/2 || c.Architecture() != ArchLlama):
		return fmt.Errorf("%d rotary frequency divisors: a llama model has none or one per rotary pair (%d)", len(c.RopeFreqs), c.HeadDim()/2)
	}
	for i, f := range c.RopeFreqs {
		if !(f >= 1e-6 && f <= 1e6) {
			return fmt.Errorf("rotary frequency divisor %d is %v, outside [1e-6, 1e6]", i, f)
		}
	}
	return nil
}

// Params counts the weights.
func (c Config) Params() int {
	perLayer := 2*c.Dim + 2*c.Dim*c.QDim() + 2*c.Dim*c.KVDim() + 3*c.Dim*c.Hidden
	if c.QKVBias() {
		perLayer += c.QDim() + 2*c.KVDim()
	}
	if c.QKNorm() {
		perLayer += 2 * c.HeadDim()
	}
	return 2*c.Vocab*c.Dim + c.Layers*perLayer + c.Dim
}
