package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/delphi-network/delphi/runtime/conformance"
)

// TestInspectListsWhatIsRefused: `model inspect` on models the runtime
// refuses (ONNX's own test models) lists every operator and element type
// with what is supported, and says why it refuses, exiting non-zero; on a
// model it runs it still inspects it.
func TestInspectListsWhatIsRefused(t *testing.T) {
	inspect := func(test string) (string, error) {
		cmd := inspectCmd()
		var buf bytes.Buffer
		cmd.SetOut(&buf)
		cmd.SetErr(&buf)
		cmd.SetArgs([]string{filepath.Join(conformance.Root(), test, "model.onnx")})
		err := cmd.Execute()
		return buf.String(), err
	}
	// An operator the runtime lacks.
	out, err := inspect("test_tfidfvectorizer_tf_batch_onlybigrams_skip0")
	if err == nil || !strings.Contains(err.Error(), "the runtime refuses") {
		t.Fatalf("TfIdfVectorizer inspected without a refusal: %v\n%s", err, out)
	}
	for _, want := range []string{"operators:", "TfIdfVectorizer", "NOT SUPPORTED", "element types:", "float32", "refused: "} {
		if !strings.Contains(out, want) {
			t.Fatalf("%q missing from:\n%s", want, out)
		}
	}
	// An element type the runtime lacks, on a supported operator.
	out, err = inspect("test_cast_FLOAT_to_STRING")
	if err == nil {
		t.Fatal("a string output inspected without a refusal")
	}
	if !strings.Contains(out, "Cast") || !strings.Contains(out, "string") || !strings.Contains(out, "NOT SUPPORTED") {
		t.Fatalf("the report does not mark string:\n%s", out)
	}
	sup, err := CheckSupport([]byte("not a model"))
	if err == nil {
		t.Fatalf("garbage read as a model: %+v", sup)
	}
}
