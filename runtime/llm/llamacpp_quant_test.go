package llm

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/delphi-network/delphi/runtime/gguf"
	"github.com/delphi-network/delphi/runtime/llm/llamacpp"
	"github.com/delphi-network/delphi/runtime/text"
	"github.com/delphi-network/delphi/runtime/tokenizer"
)

// quantCases pairs each ggml type Delphi reads with the llama_ftype that
// makes it in llama.cpp's quantizer ("pure": every matrix that type), and
// the logit difference quantized llama.cpp may show against Delphi on the
// same file. Both dequantize the weights to the same floats (checked bit
// for bit below); the difference is llama.cpp's own arithmetic: its CPU
// kernels multiply quantized weights by activations quantized to 8 bits
// per block of 32 or 256 (q8_0, q8_1, q8_K), an error of up to 1/254 of
// each block's largest activation per product, which Delphi (float32
// products of the dequantized weights) does not make. It compounds through
// the layers and scales with the logits: measured up to 1.9% of a
// position's largest |logit| (the trained nano at Q4_0; random models of
// width 256 up to 1.5%), so the bound is 3%.
var quantCases = []struct {
	name  string
	typ   uint32
	ftype int
	tol   tolerance
}{
	{"Q8_0", gguf.GGMLQ8_0, 7, quantTolerance},
	{"Q4_0", gguf.GGMLQ4_0, 2, quantTolerance},
	{"Q4_1", gguf.GGMLQ4_1, 3, quantTolerance},
	{"Q5_0", gguf.GGMLQ5_0, 8, quantTolerance},
	{"Q5_1", gguf.GGMLQ5_1, 9, quantTolerance},
	{"Q4_K", gguf.GGMLQ4_K, 15, quantTolerance},
	{"Q5_K", gguf.GGMLQ5_K, 17, quantTolerance},
	{"Q6_K", gguf.GGMLQ6_K, 18, quantTolerance},
}

var quantTolerance = tolerance{Rel: 0.03}

// quantModel is a llama model whose every matrix row is a whole number of
// K-quant super-blocks (256), so each type applies to every matrix.
var quantModel = Config{Vocab: 512, Dim: 256, Layers: 2, Heads: 4, KVHeads: 2, Hidden: 512, Context: 128, RopeTheta: 10000, NormEps: 1e-5}

// Files llama.cpp's quantizer makes, of every type Delphi reads: Delphi
// dequantizes each tensor to exactly the floats llama.cpp's own to_float
// gives; Delphi's quantizer makes llama.cpp's bytes from the same floats;
// and llama.cpp's logits on the quantized file agree with Delphi's within
// the tolerance its activation quantization implies, greedy text equal.
func TestLlamaCppQuantizedFiles(t *testing.T) {
	d, err := llamacpp.Open()
	if err != nil {
		t.Fatal(err)
	}
	tok, ids := kjvTokenizer(t, quantModel.Vocab)
	ids = ids[:quantModel.Context]
	w, err := Init(quantModel, 5)
	if err != nil {
		t.Fatal(err)
	}
	f32 := saveTemp(t, w, tok)
	for _, c := range quantCases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), c.name+".gguf")
			if err := d.Quantize(f32, path, c.ftype); err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, err := gguf.Read(raw, MaxElements)
			if err != nil {
				t.Fatal(err)
			}
			quantized := 0
			for _, gt := range f.Tensors {
				if gt.Raw == nil {
					continue
				}
				if gt.Type != c.typ {
					t.Fatalf("tensor %s is %s, want %s", gt.Name, gguf.TypeName(gt.Type), c.name)
				}
				quantized++
				ours, err := gt.Floats()
				if err != nil {
					t.Fatal(err)
				}
				theirs, err := d.Dequantize(int(gt.Type), gt.Raw, len(ours))
				if err != nil {
					t.Fatal(err)
				}
				for i := range ours {
					if math.Float32bits(ours[i]) != math.Float32bits(theirs[i]) {
						t.Fatalf("tensor %s element %d: Delphi dequantizes %v, llama.cpp %v", gt.Name, i, ours[i], theirs[i])
					}
				}
				mine, err := gguf.Quantize(c.typ, sourceRows(t, w, gt.Name))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(mine, gt.Raw) {
					t.Fatalf("tensor %s: Delphi's %s bytes differ from llama.cpp's", gt.Name, c.name)
				}
			}
			if quantized != 2+7*quantModel.Layers {
				t.Fatalf("%d tensors quantized, want every matrix (%d)", quantized, 2+7*quantModel.Layers)
			}
			q, _, err := Load(raw)
			if err != nil {
				t.Fatal(err)
			}
			agree(t, d, path, q, ids, c.tol)
		})
	}
}

// sourceRows is a weight in ggml's row order (out rows of in values), as
// the f32 file holds it.
func sourceRows(t *testing.T, w *Weights, name string) []float32 {
	t.Helper()
	x := w.Tensors[name]
	if name == "token_embd.weight" {
		return x.F
	}
	return transpose(x.F, x.Shape[0], x.Shape[1])
}

// The published layouts (Llama 3's rope divisors, Qwen 2's biases, Qwen
// 3's head norms and width) quantized by llama.cpp: Delphi's logits on
// them agree with llama.cpp's within the same tolerance, greedy text equal.
func TestLlamaCppQuantizedArchitectures(t *testing.T) {
	d, err := llamacpp.Open()
	if err != nil {
		t.Fatal(err)
	}
	tok, ids := kjvTokenizer(t, quantModel.Vocab)
	ids = ids[:quantModel.Context]
	for _, cfg := range publishedLayouts(quantModel) {
		w, err := Init(cfg, 6)
		if err != nil {
			t.Fatal(err)
		}
		f32 := saveTemp(t, w, tok)
		for _, c := range []int{0, 5} { // Q8_0 and Q4_K
			c := quantCases[c]
			t.Run(cfg.Architecture()+"/"+c.name, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "q.gguf")
				if err := d.Quantize(f32, path, c.ftype); err != nil {
					t.Fatal(err)
				}
				raw, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				q, _, err := Load(raw)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(q.Config, cfg) {
					t.Fatalf("config %+v after llama.cpp's quantizer, want %+v", q.Config, cfg)
				}
				agree(t, d, path, q, ids, c.tol)
			})
		}
	}
}

// A model Delphi trains (nano, 300 steps on the KJV), quantized by
// llama.cpp to each type whose blocks fit its width: on held-out verses
// llama.cpp's logits agree with Delphi's within the tolerance, and greedy
// text is identical — a trained model's choices are not near-ties.
func TestLlamaCppQuantizedTrainedModel(t *testing.T) {
	d, err := llamacpp.Open()
	if err != nil {
		t.Fatal(err)
	}
	cfg := TrainConfig{Model: Sizes["nano"], Seed: 2, Steps: 300, Batch: 8, Window: 64, LearningRate: 3e-3, ClipNorm: 1}
	raw, _, _, err := TrainKJV(cfg, "nano", 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, tok, err := Load(raw)
	if err != nil {
		t.Fatal(err)
	}
	verses, err := text.LoadKJV()
	if err != nil {
		t.Fatal(err)
	}
	_, test := text.Split(verses)
	ids := tok.Encode(text.Join(test[:40]))[:cfg.Model.Context]
	f32 := filepath.Join(t.TempDir(), "nano.gguf")
	if err := os.WriteFile(f32, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range quantCases[:5] { // the 32-element block types; nano's width is 32
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "q.gguf")
			if err := d.Quantize(f32, path, c.ftype); err != nil {
				t.Fatal(err)
			}
			qraw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			q, _, err := Load(qraw)
			if err != nil {
				t.Fatal(err)
			}
			theirs, _, err := d.Logits(path, ids, 1)
			if err != nil {
				t.Fatal(err)
			}
			ours := programLogits(t, q, ids)
			ratio, worst := c.tol.excess(ours, theirs, cfg.Model.Vocab)
			if !(ratio <= 1) {
				t.Fatalf("logits differ by up to %.3g: %.2f times the tolerance %v", worst, ratio, c.tol)
			}
			prompt := ids[:cfg.Model.Context/2]
			want, err := d.Greedy(path, prompt, 24, 1)
			if err != nil {
				t.Fatal(err)
			}
			got, err := NewSession(q).Generate(prompt, 24, -1)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: largest logit difference %.3g (%.2f of the tolerance); greedy %q", c.name, worst, ratio, decode(tok, got))
			if !slices.Equal(got, want) {
				t.Fatalf("greedy text: Delphi %q, llama.cpp %q", decode(tok, got), decode(tok, want))
			}
		})
	}
}

func decode(tok *tokenizer.BPE, ids []int) string {
	b, _ := tok.Decode(ids)
	return string(b)
}
