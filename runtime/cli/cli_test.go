package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/delphi-network/delphi/runtime"
)

func execute(t *testing.T, cmd *cobra.Command, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&bytes.Buffer{})
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), err
}

func TestModelEvalJSON(t *testing.T) {
	out, err := execute(t, ModelCmd(), "eval", "--model", "zoo:mnist", "--benchmark", "mnist", "--items", "200", "--seed", "9", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var res runtime.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	for _, k := range []string{"model_sha256", "benchmark", "items", "correct", "accuracy", "trace_root", "leaves"} {
		if !strings.Contains(out, `"`+k+`"`) {
			t.Fatalf("JSON lacks %s: %s", k, out)
		}
	}
	// Version 3 (the default) without a declaration commits version 2's 4
	// fused groups per image.
	if res.Items != 200 || res.Correct < 190 || res.Leaves != 200*(4+runtime.ScoreLeaves) || len(res.TraceRoot) != 64 {
		t.Fatalf("unexpected result %+v", res)
	}
	v1, err := execute(t, ModelCmd(), "eval", "--model", "zoo:mnist", "--benchmark", "mnist", "--items", "200", "--seed", "9", "--json", "--runtime-version", "1")
	if err != nil {
		t.Fatal(err)
	}
	var res1 runtime.Result
	if err := json.Unmarshal([]byte(v1), &res1); err != nil {
		t.Fatalf("%v in %s", err, v1)
	}
	if res1.Correct != res.Correct || res1.Leaves != 200*(12+runtime.ScoreLeaves) || res1.TraceRoot == res.TraceRoot {
		t.Fatalf("version 1: %+v, version 2: %+v", res1, res)
	}
	// Declared at twice its smallest referee step (33,738 bytes, 1,254,400
	// FLOPs), the whole CNN is one group: the same score, one leaf an image.
	roomy, err := execute(t, ModelCmd(), "eval", "--model", "zoo:mnist", "--benchmark", "mnist", "--items", "200", "--seed", "9", "--json",
		"--referee-step-bytes", "67476", "--referee-step-flops", "2508800")
	if err != nil {
		t.Fatal(err)
	}
	var res3 runtime.Result
	if err := json.Unmarshal([]byte(roomy), &res3); err != nil {
		t.Fatalf("%v in %s", err, roomy)
	}
	if res3.Correct != res.Correct || res3.Leaves != 200*(1+runtime.ScoreLeaves) || res3.TraceRoot == res.TraceRoot {
		t.Fatalf("declared with room: %+v, without: %+v", res3, res)
	}
	if _, err := execute(t, ModelCmd(), "eval", "--model", "zoo:mnist", "--benchmark", "mnist", "--items", "2",
		"--referee-step-bytes", "30000", "--referee-step-flops", "2508800"); err == nil || !strings.Contains(err.Error(), "declared") {
		t.Fatalf("a declaration below the smallest step: %v", err)
	}
	if _, err := execute(t, ModelCmd(), "eval", "--model", "zoo:mnist", "--benchmark", "mnist", "--items", "2", "--runtime-version", "9"); err == nil || !strings.Contains(err.Error(), "runtime version 9") {
		t.Fatalf("an unknown runtime version: %v", err)
	}
	again, _ := execute(t, ModelCmd(), "eval", "--model", "zoo:mnist", "--benchmark", "mnist", "--items", "200", "--seed", "9", "--json")
	if again != out {
		t.Fatal("same command, different output")
	}
	if _, err := execute(t, ModelCmd(), "eval", "--model", "zoo:mnist", "--benchmark", "mnist", "--backend", "cuda"); err == nil {
		t.Fatal("cuda backend should be refused in this build")
	}
	if _, err := execute(t, ModelCmd(), "eval", "--model", "zoo:mnist", "--benchmark", "nope"); err == nil {
		t.Fatal("unknown benchmark accepted")
	}
}

func TestModelTrainInspect(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "m.onnx")
	rec := filepath.Join(dir, "m.json")
	if _, err := execute(t, ModelCmd(), "train", "--type", "logreg", "--limit", "2000", "--out", out, "--record", rec); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	m, err := runtime.LoadModel(b, runtime.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		ModelSHA256 string `json:"model_sha256"`
	}
	rb, _ := os.ReadFile(rec)
	if err := json.Unmarshal(rb, &r); err != nil || r.ModelSHA256 != m.SHA256Hex() {
		t.Fatalf("record %s does not match the model %s", rb, m.SHA256Hex())
	}
	text, err := execute(t, ModelCmd(), "inspect", "--json", out)
	if err != nil {
		t.Fatal(err)
	}
	var in Inspection
	if err := json.Unmarshal([]byte(text), &in); err != nil {
		t.Fatal(err)
	}
	if in.Parameters != 7851 || in.OpCounts["Gemm"] != 1 || in.SHA256 != m.SHA256Hex() || len(in.Initializers) != 3 {
		t.Fatalf("inspection %+v", in)
	}
}

func TestBenchmarkCommands(t *testing.T) {
	out, err := execute(t, BenchmarkCmd(), "list")
	if err != nil || !strings.Contains(out, "fashion-mnist") || !strings.Contains(out, "iris") {
		t.Fatalf("list: %v %s", err, out)
	}
	out, err = execute(t, BenchmarkCmd(), "show", "iris")
	if err != nil {
		t.Fatal(err)
	}
	var info BenchmarkInfo
	if err := json.Unmarshal([]byte(out), &info); err != nil || info.Items != 150 || info.SHA256 != "58e626b975e5e67a9ac15037e74209cc9e3da2e5798a63b67797a1df67b142f3" {
		t.Fatalf("show iris: %v %s", err, out)
	}
}
