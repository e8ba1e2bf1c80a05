//go:build e2e

// Package e2e tests Delphi against a real multi-process localnet started by
// scripts/localnet.sh: separate delphid processes on 127.0.0.1.
package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../..")
	require.NoError(t, err)
	return dir
}

// basePort finds 32 consecutive free loopback ports for 4 validators.
func basePort(t *testing.T) int {
	t.Helper()
	for try := 0; try < 50; try++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		base := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if base+32 > 65000 {
			continue
		}
		ok := true
		for p := base; p < base+32 && ok; p++ {
			l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
			if err != nil {
				ok = false
				break
			}
			l.Close()
		}
		if ok {
			return base
		}
	}
	t.Fatal("no 32 consecutive free ports")
	return 0
}

type localnet struct {
	t    *testing.T
	bin  string
	dir  string
	base int
	env  []string
}

func startLocalnet(t *testing.T, n int) *localnet { return startLocalnetWith(t, n) }

// startLocalnetWith starts a localnet with extra environment for
// scripts/localnet.sh (LOCALNET_FAULTY, LOCALNET_BENCHMARKS, ...).
func startLocalnetWith(t *testing.T, n int, env ...string) *localnet {
	t.Helper()
	bin := os.Getenv("DELPHID")
	require.NotEmpty(t, bin, "set DELPHID to a built delphid (make test-e2e does)")
	ln := &localnet{t: t, bin: bin, dir: filepath.Join(t.TempDir(), "localnet"), base: basePort(t)}
	ln.env = append(append(os.Environ(), "DELPHID="+bin, "LOCALNET_DIR="+ln.dir,
		"LOCALNET_BASE_PORT="+strconv.Itoa(ln.base), "LOCALNET_CHAIN_ID=delphi-e2e"), env...)
	t.Cleanup(func() { ln.script("stop") })
	out, err := ln.script("start", strconv.Itoa(n))
	require.NoError(t, err, out)
	return ln
}

func (ln *localnet) script(args ...string) (string, error) {
	cmd := exec.Command("bash", append([]string{filepath.Join(repoRoot(ln.t), "scripts", "localnet.sh")}, args...)...)
	cmd.Env = ln.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (ln *localnet) rpc(i int) string  { return fmt.Sprintf("tcp://127.0.0.1:%d", ln.base+8*i+1) }
func (ln *localnet) home(i int) string { return filepath.Join(ln.dir, fmt.Sprintf("node%d", i)) }

func (ln *localnet) cli(args ...string) (string, error) {
	cmd := exec.Command(ln.bin, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if err != nil {
		return out.String(), fmt.Errorf("%w: %s", err, errOut.String())
	}
	return out.String(), nil
}

func (ln *localnet) height(i int) int {
	out, err := ln.cli("status", "--node", ln.rpc(i))
	if err != nil {
		return -1
	}
	var st struct {
		SyncInfo struct {
			Height string `json:"latest_block_height"`
		} `json:"sync_info"`
	}
	if json.Unmarshal([]byte(out), &st) != nil {
		return -1
	}
	h, _ := strconv.Atoi(st.SyncInfo.Height)
	return h
}

func (ln *localnet) balance(i int, addr, denom string) string {
	out, err := ln.cli("q", "bank", "balance", addr, denom, "--node", ln.rpc(i), "--output", "json")
	if err != nil {
		return ""
	}
	var res struct {
		Balance struct{ Amount string } `json:"balance"`
	}
	_ = json.Unmarshal([]byte(out), &res)
	return res.Balance.Amount
}

// TestLocalnetTransferAndValidatorLoss: four validator processes agree on a
// transfer; with one of them stopped the other three (3/4 > 2/3 of the
// power) keep committing blocks.
func TestLocalnetTransferAndValidatorLoss(t *testing.T) {
	ln := startLocalnet(t, 4)
	kr := []string{"--home", ln.home(0), "--keyring-backend", "test"}
	alice, err := ln.cli(append([]string{"keys", "show", "alice", "-a"}, kr...)...)
	require.NoError(t, err)
	bob, err := ln.cli(append([]string{"keys", "show", "bob", "-a"}, kr...)...)
	require.NoError(t, err)
	alice, bob = strings.TrimSpace(alice), strings.TrimSpace(bob)
	before := ln.balance(3, bob, "uusdc")
	require.NotEmpty(t, before)

	_, err = ln.cli(append([]string{"tx", "bank", "send", alice, bob, "31337uusdc", "--from", "alice",
		"--chain-id", "delphi-e2e", "--node", ln.rpc(0), "--yes"}, kr...)...)
	require.NoError(t, err)
	want := mustAdd(t, before, 31337)
	for i := 0; i < 4; i++ {
		require.Eventually(t, func() bool { return ln.balance(i, bob, "uusdc") == want },
			30*time.Second, 500*time.Millisecond, "node%d never saw the transfer", i)
	}

	// Stop node3 by its pid; the rest keep going.
	pidRaw, err := os.ReadFile(filepath.Join(ln.dir, "node3.pid"))
	require.NoError(t, err)
	pid, err := strconv.Atoi(strings.TrimSpace(string(pidRaw)))
	require.NoError(t, err)
	require.NoError(t, syscall.Kill(pid, syscall.SIGTERM))
	h := ln.height(0)
	require.Eventually(t, func() bool { return ln.height(0) >= h+3 }, 30*time.Second, 500*time.Millisecond,
		"chain halted with 3 of 4 validators")
}

func mustAdd(t *testing.T, amount string, delta int64) string {
	t.Helper()
	v, err := strconv.ParseInt(amount, 10, 64)
	require.NoError(t, err)
	return strconv.FormatInt(v+delta, 10)
}
