package llm

import (
	"fmt"
	"math"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/gguf"
)

// Weights are a model's tensors under GGUF's llama names. Matrices are
// stored as [in, out] (row-major), the layout y = x·W multiplies with.
type Weights struct {
	Config  Config
	Tensors map[string]*runtime.Tensor // looked up by name; enumerated through Names
	// Quantized holds, for each weight a GGUF file stores in a quantized
	// ggml type, the file's tensor (type, dims, blocks): the weight tree
	// commits to these bytes, and Tensors holds their dequantization.
	Quantized map[string]gguf.Tensor
}

// Names lists every tensor name of cfg in canonical order.
func Names(cfg Config) []string {
	names := []string{"token_embd.weight"}
	for l := 0; l < cfg.Layers; l++ {
		for _, s := range []string{"attn_norm", "attn_q", "attn_k", "attn_v", "attn_output", "ffn_norm", "ffn_gate", "ffn_up", "ffn_down"} {
			names = append(names, fmt.Sprintf("blk.%d.%s.weight", l, s))
		}
		if cfg.QKVBias() {
			names = append(names, fmt.Sprintf("blk.%d.attn_q.bias", l), fmt.Sprintf("blk.%d.attn_k.bias", l), fmt.Sprintf("blk.%d.attn_v.bias", l))
		}
		if cfg.QKNorm() {
			names = append(names, fmt.Sprintf("blk.%d.attn_q_norm.weight", l), fmt.Sprintf("blk.%d.attn_k_norm.weight", l))
		}
	}
	return append(names, "output_norm.weight", "output.weight")
}

// Shape is the [in, out] (or [n] for norms, [vocab, dim] for the embedding)
// shape of a named tensor.
func Shape(cfg Config, name string) ([]int, error) {
	var l int
	var s string
	if _, err := fmt.Sscanf(name, "blk.%d.%s", &l, &s); err == nil {
		if l < 0 || l >= cfg.Layers {
			return nil, fmt.Errorf("tensor %s: layer %d of %d", name, l, cfg.Layers)
		}
		switch s {
		case "attn_norm.weight", "ffn_norm.weight":
			return []int{cfg.Dim}, nil
		case "attn_q.weight":
			return []int{cfg.Dim, cfg.QDim()}, nil
		case "attn_output.weight":
			return []int{cfg.QDim(), cfg.Dim}, nil
		case "attn_q.bias":
			if cfg.QKVBias() {
				return []int{cfg.QDim()}, nil
			}
		case "attn_k.bias", "attn_v.bias":
			if cfg.QKVBias() {
				return []int{cfg.KVDim()}, nil
			}
		case "attn_q_norm.weight", "attn_k_norm.weight":
			if cfg.QKNorm() {
				return []int{cfg.HeadDim()}, nil
			}
		case "attn_k.weight", "attn_v.weight":
			return []int{cfg.Dim, cfg.KVDim()}, nil
		case "ffn_gate.weight", "ffn_up.weight":
			return []int{cfg.Dim, cfg.Hidden}, nil
		case "ffn_down.weight":
			return []int{cfg.Hidden, cfg.Dim}, nil
		}
		return nil, fmt.Errorf("unknown tensor %s for architecture %s", name, cfg.Architecture())
	}
	switch name {
	case "token_embd.weight":
		return []int{cfg.Vocab, cfg.Dim}, nil
	case "output_norm.weight":
		return []int{cfg.Dim}, nil
	case "output.weight":
		return []int{cfg.Dim, cfg.Vocab}, nil
	}
	return nil, fmt.Errorf("unknown tensor %s", name)
}

// Check verifies that every tensor is present with its shape and finite.
func (w *Weights) Check() error {
	if err := w.Config.Validate(); err != nil {
		return err
	}
	for _, name := range Names(w.Config) {
		t, ok := w.Tensors[name]
		if !ok {
			return fmt.Errorf("tensor %s is missing", name)
		}
		want, _ := Shape(w.Config, name)
		if t.DType != runtime.Float32 || !sameShape(t.Shape, want) || len(t.F) != numel(want) {
			return fmt.Errorf("tensor %s is %v, want float32 %v", name, t.Shape, want)
		}
		for _, v := range t.F {
			if v != v || math.IsInf(float64(v), 0) {
				return fmt.Errorf("tensor %s holds a non-finite value", name)
			}
		}
	}
	if len(w.Tensors) != len(Names(w.Config)) {
		return fmt.Errorf("%d tensors, the architecture has %d", len(w.Tensors), len(Names(w.Config)))
	}
	return nil
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func numel(s []int) int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}
