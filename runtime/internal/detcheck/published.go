package main

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/gguf"
	"github.com/delphi-network/delphi/runtime/llm"
)

// published digests what published language models add: ggml's
// quantized types dequantized and quantized (fixed pseudo-random blocks of
// every type), and the graph's logits for the published layouts — Llama 3
// rotary divisors, Qwen 2 biases, Qwen 3 head norms and head width — on
// fresh weights, through a Q8_0 round trip of the file.
func published() error {
	fmt.Printf("gguf dequantize sha256=%s\n", gguf.DequantDigest())
	fmt.Printf("gguf quantize sha256=%s\n", gguf.QuantDigest())
	base := llm.Config{Vocab: 300, Dim: 64, Layers: 2, Heads: 4, KVHeads: 2, Hidden: 128, Context: 16, RopeTheta: 500000, NormEps: 1e-5}
	l3, q2, q3 := base, base, base
	l3.RopeFreqs = make([]float32, l3.HeadDim()/2)
	for i := range l3.RopeFreqs {
		l3.RopeFreqs[i] = 1 + float32(float32(i)/2)
	}
	q2.Arch = llm.ArchQwen2
	q3.Arch, q3.HeadSize, q3.NormEps = llm.ArchQwen3, 32, 1e-6
	ids := make([]int64, base.Context)
	for i := range ids {
		ids[i] = int64((i*37 + 5) % base.Vocab)
	}
	in, _ := runtime.FromInts([]int{1, base.Context}, ids)
	for _, cfg := range []llm.Config{l3, q2, q3} {
		w, err := llm.Init(cfg, 9)
		if err != nil {
			return err
		}
		for _, typ := range []uint32{gguf.GGMLF32, gguf.GGMLQ8_0} {
			m := w
			if typ != gguf.GGMLF32 {
				// Quantize every matrix in place (the file round trip
				// without a tokenizer): Delphi's Q8_0, then dequantized.
				m = &llm.Weights{Config: cfg, Tensors: map[string]*runtime.Tensor{}}
				for name, t := range w.Tensors {
					m.Tensors[name] = t
					if len(t.Shape) == 2 {
						raw, err := gguf.Quantize(typ, t.F)
						if err != nil {
							return err
						}
						q := runtime.NewTensor(t.Shape...)
						if err := gguf.Dequantize(typ, raw, q.F); err != nil {
							return err
						}
						m.Tensors[name] = q
					}
				}
			}
			g, err := llm.Graph(m, base.Context)
			if err != nil {
				return err
			}
			p, err := runtime.Compile(g, runtime.DefaultLimits())
			if err != nil {
				return err
			}
			out, err := p.Run([]*runtime.Tensor{in}, 2, nil)
			if err != nil {
				return err
			}
			h := sha256.New()
			for _, v := range out[0].F {
				h.Write(binary.LittleEndian.AppendUint32(nil, math.Float32bits(v)))
			}
			gen, err := llm.NewSession(m).Generate([]int{1, 2, 3}, 8, -1)
			if err != nil {
				return err
			}
			fmt.Printf("published arch=%s rope_freqs=%d weights=%s logits sha256=%x generate=%v\n",
				cfg.Architecture(), len(cfg.RopeFreqs), gguf.TypeName(typ), h.Sum(nil), gen)
		}
	}
	return nil
}
