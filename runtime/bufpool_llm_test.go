package runtime_test

import (
	"math"
	"testing"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/llm"
)

// TestLanguageModelRunsOnPoisonedBuffers: a language model's prompt graph
// (RotaryEmbedding, RMSNormalization, the attention's Transposes, masked
// Softmax, SiLU, the products) run again and again on buffers its earlier
// runs left full of NaNs gives the logits of a run on new buffers, in the
// llama layout and in Qwen 3's (head norms), on one and two workers.
func TestLanguageModelRunsOnPoisonedBuffers(t *testing.T) {
	runtime.SetPoisonRecycled(true)
	defer runtime.SetPoisonRecycled(false)
	defer runtime.SetNoReuse(false)
	q3 := llm.Sizes["nano"]
	q3.Arch, q3.KVHeads, q3.NormEps = llm.ArchQwen3, 1, 1e-6
	for _, cfg := range []llm.Config{llm.Sizes["nano"], q3} {
		w, err := llm.Init(cfg, 3)
		if err != nil {
			t.Fatal(err)
		}
		g, err := llm.Graph(w, 24)
		if err != nil {
			t.Fatal(err)
		}
		p, err := runtime.Compile(g, runtime.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		input := func(k int) *runtime.Tensor {
			ids := make([]int64, 24)
			for i := range ids {
				ids[i] = int64((i*7 + k*13) % cfg.Vocab)
			}
			x, _ := runtime.FromInts([]int{1, 24}, ids)
			return x
		}
		var want [2][3][]float32
		runtime.SetNoReuse(true)
		for w := range 2 {
			for k := range 3 {
				out, err := p.Run([]*runtime.Tensor{input(k)}, w+1, nil)
				if err != nil {
					t.Fatal(err)
				}
				want[w][k] = out[0].F
			}
		}
		runtime.SetNoReuse(false)
		for pass := range 2 {
			for w := range 2 {
				for k := range 3 {
					out, err := p.RunRecycled([]*runtime.Tensor{input(k)}, w+1, nil)
					if err != nil {
						t.Fatal(err)
					}
					for i, v := range out[0].F {
						if math.Float32bits(v) != math.Float32bits(want[w][k][i]) {
							t.Fatalf("%s pass %d workers=%d item %d: logit %d is %v on reused buffers, %v on new ones", cfg.Architecture(), pass, w+1, k, i, v, want[w][k][i])
						}
					}
				}
			}
		}
	}
}
