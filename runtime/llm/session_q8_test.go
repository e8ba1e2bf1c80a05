package llm

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	goruntime "runtime"
	"testing"

	"github.com/delphi-network/delphi/runtime/gguf"
	"github.com/delphi-network/delphi/runtime/tokenizer"
)

// q8Weights is a model saved as Q8_0 and loaded back: every matrix's rows
// are whole blocks (Dim, Hidden and the head widths multiples of 32).
func q8Weights(t *testing.T, cfg Config) *Weights {
	t.Helper()
	tok, err := tokenizer.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	w, err := Init(cfg, 5)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := SaveAs(w, tok, "q8", gguf.GGMLQ8_0)
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := Load(raw)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// allOnQ8 fails unless every matrix of the session, the output projection
// included, is on the Q8_0 path.
func allOnQ8(t *testing.T, s *Session) {
	t.Helper()
	for l, L := range s.layers {
		for name, m := range map[string]sessionMat{"q": L.q, "k": L.k, "v": L.v, "o": L.o, "gate": L.gate, "up": L.up, "down": L.down} {
			if m.q8 == nil {
				t.Fatalf("layer %d's %s matrix is not on the Q8_0 path", l, name)
			}
		}
	}
	if s.output.q8 == nil {
		t.Fatal("the output projection is not on the Q8_0 path")
	}
}

// TestQ8SessionMatchesGraph: a session over a Q8_0 file multiplies the
// quantized blocks (runtime.MatVecQ8) for every matrix, and its logits
// still equal the graph's over the dequantized floats bit for bit, in
// every published layout, on one and three workers.
func TestQ8SessionMatchesGraph(t *testing.T) {
	base := Config{Vocab: 256, Dim: 64, Layers: 2, Heads: 2, Hidden: 96, Context: 16, RopeTheta: 10000, NormEps: 1e-5}
	for _, cfg := range append([]Config{base}, publishedLayouts(base)...) {
		t.Run(cfg.Architecture(), func(t *testing.T) {
			w := q8Weights(t, cfg)
			allOnQ8(t, NewSession(w))
			graphMatchesWeights(t, w)
		})
	}
}

// TestQ8PackingChecksItsLayout: a tied output projection packs the
// embedding's blocks, but only when the floats it multiplies are the
// embedding's: an output stored as floats next to a Q8_0 embedding stays
// on the float path.
func TestQ8PackingChecksItsLayout(t *testing.T) {
	cfg := Config{Vocab: 256, Dim: 64, Layers: 1, Heads: 2, Hidden: 64, Context: 8, RopeTheta: 10000, NormEps: 1e-5}
	w := q8Weights(t, cfg)
	out := w.Tensors["output.weight"]
	delete(w.Quantized, "output.weight") // as if the file stored it as floats
	if packQ8(w, "output.weight", out) != nil {
		t.Fatal("an output that is not the embedding packed the embedding's blocks")
	}
	e := w.Tensors["token_embd.weight"]
	tied := transpose(e.F, cfg.Vocab, cfg.Dim) // as Load ties a file without one
	copy(out.F, tied)
	if packQ8(w, "output.weight", out) == nil {
		t.Fatal("a tied output did not pack the embedding's blocks")
	}
	graphMatchesWeights(t, w)
}

// TestSessionKeyCacheGrowsWithTokens: the transposed key cache is sized
// by the tokens seen, not by the context the file declares (found by
// review: a small model declaring a 65536-token context made every
// session allocate 128 MiB here before its first token, and a config
// Validate accepts asked for 8 GiB), and growing it past its first
// capacity keeps the logits equal to the graph's.
func TestSessionKeyCacheGrowsWithTokens(t *testing.T) {
	cfg := Config{Vocab: 256, Dim: 64, Layers: 8, Heads: 2, Hidden: 64, Context: 1 << 16, RopeTheta: 10000, NormEps: 1e-5}
	w, err := Init(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	weights := uint64(4 * cfg.Params())
	rope := uint64(cfg.Context * cfg.HeadDim() * 4) // the cos and sin tables
	tables := uint64(2 * 4 * cfg.Context)           // the attention sums' offsets
	var a, b goruntime.MemStats
	goruntime.GC()
	goruntime.ReadMemStats(&a)
	s := NewSession(w)
	if _, err := s.Step(1); err != nil {
		t.Fatal(err)
	}
	goruntime.ReadMemStats(&b)
	if got, limit := b.TotalAlloc-a.TotalAlloc, rope+weights+tables+1<<20; got > limit {
		t.Errorf("a session and one token allocated %d MiB (weights %d KiB, rope tables %d MiB): the key cache is sized by the context",
			got>>20, weights>>10, rope>>20)
	}

	small := Config{Vocab: 256, Dim: 64, Layers: 2, Heads: 4, KVHeads: 2, Hidden: 96, Context: 70, RopeTheta: 10000, NormEps: 1e-5}
	for _, c := range append([]Config{small}, publishedLayouts(small)...) {
		w, err := Init(c, 4)
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]int64, c.Context) // past 16, 32 and 64 positions
		for i := range ids {
			ids[i] = int64(i*37) % int64(c.Vocab)
		}
		graphMatchesOn(t, w, ids)
	}
}

// hostileQ8 replaces every matrix of w with Q8_0 blocks as a registrant
// could write them (quants over the whole int8 range, -128 included;
// scales binary16 subnormals, negatives, and in the output projection
// the largest, 65504), storing the raw blocks in w.Quantized and the
// dequantized floats in Delphi's layout, exactly as Load does.
func hostileQ8(t *testing.T, w *Weights, tied bool) {
	t.Helper()
	r := rand.New(rand.NewPCG(26, 8))
	for name, ten := range w.Tensors {
		if len(ten.Shape) != 2 {
			continue
		}
		if tied && name == "output.weight" {
			continue
		}
		// file dims [ne0, ne1]: ne0 the row length (K; Dim for the embedding)
		ne0, ne1 := ten.Shape[0], ten.Shape[1]
		if name == "token_embd.weight" {
			ne0, ne1 = ten.Shape[1], ten.Shape[0]
		}
		raw := make([]byte, ne1*ne0/32*34)
		for b := 0; b < len(raw); b += 34 {
			var h uint16
			switch r.IntN(16) {
			case 0:
				h = uint16(1 + r.IntN(0x3ff)) // subnormal
			case 1:
				h = 0x8000 | uint16(1+r.IntN(0x3ff))
			case 2:
				if name == "output.weight" {
					h = 0x7bff // 65504
				} else {
					h = 0x2000
				}
			default:
				h = uint16(0x1c00+r.IntN(0x0c00)) | uint16(r.IntN(2))<<15 // ~2^-8..2^-5
			}
			binary.LittleEndian.PutUint16(raw[b:], h)
			for i := 2; i < 34; i++ {
				raw[b+i] = byte(r.IntN(256))
				if r.IntN(8) == 0 {
					raw[b+i] = 0x80 // -128
				}
			}
		}
		f := make([]float32, ne0*ne1)
		if err := gguf.Dequantize(gguf.GGMLQ8_0, raw, f); err != nil {
			t.Fatal(err)
		}
		if name != "token_embd.weight" {
			f = transpose(f, ne1, ne0)
		}
		copy(ten.F, f)
		if w.Quantized == nil {
			w.Quantized = map[string]gguf.Tensor{}
		}
		w.Quantized[name] = gguf.Tensor{Name: name, Dims: []uint64{uint64(ne0), uint64(ne1)}, Type: gguf.GGMLQ8_0, Raw: raw}
	}
	if tied {
		e := w.Tensors["token_embd.weight"]
		copy(w.Tensors["output.weight"].F, transpose(e.F, w.Config.Vocab, w.Config.Dim))
	}
}

// TestQ8HostileBlocksMatchGraph: hostile Q8_0 blocks (subnormal,
// negative and 65504 scales, -128 quants), GQA, Qwen 3 head widths, a
// tied output, and Hidden wide enough that MatVecQ8 really splits its
// columns among 3 workers: every matrix on the Q8 path, logits equal to
// the graph's bit for bit.
func TestQ8HostileBlocksMatchGraph(t *testing.T) {
	base := Config{Vocab: 256, Dim: 64, Layers: 2, Heads: 2, Hidden: 512, Context: 16, RopeTheta: 10000, NormEps: 1e-5}
	for _, cfg := range append([]Config{base}, publishedLayouts(base)...) {
		for _, tied := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/tied=%v", cfg.Architecture(), tied), func(t *testing.T) {
				w, err := Init(cfg, 3)
				if err != nil {
					t.Fatal(err)
				}
				hostileQ8(t, w, tied)
				allOnQ8(t, NewSession(w))
				graphMatchesWeights(t, w)
			})
		}
	}
}
