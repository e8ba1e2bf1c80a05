package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
	"github.com/delphi-network/delphi/runtime/gguf"
	"github.com/delphi-network/delphi/runtime/llm"
)

// lmBenchmark is the language-model market's benchmark: next-token
// prediction on held-out verses, scored by compression, which separates
// models of different sizes within a few rounds.
const lmBenchmark = "kjv-next"

// lmContestants are the language-model market's outcomes: two llama
// sizes trained by delphid on the KJV's training split, one of them also
// entered with a system prompt (same weights, another outcome), one also
// entered quantized to Q8_0 (as published models travel), and one entered
// in its ONNX export.
var lmContestants = []struct {
	name, description string
	size              string
	seed              uint64
	format, prompt    string
	quant             uint32 // a ggml type the GGUF file is quantized to; 0: f32 as trained
}{
	{"kjv-micro", "llama micro (width 64, 2 layers) trained by delphid on the KJV, GGUF", "micro", 1, "gguf", "", 0},
	{"kjv-micro-scribe", "the same weights with a system prompt", "micro", 1, "gguf", "The words of the King James Bible:", 0},
	{"kjv-nano", "llama nano (width 32, 2 layers) trained by delphid on the KJV, GGUF", "nano", 2, "gguf", "", 0},
	{"kjv-nano-q8", "the same nano weights quantized to Q8_0, GGUF", "nano", 2, "gguf", "", gguf.GGMLQ8_0},
	{"kjv-nano-onnx", "llama nano, another seed, entered as its ONNX export", "nano", 3, "onnx", "", 0},
}

// lmSteps is each model's training length: about a minute for micro on
// two cores, done once and cached.
const lmSteps = 300

// prepareLMs writes (or reuses, when both files still hash to the cached
// record) every language model under dir.
func prepareLMs(dir string, log func(string, ...any)) ([]*model, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var out []*model
	for _, c := range lmContestants {
		base := filepath.Join(dir, fmt.Sprintf("kjv-llama-%s-s%d", c.size, c.seed))
		files, recRaw, err := trainedLM(base, c.size, c.seed, func(f string, a ...any) { log("model %-16s "+f, append([]any{c.name}, a...)...) })
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
		raw, path := files[c.format], base+"."+c.format
		if c.quant != 0 {
			if raw, err = quantizeLM(raw, c.name, c.quant); err != nil {
				return nil, fmt.Errorf("%s: %w", c.name, err)
			}
			path = base + "." + gguf.TypeName(c.quant) + ".gguf"
			if err := os.WriteFile(path, raw, 0o644); err != nil {
				return nil, err
			}
		}
		lm, err := llm.Open(c.format, raw, runtime.DefaultLimits())
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
		sum, rec := sha256.Sum256(raw), sha256.Sum256(recRaw)
		out = append(out, &model{Name: c.name, Description: c.description, Path: path, Format: c.format,
			SystemPrompt: c.prompt, SHA256: hex.EncodeToString(sum[:]), WeightsRoot: hex.EncodeToString(lm.Root[:]),
			RecordHash: hex.EncodeToString(rec[:]), raw: raw, lm: lm, Step: lm.RefereeStep(len(raw))})
	}
	return out, nil
}

// quantizeLM re-encodes a GGUF model with its matrices quantized to typ.
func quantizeLM(raw []byte, name string, typ uint32) ([]byte, error) {
	w, tok, err := llm.Load(raw)
	if err != nil {
		return nil, err
	}
	return llm.SaveAs(w, tok, name, typ)
}

// trainedLM returns a model's GGUF and ONNX bytes and its training record,
// from the cache at base.{gguf,onnx,record.json} or trained afresh.
func trainedLM(base, size string, seed uint64, log func(string, ...any)) (map[string][]byte, []byte, error) {
	recPath := base + ".record.json"
	files := map[string][]byte{}
	if recRaw, err := os.ReadFile(recPath); err == nil {
		var rec llm.Record
		ok := json.Unmarshal(recRaw, &rec) == nil
		for format, want := range map[string]string{"gguf": rec.ModelSHA256, "onnx": rec.ONNXSHA256} {
			raw, err := os.ReadFile(base + "." + format)
			sum := sha256.Sum256(raw)
			ok = ok && err == nil && hex.EncodeToString(sum[:]) == want
			files[format] = raw
		}
		if ok {
			log("cached at %s (its training record matches)", base+".gguf")
			return files, recRaw, nil
		}
	}
	cfg := llm.TrainConfig{Model: llm.Sizes[size], Seed: seed, Steps: lmSteps, Batch: 8, Window: 64, LearningRate: 3e-3, ClipNorm: 1}
	log("training %d steps (%s, seed %d) ...", lmSteps, size, seed)
	gguf, onnx, rec, err := llm.TrainKJV(cfg, filepath.Base(base), 2, nil)
	if err != nil {
		return nil, nil, err
	}
	recRaw, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return nil, nil, err
	}
	files["gguf"], files["onnx"] = gguf, onnx
	for format, raw := range files {
		if err := os.WriteFile(base+"."+format, raw, 0o644); err != nil {
			return nil, nil, err
		}
	}
	if err := os.WriteFile(recPath, recRaw, 0o644); err != nil {
		return nil, nil, err
	}
	log("trained: loss %.3f → %.3f nats per token", rec.FirstLoss, rec.FinalLoss)
	return files, recRaw, nil
}

// lmEstimate is each model's share of the points on 24 held-out verses,
// run here with the entry's system prompt.
func lmEstimate(models []*model) ([]float64, error) {
	tb, err := llm.LoadTextBench(lmBenchmark)
	if err != nil {
		return nil, fmt.Errorf("%s: %w (run make data)", lmBenchmark, err)
	}
	sample, err := bench.Select(bench.SeedFromUint64(7), 24, tb.Len())
	if err != nil {
		return nil, err
	}
	kind, _ := tb.Kind()
	out := make([]float64, len(models))
	for i, m := range models {
		s, err := m.lm.Subject(m.SystemPrompt)
		if err != nil {
			return nil, err
		}
		res, _, err := (&llm.Task{Kind: kind, Cand: s}).Evaluate(tb, sample, false)
		if err != nil {
			return nil, err
		}
		out[i] = float64(res.Points) / float64(len(sample)*llm.PointsPerItem(kind))
	}
	return out, nil
}
