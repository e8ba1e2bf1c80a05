package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/conformance"
)

// TestModelRunWritesWhatONNXExpects: `model run` on an ONNX node test's
// model and inputs (ONNX's own files) writes outputs that read back as
// the expected tensors, bit for bit for an exact operator; a missing, an
// unknown or a malformed input is refused with the model's input names.
func TestModelRunWritesWhatONNXExpects(t *testing.T) {
	dir := filepath.Join(conformance.Root(), "test_add")
	set := filepath.Join(dir, "test_data_set_0")
	raw, err := os.ReadFile(filepath.Join(dir, "model.onnx"))
	if err != nil {
		t.Fatalf("%v (make data extracts libonnx-testdata)", err)
	}
	g, err := runtime.ParseONNX(raw, runtime.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	x, y := g.Inputs[0].Name, g.Inputs[1].Name
	out := t.TempDir()
	run := func(args ...string) (string, error) {
		cmd := runCmd()
		var buf bytes.Buffer
		cmd.SetOut(&buf)
		cmd.SetErr(&buf)
		cmd.SetArgs(args)
		err := cmd.Execute()
		return buf.String(), err
	}
	printed, err := run("--model", filepath.Join(dir, "model.onnx"), "--input", x+"="+filepath.Join(set, "input_0.pb"),
		"--input", y+"="+filepath.Join(set, "input_1.pb"), "--out", out, "--workers", "3")
	if err != nil {
		t.Fatal(err, printed)
	}
	name := g.Outputs[0]
	if !strings.Contains(printed, name+" float32 [3 4 5] -> ") {
		t.Fatalf("printed %q", printed)
	}
	got, err := os.ReadFile(filepath.Join(out, name+".pb"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(set, "output_0.pb"))
	if err != nil {
		t.Fatal(err)
	}
	gt, err := runtime.ParseTensor(got, runtime.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	wt, err := runtime.ParseTensor(want, runtime.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if runtime.OutputHash(gt) != runtime.OutputHash(wt) {
		t.Fatal("the written output is not ONNX's expected tensor")
	}
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--input", x + "=" + filepath.Join(set, "input_0.pb")}, `input "` + y + `" (float32 [3 4 5]) is not given`},
		{[]string{"--input", x + "=" + filepath.Join(set, "input_0.pb"), "--input", y + "=" + filepath.Join(set, "input_1.pb"),
			"--input", "z=" + filepath.Join(set, "input_1.pb")}, `the model has no input "z" (its inputs: ` + x + ", " + y + ")"},
		{[]string{"--input", x}, "want NAME=FILE.pb"},
		{[]string{"--input", x + "=" + filepath.Join(dir, "model.onnx"), "--input", y + "=" + filepath.Join(set, "input_1.pb")}, `input "` + x + `"`},
	} {
		_, err := run(append([]string{"--model", filepath.Join(dir, "model.onnx"), "--out", out}, tc.args...)...)
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Fatalf("%v: %v, want %q", tc.args, err, tc.msg)
		}
	}
}

// TestModelRunShapeFromInput: a model whose output shape is one of its
// inputs' values (ONNX's Reshape test: the shape is a graph input, which
// Compile alone refuses) runs, compiled for the inputs given.
func TestModelRunShapeFromInput(t *testing.T) {
	dir := filepath.Join(conformance.Root(), "test_reshape_reordered_all_dims")
	set := filepath.Join(dir, "test_data_set_0")
	raw, err := os.ReadFile(filepath.Join(dir, "model.onnx"))
	if err != nil {
		t.Fatalf("%v (make data extracts libonnx-testdata)", err)
	}
	lim := runtime.DefaultLimits()
	g, err := runtime.ParseONNX(raw, lim)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := runtime.Compile(g, lim); err == nil {
		t.Fatal("the model compiles without its inputs: it no longer tests a shape taken from an input")
	}
	ins := map[string][]byte{}
	for i, in := range g.RuntimeInputs() {
		if ins[in.Name], err = os.ReadFile(filepath.Join(set, "input_"+string(rune('0'+i))+".pb")); err != nil {
			t.Fatal(err)
		}
	}
	_, outs, err := RunModel(raw, ins, 2)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(set, "output_0.pb"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := runtime.ParseTensor(b, lim)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.OutputHash(outs[0]) != runtime.OutputHash(want) {
		t.Fatalf("output %v, want ONNX's %v", outs[0].Shape, want.Shape)
	}
}
