// Package fetch locates third-party artifacts (model and data files) that
// Delphi does not commit: inside Go modules in the module cache, or inside
// Debian packages, and checks every one against a pinned SHA-256 before it
// is used.
package fetch

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
)

var (
	dirMu    sync.Mutex
	dirCache = map[string]string{}
)

// ModuleDir returns the module cache directory of module@version,
// downloading it through the Go module proxy if needed (`go mod download`,
// which verifies the module against the checksum database). It needs the go
// command on PATH.
func ModuleDir(module, version string) (string, error) {
	key := module + "@" + version
	dirMu.Lock()
	defer dirMu.Unlock()
	if d, ok := dirCache[key]; ok {
		return d, nil
	}
	cmd := exec.Command("go", "mod", "download", "-json", key)
	cmd.Dir = os.TempDir() // outside any module: do not touch the caller's go.mod
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GO111MODULE=on")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var info struct{ Dir, Error string }
	if jerr := json.Unmarshal(out, &info); jerr != nil || info.Dir == "" {
		return "", fmt.Errorf("go mod download %s: %v %s %s", key, err, info.Error, stderr.String())
	}
	dirCache[key] = info.Dir
	return info.Dir, nil
}

// ModuleFile reads a file inside module@version.
func ModuleFile(module, version, rel string) ([]byte, error) {
	dir, err := ModuleDir(module, version)
	if err != nil {
		return nil, err
	}
	return os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
}

// Check compares the SHA-256 of b with a pinned lower-case hex digest.
func Check(what string, b []byte, wantHex string) error {
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != wantHex {
		return fmt.Errorf("%s: sha256 %s, pinned %s", what, got, wantHex)
	}
	return nil
}
