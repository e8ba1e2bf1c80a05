package llm

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/gguf"
	"github.com/delphi-network/delphi/runtime/llm/llamacpp"
	"github.com/delphi-network/delphi/runtime/tokenizer"
)

// BenchmarkLlamaCpp runs Delphi and llama.cpp on the same GGUF file, on
// this machine, in one run, one thread each (and, for f32, two: Delphi's
// graph and session workers, llama.cpp's threads): prompt processing (one batch
// of the full context; Delphi's traced graph without the trace, as
// BenchmarkPrompt) and greedy generation from one token to a full context
// (Delphi's KV-cache session; llama.cpp one llama_decode per token, f32 KV
// cache, no flash attention). The Q8_0 file is the f32 file quantized by
// Delphi (bit for bit llama.cpp's quantizer): Delphi's prompt graph runs on
// its dequantized floats, its generation session on the quantized blocks
// (runtime.MatVecQ8, the floats' bits), llama.cpp on the blocks for both.
// Delphi's prompt runs recycle their buffers, as its evaluation does, and
// each timed one follows an untimed one (llama.cpp's buffers are sized at
// context creation, which its figures leave out too).
func BenchmarkLlamaCpp(b *testing.B) {
	d, err := llamacpp.Open()
	if err != nil {
		b.Fatal(err)
	}
	for _, size := range benchSizes {
		cfg := Sizes[size]
		w, err := Init(cfg, 1)
		if err != nil {
			b.Fatal(err)
		}
		tok := benchTokenizer(b, cfg.Vocab)
		for _, run := range []struct {
			typ     uint32
			threads int
		}{{gguf.GGMLF32, 1}, {gguf.GGMLQ8_0, 1}, {gguf.GGMLF32, 2}} {
			typ, threads := run.typ, run.threads
			name := size + "/" + gguf.TypeName(typ)
			if threads > 1 {
				name += "/threads=" + string(rune('0'+threads))
			}
			b.Run(name, func(b *testing.B) {
				raw, err := SaveAs(w, tok, "bench", typ)
				if err != nil {
					b.Fatal(err)
				}
				path := filepath.Join(b.TempDir(), "model.gguf")
				if err := os.WriteFile(path, raw, 0o644); err != nil {
					b.Fatal(err)
				}
				m, _, err := Load(raw)
				if err != nil {
					b.Fatal(err)
				}
				g, _ := Graph(m, cfg.Context)
				p, err := runtime.Compile(g, runtime.DefaultLimits())
				if err != nil {
					b.Fatal(err)
				}
				ids := make([]int, cfg.Context)
				x := make([]int64, cfg.Context)
				for i := range ids {
					ids[i] = (i * 7) % cfg.Vocab
					x[i] = int64(ids[i])
				}
				in, _ := runtime.FromInts([]int{1, cfg.Context}, x)
				var ours, theirs struct{ prompt, gen float64 }
				for i := 0; i < b.N; i++ {
					// An untimed run first, as llama.cpp sizes its compute
					// buffers when it creates the context: the timed run
					// reuses its buffers, as an evaluation's items do.
					if _, err := p.RunRecycled([]*runtime.Tensor{in}, threads, nil); err != nil {
						b.Fatal(err)
					}
					start := time.Now()
					if _, err := p.RunRecycled([]*runtime.Tensor{in}, threads, nil); err != nil {
						b.Fatal(err)
					}
					ours.prompt += time.Since(start).Seconds()
					start = time.Now()
					if _, err := NewSession(m).SetWorkers(threads).Generate(ids[:1], cfg.Context-1, -1); err != nil {
						b.Fatal(err)
					}
					ours.gen += time.Since(start).Seconds()
					sp, err := d.Bench(path, ids, 0, threads)
					if err != nil {
						b.Fatal(err)
					}
					sg, err := d.Bench(path, ids[:1], cfg.Context-1, threads)
					if err != nil {
						b.Fatal(err)
					}
					theirs.prompt += float64(cfg.Context) / sp.Prompt
					theirs.gen += float64(cfg.Context-1) / sg.Generate
				}
				n := float64(b.N)
				b.ReportMetric(n*float64(cfg.Context)/ours.prompt, "delphi-prompt-tok/s")
				b.ReportMetric(n*float64(cfg.Context)/theirs.prompt, "llamacpp-prompt-tok/s")
				b.ReportMetric(n*float64(cfg.Context-1)/ours.gen, "delphi-gen-tok/s")
				b.ReportMetric(n*float64(cfg.Context-1)/theirs.gen, "llamacpp-gen-tok/s")
			})
		}
	}
}

// benchTokenizer is a vocabulary of vocab tokens (speed does not depend
// on which merges they are).
func benchTokenizer(b *testing.B, vocab int) *tokenizer.BPE {
	merges := make([]tokenizer.Pair, vocab-tokenizer.NumBytes)
	for k := range merges {
		merges[k] = tokenizer.Pair{A: 'a' + k%26, B: tokenizer.NumBytes - 1 - k/26}
	}
	tok, err := tokenizer.New(merges)
	if err != nil {
		b.Fatal(err)
	}
	return tok
}
