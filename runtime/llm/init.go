package llm

import (
	"encoding/binary"
	"strings"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/detrand"
)

// Init returns fresh weights for cfg from a seed: norms at 1, every matrix
// uniform in ±1/√fan_in (the embedding ±1, the output projection scaled
// like a matrix), drawn from detrand in Names order, so the same seed gives
// the same bits everywhere.
func Init(cfg Config, seed uint64) (*Weights, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	var sb [8]byte
	binary.BigEndian.PutUint64(sb[:], seed)
	rng := detrand.New(append([]byte("delphi/llm/init/"), sb[:]...))
	w := &Weights{Config: cfg, Tensors: map[string]*runtime.Tensor{}}
	for _, name := range Names(cfg) {
		shape, _ := Shape(cfg, name)
		t := runtime.NewTensor(shape...)
		switch {
		case len(shape) == 1 && (strings.HasSuffix(name, ".bias") || strings.HasSuffix(name, "_q_norm.weight") || strings.HasSuffix(name, "_k_norm.weight")):
			// The published architectures' extra vectors (qwen2's biases,
			// qwen3's head norms): biases in ±0.5, head norms in [0.5, 1.5).
			for i := range t.F {
				u := float32(float32(int64(rng.Uint64()>>40)-(1<<23)) / (1 << 24))
				if !strings.HasSuffix(name, ".bias") {
					u = u + 1
				}
				t.F[i] = u
			}
		case len(shape) == 1:
			for i := range t.F {
				t.F[i] = 1
			}
		default:
			bound := 1 / runtime.Sqrt(float32(shape[0]))
			if name == "token_embd.weight" {
				bound = 1
			}
			for i := range t.F {
				// 24 random bits → [-1, 1), exact in float32, then scaled.
				u := float32(int64(rng.Uint64()>>40)-(1<<23)) / (1 << 23)
				t.F[i] = float32(u * bound)
			}
		}
		w.Tensors[name] = t
	}
	return w, nil
}
