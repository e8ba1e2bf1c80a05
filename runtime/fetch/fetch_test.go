package fetch

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	sum := sha256.Sum256([]byte("abc"))
	if err := Check("abc", []byte("abc"), hex.EncodeToString(sum[:])); err != nil {
		t.Fatal(err)
	}
	if err := Check("abc", []byte("abd"), hex.EncodeToString(sum[:])); err == nil || !strings.Contains(err.Error(), "pinned") {
		t.Fatalf("tampered bytes accepted: %v", err)
	}
}

func TestModuleFile(t *testing.T) {
	b, err := ModuleFile("github.com/owulveryck/onnx-go", "v0.5.0", "go.mod")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "module github.com/owulveryck/onnx-go") {
		t.Fatalf("unexpected go.mod: %.60s", b)
	}
	if _, err := ModuleDir("github.com/owulveryck/onnx-go", "v0.0.0-no-such-version"); err == nil {
		t.Fatal("a missing module version resolved")
	}
}
