package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/llm"
	"github.com/delphi-network/delphi/runtime/train"
	"github.com/delphi-network/delphi/runtime/zoo"
)

// model is one contestant: a real ONNX artifact on disk, its hashes, and
// how it came to be.
type model struct {
	Name        string
	Description string
	Path        string
	Format      string // "onnx" or "gguf"
	// SystemPrompt is what a language model's registration prepends to
	// every item.
	SystemPrompt string
	SHA256       string
	WeightsRoot  string
	RecordHash   string // SHA-256 of the training record; empty for the zoo model
	// Step is the largest Verde referee step, which the registration declares.
	Step   runtime.RefereeStep
	raw    []byte
	loaded *runtime.Model // a classifier
	lm     *llm.Model     // a language model
}

// contestants are four genuinely different MNIST classifiers: the ONNX
// model zoo's published CNN and three the project trains itself,
// deterministically, on the MNIST training set.
//
// delphi-cnn declares twice its smallest referee step: from runtime
// version 3 that room lets its whole network be one trace group per image
// (fewer bytes hashed, a larger referee step), so the demo's disputes play
// both a model declared at its smallest step and one declared with room.
var contestants = []struct {
	name, description string
	kind              string // "" for the zoo model
	room              bool   // declares twice its smallest referee step
}{
	{"zoo-cnn", "ONNX model zoo MNIST CNN (published weights)", "", false},
	{"delphi-cnn", "convolutional net trained by delphid (1 epoch)", "cnn", true},
	{"delphi-mlp", "multilayer perceptron trained by delphid (1 epoch)", "mlp", false},
	{"delphi-logreg", "logistic regression trained by delphid (1 epoch)", "logreg", false},
}

// prepareModels writes (or reuses, when the cached bytes still hash to the
// cached record) every contestant under dir.
func prepareModels(dir string, log func(string, ...any)) ([]*model, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var out []*model
	for _, c := range contestants {
		m := &model{Name: c.name, Description: c.description, Path: filepath.Join(dir, c.name+".onnx"), Format: "onnx"}
		recPath := filepath.Join(dir, c.name+".record.json")
		if c.kind == "" {
			raw, err := zoo.MNIST()
			if err != nil {
				return nil, err
			}
			m.raw = raw
			log("model %-14s from the ONNX model zoo", c.name)
		} else if raw, err := os.ReadFile(m.Path); err == nil && cachedOK(raw, recPath) {
			m.raw = raw
			log("model %-14s cached at %s (its training record matches)", c.name, m.Path)
		} else {
			raw, rec, err := train.Train(train.DefaultConfig(c.kind, "mnist-train"))
			if err != nil {
				return nil, fmt.Errorf("train %s: %w", c.name, err)
			}
			recRaw, err := json.MarshalIndent(rec, "", "  ")
			if err != nil {
				return nil, err
			}
			if err := os.WriteFile(recPath, recRaw, 0o644); err != nil {
				return nil, err
			}
			m.raw = raw
			log("model %-14s trained: %.1f%% on its last training epoch", c.name, 100*rec.TrainAccuracy)
		}
		if err := os.WriteFile(m.Path, m.raw, 0o644); err != nil {
			return nil, err
		}
		if c.kind != "" {
			recRaw, err := os.ReadFile(recPath)
			if err != nil {
				return nil, err
			}
			sum := sha256.Sum256(recRaw)
			m.RecordHash = hex.EncodeToString(sum[:])
		}
		loaded, err := runtime.LoadModel(m.raw, runtime.DefaultLimits())
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
		sum, root := sha256.Sum256(m.raw), loaded.Weights().Root()
		m.SHA256, m.WeightsRoot, m.loaded = hex.EncodeToString(sum[:]), hex.EncodeToString(root[:]), loaded
		if m.Step, err = loaded.RefereeStep(); err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
		if c.room {
			m.Step = runtime.RefereeStep{Bytes: 2 * m.Step.Bytes, FLOPs: 2 * m.Step.FLOPs}
		}
		out = append(out, m)
	}
	return out, nil
}

// cachedOK accepts a cached trained artifact only with its record, whose
// model hash must be the artifact's.
func cachedOK(raw []byte, recPath string) bool {
	recRaw, err := os.ReadFile(recPath)
	if err != nil {
		return false
	}
	var rec train.Record
	if json.Unmarshal(recRaw, &rec) != nil {
		return false
	}
	sum := sha256.Sum256(raw)
	return rec.ModelSHA256 == hex.EncodeToString(sum[:])
}
