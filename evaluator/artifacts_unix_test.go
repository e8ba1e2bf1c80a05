//go:build unix

package evaluator

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// Found by the second review: fromDir stat'ed the path, then opened it, so
// a symlink or FIFO swapped in between was followed, or blocked the read.
// The file is opened without following links or blocking and checked on
// the opened descriptor.
func TestTheArtifactDirFollowsNoLinkAndNeverBlocks(t *testing.T) {
	dir := t.TempDir()
	body := bytes.Repeat([]byte("weights "), 1<<10)
	m := evaluationtypes.Model{Id: 1, Name: "m", Format: "gguf", WeightsSha256: sha(body)}
	a := newArtifacts(Fetcher{}, dir)
	target := filepath.Join(t.TempDir(), "elsewhere")
	require.NoError(t, os.WriteFile(target, body, 0o600))
	require.NoError(t, os.Symlink(target, filepath.Join(dir, sha(body))))
	_, ok := a.fromDir(m, int64(len(body)))
	require.False(t, ok, "a symlink")
	require.NoError(t, os.Remove(filepath.Join(dir, sha(body))))
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, sha(body)), 0o600))
	_, ok = a.fromDir(m, int64(len(body)))
	require.False(t, ok, "a FIFO")
}
