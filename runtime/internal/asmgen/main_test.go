package main

import (
	"bytes"
	"os"
	"testing"
)

// TestGeneratedFilesUpToDate: the committed assembly is what the generator
// writes (go generate ./runtime/ after editing it).
func TestGeneratedFilesUpToDate(t *testing.T) {
	for name, want := range map[string][]byte{"gemm_amd64.s": amd64(), "gemm_arm64.s": arm64()} {
		got, err := os.ReadFile("../../" + name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("runtime/%s differs from runtime/internal/asmgen's output: run go generate ./runtime/", name)
		}
	}
}
