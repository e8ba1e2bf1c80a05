package main_test

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
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// delphid is the binary under test, built once by TestMain.
var delphid string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "delphid-cli-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	delphid = filepath.Join(dir, "delphid")
	build := exec.Command("go", "build", "-o", delphid, ".")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build delphid:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// run executes delphid and returns stdout, stderr and the error.
func run(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	cmd := exec.Command(delphid, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	return out.String(), errOut.String(), err
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, err := run(t, args...)
	require.NoError(t, err, "delphid %s\nstdout: %s\nstderr: %s", strings.Join(args, " "), out, errOut)
	return out
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// initHome runs the standard single-validator flow: init, keys add,
// add-genesis-account, gentx, collect-gentxs.
func initHome(t *testing.T, chainID string) (home, valAddr, bobAddr string) {
	t.Helper()
	home = t.TempDir()
	kr := []string{"--home", home, "--keyring-backend", "test"}
	mustRun(t, "init", "node0", "--chain-id", chainID, "--home", home)
	mustRun(t, append([]string{"keys", "add", "val"}, kr...)...)
	mustRun(t, append([]string{"keys", "add", "bob"}, kr...)...)
	valAddr = strings.TrimSpace(mustRun(t, append([]string{"keys", "show", "val", "-a"}, kr...)...))
	bobAddr = strings.TrimSpace(mustRun(t, append([]string{"keys", "show", "bob", "-a"}, kr...)...))
	mustRun(t, append([]string{"genesis", "add-genesis-account", valAddr, "1000000000udelphi,1000000000uusdc"}, kr...)...)
	mustRun(t, append([]string{"genesis", "gentx", "val", "100000000udelphi", "--chain-id", chainID}, kr...)...)
	mustRun(t, "genesis", "collect-gentxs", "--home", home)
	addGenesisBenchmark(t, home)
	return home, valAddr, bobAddr
}

// addGenesisBenchmark registers a benchmark in the genesis file, as a chain
// launch would, so markets can be created from the CLI.
func addGenesisBenchmark(t *testing.T, home string) {
	t.Helper()
	path := filepath.Join(home, "config", "genesis.json")
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var gen map[string]any
	require.NoError(t, json.Unmarshal(raw, &gen))
	eval := gen["app_state"].(map[string]any)["evaluation"].(map[string]any)
	eval["benchmarks"] = []any{map[string]any{
		"id": "1", "name": "iris", "task": "tabular-classification", "metric": "accuracy",
		"dataset_sha256": strings.Repeat("ab", 32), "dataset_uris": []string{"file:///usr/share/delphi/iris"},
		"item_count": "150", "registrant": "", "item_root": strings.Repeat("ef", 32),
	}}
	eval["next_benchmark_id"] = "2"
	raw, err = json.MarshalIndent(gen, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, raw, 0o600))
}

func TestCLIStartSendQuery(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a node")
	}
	const chainID = "delphi-cli"
	home, valAddr, bobAddr := initHome(t, chainID)

	rpc := fmt.Sprintf("tcp://127.0.0.1:%d", freePort(t))
	node := exec.Command(delphid, "start", "--home", home,
		"--rpc.laddr", rpc,
		"--p2p.laddr", fmt.Sprintf("tcp://127.0.0.1:%d", freePort(t)),
		"--proxy_app", fmt.Sprintf("tcp://127.0.0.1:%d", freePort(t)),
		"--grpc.address", fmt.Sprintf("127.0.0.1:%d", freePort(t)),
		"--api.address", fmt.Sprintf("tcp://127.0.0.1:%d", freePort(t)),
		"--rpc.pprof_laddr", "")
	var nodeLog bytes.Buffer
	node.Stdout, node.Stderr = &nodeLog, &nodeLog
	require.NoError(t, node.Start())
	t.Cleanup(func() {
		_ = node.Process.Kill()
		_ = node.Wait()
	})

	// Wait for blocks past the vote-extension enable height.
	require.Eventually(t, func() bool {
		out, _, err := run(t, "status", "--node", rpc)
		if err != nil {
			return false
		}
		var st struct {
			SyncInfo struct {
				Height string `json:"latest_block_height"`
			} `json:"sync_info"`
		}
		if json.Unmarshal([]byte(out), &st) != nil {
			return false
		}
		h, err := strconv.Atoi(st.SyncInfo.Height)
		return err == nil && h >= 3
	}, 60*time.Second, 500*time.Millisecond, "node did not produce blocks:\n%s", nodeLog.String())

	var info struct {
		ChainID  string `json:"chain_id"`
		VEHeight string `json:"vote_extensions_enable_height"`
	}
	require.NoError(t, json.Unmarshal([]byte(mustRun(t, "q", "chain", "info", "--node", rpc, "--output", "json")), &info))
	require.Equal(t, chainID, info.ChainID)
	require.Equal(t, "2", info.VEHeight)

	out := mustRun(t, "tx", "bank", "send", valAddr, bobAddr, "777uusdc", "--from", "val",
		"--home", home, "--keyring-backend", "test", "--chain-id", chainID, "--node", rpc,
		"--yes", "--output", "json")
	var res struct {
		Code   int    `json:"code"`
		TxHash string `json:"txhash"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &res), out)
	require.Zero(t, res.Code, out)

	require.Eventually(t, func() bool {
		out, _, err := run(t, "q", "bank", "balance", bobAddr, "uusdc", "--node", rpc, "--output", "json")
		return err == nil && balanceAmount(t, out) == "777"
	}, 30*time.Second, 500*time.Millisecond, "bob never received 777uusdc")

	// The sender paid exactly the amount (gas price is zero by default).
	bal := mustRun(t, "q", "bank", "balance", valAddr, "uusdc", "--node", rpc, "--output", "json")
	require.Equal(t, "999999223", balanceAmount(t, bal))

	// A module command from autocli: register a model, read it back.
	const sha = "0d715376572e8983a7c6e8d0e0a5b1d2f1e3c4b5a6978877665544332211aabb"
	out = mustRun(t, "tx", "evaluation", "register-model", "zoo-cnn", sha, sha, "file:///models/zoo.onnx",
		"--format", "onnx", "--referee-step-bytes", "100000", "--referee-step-flops", "1000000", "--from", "val", "--home", home, "--keyring-backend", "test",
		"--chain-id", chainID, "--node", rpc, "--yes", "--output", "json")
	require.NoError(t, json.Unmarshal([]byte(out), &res), out)
	require.Zero(t, res.Code, out)
	require.Eventually(t, func() bool {
		out, _, err := run(t, "q", "evaluation", "model", "1", "--node", rpc, "--output", "json")
		return err == nil && strings.Contains(out, "zoo-cnn") && strings.Contains(out, sha)
	}, 30*time.Second, 500*time.Millisecond, "model never registered")

	// Markets from the CLI: a second model, a market over both, a quote, a
	// buy, the position and the prices.
	tx := func(args ...string) {
		t.Helper()
		out := mustRun(t, append(args, "--from", "val", "--home", home, "--keyring-backend", "test",
			"--chain-id", chainID, "--node", rpc, "--yes", "--output", "json")...)
		require.NoError(t, json.Unmarshal([]byte(out), &res), out)
		require.Zero(t, res.Code, out)
		require.Eventually(t, func() bool {
			out, _, err := run(t, "q", "tx", res.TxHash, "--node", rpc, "--output", "json")
			return err == nil && strings.Contains(out, `"code":0`)
		}, 30*time.Second, 500*time.Millisecond, "tx %s never committed", res.TxHash)
	}
	tx("tx", "evaluation", "register-model", "zoo-mlp", strings.Repeat("cd", 32), sha, "file:///models/mlp.onnx", "--format", "onnx",
		"--referee-step-bytes", "100000", "--referee-step-flops", "1000000")
	tx("tx", "market", "create-market", "iris: cnn or mlp?", "uusdc", "10000000", "--fee-bps", "100",
		"--spec", `{"benchmark_id":1,"model_ids":[1,2],"rounds":1,"items_per_round":10,"blocks_between_rounds":2,"start_delay":200,"deadline_blocks":50}`)
	var quote struct {
		Total string `json:"total"`
	}
	// Outcomes by the model's name, by model:ID or by index: the same
	// outcome, the same quote.
	for _, outcome := range []string{"zoo-mlp", "model:2", "1"} {
		var q struct {
			Total string `json:"total"`
		}
		require.NoError(t, json.Unmarshal([]byte(mustRun(t, "q", "market", "quote", "1", "buy", outcome, "2000000",
			"--node", rpc, "--output", "json")), &q))
		require.NotEmpty(t, q.Total)
		if quote.Total != "" {
			require.Equal(t, quote.Total, q.Total, outcome)
		}
		quote = q
	}
	tx("tx", "market", "buy", "1", "zoo-mlp", "2000000", quote.Total)
	var positions struct {
		Positions []struct {
			Shares []string `json:"shares"`
		} `json:"positions"`
		Outcomes []struct {
			ModelNames []string `json:"model_names"`
		} `json:"outcomes"`
	}
	require.NoError(t, json.Unmarshal([]byte(mustRun(t, "q", "market", "positions", valAddr, "--node", rpc, "--output", "json")), &positions))
	require.Len(t, positions.Positions, 1)
	require.Equal(t, []string{"0", "2000000"}, positions.Positions[0].Shares, "the name bought outcome 1")
	require.Len(t, positions.Outcomes, 1)
	require.Equal(t, []string{"zoo-cnn", "zoo-mlp"}, positions.Outcomes[0].ModelNames)
	var prices struct {
		Prices     []string `json:"prices"`
		ModelNames []string `json:"model_names"`
	}
	require.NoError(t, json.Unmarshal([]byte(mustRun(t, "q", "market", "prices", "1", "--node", rpc, "--output", "json")), &prices))
	require.Len(t, prices.Prices, 2)
	require.Equal(t, []string{"zoo-cnn", "zoo-mlp"}, prices.ModelNames)
	require.True(t, prices.Prices[1] > prices.Prices[0], "buying outcome 1 raised its price: %v", prices.Prices)
	for _, q := range [][]string{{"market", "1"}, {"history", "1"}, {"markets"}, {"params"}} {
		out := mustRun(t, append(append([]string{"q", "market"}, q...), "--node", rpc, "--output", "json")...)
		require.True(t, json.Valid([]byte(out)), out)
	}
	// A refused transaction is an error with the chain's reason: exit
	// status 1, one line on stderr, no source paths, no gRPC wrapping, and
	// nothing signed. The simulation catches it before signing.
	signed := func() uint64 {
		var acc struct {
			Account struct {
				Value struct {
					Sequence string `json:"sequence"`
				} `json:"value"`
			} `json:"account"`
		}
		require.NoError(t, json.Unmarshal([]byte(mustRun(t, "q", "auth", "account", valAddr, "--node", rpc, "--output", "json")), &acc))
		n, err := strconv.ParseUint(acc.Account.Value.Sequence, 10, 64)
		require.NoError(t, err)
		return n
	}
	refused := func(want string, args ...string) {
		t.Helper()
		before := signed()
		stdout, stderr, err := run(t, append(args, "--from", "val", "--home", home, "--keyring-backend", "test",
			"--chain-id", chainID, "--node", rpc, "--yes", "--output", "json")...)
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit, "%v succeeded: %s", args, stdout)
		require.Equal(t, 1, exit.ExitCode(), stderr)
		require.True(t, strings.HasPrefix(stderr, "Error: "), stderr)
		require.Contains(t, stderr, want)
		require.Equal(t, 1, strings.Count(strings.TrimSpace(stderr), "\n")+1, "one line: %s", stderr)
		for _, noise := range []string{".go:", "rpc error", "desc =", "gas used"} {
			require.NotContains(t, stderr, noise)
		}
		require.Equal(t, before, signed(), "%v reached a block", args)
		t.Logf("%v: %s", args, strings.TrimSpace(stderr))
	}
	refused("market not found", "tx", "market", "buy", "99", "0", "5000000", "3100000")
	refused("selling more shares than held", "tx", "market", "sell", "1", "0", "5000", "0")
	refused("slippage limit exceeded", "tx", "market", "buy", "1", "0", "2000000", "1")
	refused("unknown outcome", "tx", "market", "buy", "1", "7", "2000000", "5000000")
	refused("insufficient funds", "tx", "bank", "send", valAddr, bobAddr, "999999999999uusdc")
	refused("negative numbers are not accepted", "tx", "market", "buy", "1", "0", "-5", "0")
	refused("5usdc", "tx", "market", "buy", "1", "0", "5usdc", "0")
	refused(`market 1 has no model named "zoo-gpt"; its outcomes: 0 = zoo-cnn (model:1), 1 = zoo-mlp (model:2)`,
		"tx", "market", "buy", "1", "zoo-gpt", "2000000", "5000000")
	refused("model 9 is not an outcome of market 1", "tx", "market", "sell", "1", "model:9", "5000", "0")
	refused("market 99 not found", "tx", "market", "buy", "99", "zoo-cnn", "5000000", "3100000")

	// With a gas limit there is no simulation: the node takes the
	// transaction and the block refuses it. The command waits for the
	// block and fails with its reason.
	stdout, stderr, err := run(t, "tx", "market", "sell", "1", "0", "5000", "0", "--gas", "300000", "--from", "val", "--home", home,
		"--keyring-backend", "test", "--chain-id", chainID, "--node", rpc, "--yes", "--output", "json")
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, stdout)
	require.Equal(t, 1, exit.ExitCode())
	require.Contains(t, stderr, "failed in block")
	require.Contains(t, stderr, "selling more shares than held")
	var inBlock struct {
		Code   int    `json:"code"`
		Height string `json:"height"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &inBlock), stdout)
	require.Equal(t, 13, inBlock.Code, "x/market's over-sell code, printed from the block")
	require.NotEqual(t, "0", inBlock.Height)

	// The same in --output text (client.toml's default): YAML, read just
	// the same.
	stdout, stderr, err = run(t, "tx", "market", "sell", "1", "0", "5000", "0", "--gas", "300000", "--from", "val", "--home", home,
		"--keyring-backend", "test", "--chain-id", chainID, "--node", rpc, "--yes", "--output", "text")
	require.ErrorAs(t, err, &exit, stdout)
	require.Contains(t, stderr, "failed in block")
	require.Contains(t, stdout, "code: 13")

	// Two quick transactions from one key: each is in a block when its
	// command returns, so the second is signed with the next sequence.
	for i := 0; i < 2; i++ {
		out := mustRun(t, "tx", "market", "buy", "1", "0", "1000000", "5000000", "--from", "val", "--home", home,
			"--keyring-backend", "test", "--chain-id", chainID, "--node", rpc, "--yes", "--output", "json")
		require.NoError(t, json.Unmarshal([]byte(out), &inBlock), out)
		require.Zero(t, inBlock.Code, out)
		require.NotEqual(t, "0", inBlock.Height, "printed from its block")
	}
	// --no-wait returns the node's acceptance at once: no height yet.
	out = mustRun(t, "tx", "market", "buy", "1", "0", "1000000", "5000000", "--no-wait", "--from", "val", "--home", home,
		"--keyring-backend", "test", "--chain-id", chainID, "--node", rpc, "--yes", "--output", "json")
	require.NoError(t, json.Unmarshal([]byte(out), &inBlock), out)
	require.Zero(t, inBlock.Code, out)
	require.Equal(t, "0", inBlock.Height, out)
}

func balanceAmount(t *testing.T, out string) string {
	t.Helper()
	var res struct {
		Balance struct {
			Amount string `json:"amount"`
		} `json:"balance"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		return ""
	}
	return res.Balance.Amount
}
