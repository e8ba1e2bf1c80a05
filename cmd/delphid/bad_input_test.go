package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// requireOneLineError checks that delphid failed with a single error line and
// no stack trace.
func requireOneLineError(t *testing.T, want string, args ...string) {
	t.Helper()
	out, errOut, err := run(t, args...)
	require.Error(t, err, "delphid %s should fail; stdout: %s", strings.Join(args, " "), out)
	msg := strings.TrimSpace(errOut)
	require.NotContains(t, msg, "goroutine", "stack trace printed")
	require.NotContains(t, msg, "panic", "panic printed")
	require.Len(t, strings.Split(msg, "\n"), 1, "want one line, got:\n%s", msg)
	require.True(t, strings.HasPrefix(msg, "Error: "), msg)
	require.Contains(t, msg, want)
}

func TestStartRejectsBadHomes(t *testing.T) {
	t.Run("missing home", func(t *testing.T) {
		home := filepath.Join(t.TempDir(), "nowhere")
		requireOneLineError(t, "is not initialised", "start", "--home", home)
	})
	t.Run("corrupt genesis", func(t *testing.T) {
		home, _, _ := initHome(t, "delphi-corrupt")
		require.NoError(t, os.WriteFile(filepath.Join(home, "config", "genesis.json"), []byte(`{"chain_id": 12`), 0o600))
		requireOneLineError(t, "is corrupt", "start", "--home", home)
	})
	t.Run("corrupt config.toml", func(t *testing.T) {
		home, _, _ := initHome(t, "delphi-badcfg")
		require.NoError(t, os.WriteFile(filepath.Join(home, "config", "config.toml"), []byte("[p2p\nladdr = "), 0o600))
		requireOneLineError(t, "config.toml", "start", "--home", home)
	})
	t.Run("unknown denom in genesis", func(t *testing.T) {
		home, _, bob := initHome(t, "delphi-denom")
		mustRun(t, "genesis", "add-genesis-account", bob, "5ufoo", "--home", home, "--keyring-backend", "test")
		requireOneLineError(t, `unknown denom "ufoo"`, "start", "--home", home)
	})
	t.Run("invalid chain id in genesis", func(t *testing.T) {
		home, _, _ := initHome(t, "delphi-chainid")
		gen := filepath.Join(home, "config", "genesis.json")
		raw, err := os.ReadFile(gen)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(gen, []byte(strings.Replace(string(raw), `"delphi-chainid"`, `"bad chain id!"`, 1)), 0o600))
		requireOneLineError(t, "invalid chain id", "start", "--home", home)
	})
}

func TestInitRejectsInvalidChainID(t *testing.T) {
	home := t.TempDir()
	requireOneLineError(t, "invalid chain id", "init", "node0", "--chain-id", "bad chain id!", "--home", home)
	_, err := os.Stat(filepath.Join(home, "config", "genesis.json"))
	require.ErrorIs(t, err, os.ErrNotExist, "no genesis may be written for an invalid chain id")
}

func TestConfigCommand(t *testing.T) {
	home, _, _ := initHome(t, "delphi-config")
	mustRun(t, "config", "set", "client", "chain-id", "delphi-config", "--home", home)
	require.Equal(t, "delphi-config\n", mustRun(t, "config", "get", "client", "chain-id", "--home", home))
	mustRun(t, "config", "set", "comet", "consensus.timeout_commit", "2s", "--home", home)
	require.Equal(t, "2s\n", mustRun(t, "config", "get", "comet", "consensus.timeout_commit", "--home", home))
	mustRun(t, "config", "set", "app", "api.enable", "true", "--home", home)
	require.Equal(t, "true\n", mustRun(t, "config", "get", "app", "api.enable", "--home", home))
	requireOneLineError(t, `no setting "consensus.timeout_comit"`, "config", "set", "comet", "consensus.timeout_comit", "2s", "--home", home)
	requireOneLineError(t, `unknown config file "nope"`, "config", "get", "nope", "x", "--home", home)
}

// TestVerifyRefusesBadInput: ids that are not numbers and a node that does
// not answer are one clear line each, exit non-zero.
func TestVerifyRefusesBadInput(t *testing.T) {
	requireOneLineError(t, `round "x": want a whole number`, "verify", "round", "1", "x")
	requireOneLineError(t, `id "abc": want a whole number`, "verify", "market", "abc")
	requireOneLineError(t, "evaluation 1: node tcp://127.0.0.1:1", "verify", "evaluation", "1", "--node", "tcp://127.0.0.1:1")
}
