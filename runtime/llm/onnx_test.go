package llm

import (
	"reflect"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/onnxpb"
)

// The ONNX export is the same program as the GGUF model's graph: evaluating
// either gives the same scores and the same trace root.
func TestONNXExportIsTheSameProgram(t *testing.T) {
	w, tok := tinyWithTokenizer(t)
	raw, err := ExportONNX(w, tok, w.Config.Context, "tiny")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := ExportONNX(w, tok, w.Config.Context, "tiny")
	if string(again) != string(raw) {
		t.Fatal("the export is not deterministic")
	}
	m, err := LoadONNX(raw, runtime.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if m.Tok.Hash() != tok.Hash() || !reflect.DeepEqual(m.Config, w.Config) || m.Window != w.Config.Context {
		t.Fatalf("loaded %+v", m.Config)
	}
	b, err := BuildTextBench("kjv-cloze", someVerses)
	if err != nil {
		t.Fatal(err)
	}
	fromGGUF, _ := NewEvaluator(w, tok, "Answer well.")
	fromONNX, err := NewONNXEvaluator(m, "Answer well.")
	if err != nil {
		t.Fatal(err)
	}
	r1, err := fromGGUF.Evaluate(b, []int{0, 1, 2}, true)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := fromONNX.Evaluate(b, []int{0, 1, 2}, true)
	if err != nil {
		t.Fatal(err)
	}
	if r1 != r2 {
		t.Fatalf("GGUF %+v, ONNX %+v", r1, r2)
	}
}

func TestLoadONNXRefusals(t *testing.T) {
	w, tok := tinyWithTokenizer(t)
	raw, _ := ExportONNX(w, tok, 8, "tiny")
	var mp onnxpb.ModelProto
	if err := proto.Unmarshal(raw, &mp); err != nil {
		t.Fatal(err)
	}
	mp.MetadataProps = mp.MetadataProps[:1] // drop the tokenizer
	bad, _ := proto.Marshal(&mp)
	if _, err := LoadONNX(bad, runtime.DefaultLimits()); err == nil || !strings.Contains(err.Error(), "tokenizer") {
		t.Fatalf("no tokenizer: %v", err)
	}
	if _, err := LoadONNX(raw[:len(raw)/2], runtime.DefaultLimits()); err == nil {
		t.Fatal("a truncated file loaded")
	}
}
