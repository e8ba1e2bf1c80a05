package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/llm"
	"github.com/delphi-network/delphi/runtime/text"
	"github.com/delphi-network/delphi/runtime/tokenizer"
)

// `model inspect` on a language model prints what registration needs: the
// file's SHA-256 and the weights root the chain checks (the GGUF weight
// tree, the ONNX initializer tree), and leaves per item that match an
// evaluation's trace.
func TestInspectLanguageModel(t *testing.T) {
	verses, err := text.LoadKJV()
	if err != nil {
		t.Skipf("the KJV: run `make data` (%v)", err)
	}
	tok, err := tokenizer.Train(text.Join(verses[:200]), 300)
	if err != nil {
		t.Fatal(err)
	}
	cfg := llm.Config{Vocab: tok.VocabSize(), Dim: 16, Layers: 1, Heads: 2, Hidden: 24, Context: 48, RopeTheta: 10000, NormEps: 1e-5}
	w, err := llm.Init(cfg, 3)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string][]byte{}
	if files["gguf"], err = llm.Save(w, tok, "tiny", false); err != nil {
		t.Fatal(err)
	}
	if files["onnx"], err = llm.ExportONNX(w, tok, cfg.Context, "tiny"); err != nil {
		t.Fatal(err)
	}
	for format, raw := range files {
		path := filepath.Join(dir, "tiny."+format)
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := execute(t, ModelCmd(), "inspect", "--json", path)
		if err != nil {
			t.Fatal(err)
		}
		var in LMInspection
		if err := json.Unmarshal([]byte(out), &in); err != nil {
			t.Fatalf("%v in %s", err, out)
		}
		m, err := llm.Open(format, raw, runtime.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		if in.Format != format || in.SHA256 != sha256Hex(raw) || in.WeightsRoot != hex.EncodeToString(m.Root[:]) || !reflect.DeepEqual(in.Config, cfg) {
			t.Fatalf("%s: %+v", format, in)
		}
		out, err = execute(t, ModelCmd(), "eval", "--model", path, "--benchmark", "kjv-cloze", "--items", "3", "--json")
		if err != nil {
			t.Fatal(err)
		}
		var res llm.TextResult
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		if res.Leaves != 3*in.LeavesPerItem["kjv-cloze"] {
			t.Fatalf("%s: %d leaves for 3 items, inspect says %d per item", format, res.Leaves, in.LeavesPerItem["kjv-cloze"])
		}
		text, err := execute(t, ModelCmd(), "inspect", path)
		if err != nil || !contains(text, "weights_root "+in.WeightsRoot) {
			t.Fatalf("%s: %v\n%s", format, err, text)
		}
	}
	if _, err := execute(t, ModelCmd(), "inspect", writeFile(t, dir, "bad.gguf", []byte("GGUF garbage"))); err == nil {
		t.Fatal("a garbled GGUF file was inspected")
	}
}

// `benchmark show` on a text benchmark prints its registration: kind,
// items, points per item, hash and item root.
func TestShowTextBenchmark(t *testing.T) {
	if _, err := text.LoadKJV(); err != nil {
		t.Skipf("the KJV: run `make data` (%v)", err)
	}
	for _, name := range llm.TextBenchNames {
		out, err := execute(t, BenchmarkCmd(), "show", name)
		if err != nil {
			t.Fatal(err)
		}
		var info TextBenchmarkInfo
		if err := json.Unmarshal([]byte(out), &info); err != nil {
			t.Fatal(err)
		}
		b, err := llm.LoadTextBench(name)
		if err != nil {
			t.Fatal(err)
		}
		root := b.ItemRoot()
		kind, _ := b.Kind()
		if info.Items != b.Len() || info.SHA256 != b.Hash() || info.ItemRoot != hex.EncodeToString(root[:]) ||
			info.Kind != kind || info.PointsPerItem != llm.PointsPerItem(kind) {
			t.Fatalf("%s: %+v", name, info)
		}
	}
	list, err := execute(t, BenchmarkCmd(), "list")
	if err != nil || !contains(list, "kjv-complete") {
		t.Fatalf("%v\n%s", err, list)
	}
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func writeFile(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
