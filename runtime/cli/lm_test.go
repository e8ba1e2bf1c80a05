package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/delphi-network/delphi/runtime/llm"
)

// A language model through the CLI: trained on the KJV, written as GGUF,
// evaluated on each text benchmark with and without a system prompt.
func TestLlamaTrainAndEval(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "nano.gguf")
	train := func(seed string) llm.Record {
		out, err := execute(t, ModelCmd(), "train", "--type", "llama", "--size", "nano", "--steps", "30", "--batch", "4",
			"--window", "32", "--seed", seed, "--out", model, "--record", filepath.Join(dir, "rec.json"))
		if err != nil {
			t.Fatal(err)
		}
		var rec llm.Record
		if err := json.Unmarshal([]byte(out), &rec); err != nil {
			t.Fatalf("%v in %s", err, out)
		}
		return rec
	}
	other := train("2")
	rec := train("1")
	if rec.ModelSHA256 == other.ModelSHA256 || !(rec.FinalLoss < rec.FirstLoss) {
		t.Fatalf("seed 1 %+v, seed 2 %+v", rec, other)
	}
	raw, err := os.ReadFile(model)
	if err != nil || len(raw) == 0 {
		t.Fatal(err)
	}
	eval := func(bench string, extra ...string) llm.TextResult {
		args := append([]string{"eval", "--model", model, "--benchmark", bench, "--items", "6", "--seed", "4", "--json"}, extra...)
		out, err := execute(t, ModelCmd(), args...)
		if err != nil {
			t.Fatal(err)
		}
		var res llm.TextResult
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%v in %s", err, out)
		}
		return res
	}
	// The ONNX file written beside the GGUF one is the same program.
	onnxModel := strings.TrimSuffix(model, ".gguf") + ".onnx"
	for _, b := range llm.TextBenchNames {
		plain := eval(b)
		out, err := execute(t, ModelCmd(), "eval", "--model", onnxModel, "--benchmark", b, "--items", "6", "--seed", "4", "--json")
		if err != nil {
			t.Fatal(err)
		}
		var viaONNX llm.TextResult
		if err := json.Unmarshal([]byte(out), &viaONNX); err != nil || viaONNX != plain {
			t.Fatalf("%s via ONNX: %+v (%v), via GGUF %+v", b, viaONNX, err, plain)
		}
		if plain.Items != 6 || plain.Scored == 0 || len(plain.TraceRoot) != 64 || plain.Leaves == 0 {
			t.Fatalf("%s: %+v", b, plain)
		}
		if again := eval(b); again != plain {
			t.Fatalf("%s: the same evaluation differs", b)
		}
		prompted := eval(b, "--system-prompt", "Thou art a scribe of the law.")
		if prompted.TraceRoot == plain.TraceRoot {
			t.Fatalf("%s: the system prompt did not change the computation", b)
		}
	}
	judged := eval("kjv-complete", "--judge", model)
	if plain := eval("kjv-complete"); judged.Runs != plain.Runs+2*plain.Items || judged.TraceRoot == plain.TraceRoot {
		t.Fatalf("judged %+v, plain %+v", judged, plain)
	}
	if _, err := execute(t, ModelCmd(), "eval", "--model", model, "--benchmark", "kjv-next", "--judge", model); err == nil {
		t.Fatal("a judge on kjv-next was accepted")
	}
	next := eval("kjv-next")
	if next.BitsPerByte <= 0 || next.BitsPerByte > 8 {
		t.Fatalf("bits per byte %v", next.BitsPerByte)
	}
	if _, err := execute(t, ModelCmd(), "train", "--type", "llama", "--size", "huge", "--out", model); err == nil || !strings.Contains(err.Error(), "unknown size") {
		t.Fatalf("an unknown size: %v", err)
	}
	if _, err := execute(t, ModelCmd(), "eval", "--model", model, "--benchmark", "kjv-nope"); err == nil {
		t.Fatal("an unknown text benchmark was accepted")
	}
	if err := os.WriteFile(model, raw[:len(raw)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := execute(t, ModelCmd(), "eval", "--model", model, "--benchmark", "kjv-next"); err == nil {
		t.Fatal("a truncated GGUF file was evaluated")
	}
}
