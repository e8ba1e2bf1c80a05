//go:build e2e

package e2e

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
)

// TestLocalnetMarketThroughTheCLI is the market story on a multi-process
// localnet, driven only through the delphid CLI: two models trained by
// `delphid model train` are registered, a market over their evaluation is
// created and traded; validator 3's sidecar is byzantine (it falsifies one
// operator output of model 1), is disputed and jailed; validator 2 is
// killed mid-market and restarted, and catches up; validator 1's sidecar is
// killed and restarted, and resumes from its stored results. The market
// settles, the winner redeems, and no collateral is created or lost.
func TestLocalnetMarketThroughTheCLI(t *testing.T) {
	ln := startLocalnetWith(t, 4, "LOCALNET_FAULTY=3", "LOCALNET_FAULT_MODEL=1", "LOCALNET_FAULT_LEAF=4", "LOCALNET_BENCHMARKS=iris")
	kr := []string{"--home", ln.home(0), "--keyring-backend", "test"}
	// send broadcasts a transaction and returns its result once in a block;
	// a transaction the CLI refuses (its simulation, or the block, failed:
	// exit status 1) is code -1 with the CLI's message.
	send := func(from string, args ...string) (code int, log string) {
		t.Helper()
		out, err := ln.cli(append(append(args, "--from", from, "--chain-id", "delphi-e2e", "--node", ln.rpc(0),
			"--yes", "--output", "json"), kr...)...)
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			require.Equal(t, 1, exit.ExitCode(), err.Error())
			return -1, err.Error()
		}
		require.NoError(t, err, out)
		var res struct {
			Code   int    `json:"code"`
			TxHash string `json:"txhash"`
			RawLog string `json:"raw_log"`
		}
		require.NoError(t, json.Unmarshal([]byte(out), &res), out)
		require.Zero(t, res.Code, res.RawLog)
		var done struct {
			Code   int    `json:"code"`
			RawLog string `json:"raw_log"`
		}
		require.Eventually(t, func() bool {
			out, err := ln.cli("q", "tx", res.TxHash, "--node", ln.rpc(0), "--output", "json")
			return err == nil && json.Unmarshal([]byte(out), &done) == nil
		}, 30*time.Second, 300*time.Millisecond, "tx %s (%v) never made a block", res.TxHash, args)
		return done.Code, done.RawLog
	}
	tx := func(from string, args ...string) {
		t.Helper()
		code, log := send(from, args...)
		require.Zero(t, code, "tx %v: %s", args, log)
	}
	q := func(out any, args ...string) {
		t.Helper()
		raw, err := ln.cli(append(args, "--node", ln.rpc(0), "--output", "json")...)
		require.NoError(t, err, raw)
		require.NoError(t, json.Unmarshal([]byte(raw), out), raw)
	}
	addr := func(name string) string {
		out, err := ln.cli(append([]string{"keys", "show", name, "-a"}, kr...)...)
		require.NoError(t, err)
		return strings.TrimSpace(out)
	}
	supply := func() string {
		var s struct {
			Amount struct{ Amount string } `json:"amount"`
		}
		q(&s, "q", "bank", "total-supply-of", "uusdc")
		return s.Amount.Amount
	}
	supplyBefore := supply()

	// Two real models, trained and registered through the CLI.
	dir := t.TempDir()
	for i, kind := range []string{"logreg", "mlp"} {
		model, record := filepath.Join(dir, kind+".onnx"), filepath.Join(dir, kind+".json")
		_, err := ln.cli("model", "train", "--type", kind, "--dataset", "iris", "--epochs", "60", "--batch-size", "8",
			"--lr", "0.05", "--out", model, "--record", record)
		require.NoError(t, err)
		raw, err := os.ReadFile(record)
		require.NoError(t, err)
		var rec struct {
			ModelSHA256      string `json:"model_sha256"`
			WeightsRoot      string `json:"weights_root"`
			RefereeStepBytes int64  `json:"referee_step_bytes"`
			RefereeStepFLOPs int64  `json:"referee_step_flops"`
		}
		require.NoError(t, json.Unmarshal(raw, &rec))
		tx("alice", "tx", "evaluation", "register-model", fmt.Sprintf("iris-%s-%d", kind, i), rec.ModelSHA256, rec.WeightsRoot,
			"file://"+model, "--format", "onnx", "--referee-step-bytes", fmt.Sprint(rec.RefereeStepBytes),
			"--referee-step-flops", fmt.Sprint(rec.RefereeStepFLOPs))
	}
	tx("alice", "tx", "market", "create-market", "iris: logreg or mlp?", "uusdc", "10000000", "--fee-bps", "100",
		"--spec", `{"benchmark_id":1,"model_ids":[1,2],"rounds":4,"items_per_round":30,"blocks_between_rounds":4,"start_delay":12,"deadline_blocks":60}`)
	var quote struct{ Total string }
	q(&quote, "q", "market", "quote", "1", "buy", "1", "3000000")
	tx("bob", "tx", "market", "buy", "1", "1", "3000000", quote.Total)
	tx("carol", "tx", "market", "buy-for", "1", "0", "2000000", "0")

	// Once the first round is drawn its items can be known: the market (no
	// --reopen-blocks) says so and refuses trades from then on.
	var mq struct {
		Trading struct {
			Open   bool   `json:"open"`
			Reason string `json:"reason"`
		} `json:"trading"`
	}
	require.Eventually(t, func() bool {
		raw, err := ln.cli("q", "market", "market", "1", "--node", ln.rpc(0), "--output", "json")
		mq.Trading.Open, mq.Trading.Reason = false, "" // a false open is left out of the JSON
		return err == nil && json.Unmarshal([]byte(raw), &mq) == nil && !mq.Trading.Open
	}, 60*time.Second, 300*time.Millisecond, "trading never closed")
	require.Contains(t, mq.Trading.Reason, "is drawn") // the first round, or by now every one
	code, log := send("carol", "tx", "market", "buy-for", "1", "1", "2000000", "0")
	require.NotZero(t, code)
	require.Contains(t, log, "trading closed")

	// Validator 2 dies mid-market and comes back.
	ln.kill(t, "node2")
	h := ln.height(0)
	require.Eventually(t, func() bool { return ln.height(0) >= h+3 }, 30*time.Second, 300*time.Millisecond, "3 of 4 go on")
	ln.restartNode(t, 2)
	// Validator 1's sidecar dies and comes back.
	health := fmt.Sprintf("http://127.0.0.1:%d/healthz", ln.base+8+6)
	ln.kill(t, "evaluator1")
	h = ln.height(0)
	require.Eventually(t, func() bool { return ln.height(0) >= h+3 }, 30*time.Second, 300*time.Millisecond)
	stored := countFiles(t, filepath.Join(ln.home(1), "evaluator", "results"), ".json")
	ln.restartSidecar(t, 1)
	require.Eventually(t, func() bool { return ln.height(2) >= ln.height(0)-1 }, 60*time.Second, 500*time.Millisecond,
		"the restarted validator caught up")

	// The market settles on the evaluation.
	var m struct {
		Market struct {
			Status            string   `json:"status"`
			PayoutNumerators  []string `json:"payout_numerators"`
			PayoutDenominator string   `json:"payout_denominator"`
		} `json:"market"`
	}
	if !assert.Eventually(t, func() bool {
		raw, err := ln.cli("q", "market", "market", "1", "--node", ln.rpc(0), "--output", "json")
		return err == nil && json.Unmarshal([]byte(raw), &m) == nil && m.Market.Status == "MARKET_STATUS_RESOLVED"
	}, 180*time.Second, time.Second) {
		// Say where it stopped: the market's status and its evaluation's.
		ev, _ := ln.cli("q", "evaluation", "evaluation", "1", "--node", ln.rpc(0), "--output", "json")
		t.Fatalf("the market never resolved: market %s; evaluation %s", m.Market.Status, ev)
	}

	// Anyone re-runs the market from the chain and the artifacts alone: every
	// final result (the liar's replaced by the disputes) follows from the
	// models, and so do the standings and the payout.
	out, err := ln.cli("verify", "market", "1", "--node", ln.rpc(0), "--artifact-dir", t.TempDir(), "--schemes", "file")
	require.NoError(t, err, out)
	require.Contains(t, out, "verified: every final result of evaluation 1 follows from the registered models")
	require.Contains(t, out, "market 1 settlement follows")
	require.NotContains(t, out, "MISMATCH")
	require.Contains(t, out, "as of height")
	out, err = ln.cli("verify", "evaluation", "7", "--node", ln.rpc(0))
	require.ErrorContains(t, err, "evaluation 7", "an unknown evaluation: %s", out)
	requireExit(t, err, 1)
	// By default verify fetches http(s) only: this network's file://
	// artifacts are findings it could not check (exit 2), not mismatches.
	out, err = ln.cli("verify", "market", "1", "--node", ln.rpc(0), "--artifact-dir", "")
	require.ErrorContains(t, err, "not verified", out)
	require.Contains(t, out, "UNAVAILABLE artifact")
	requireExit(t, err, 2)

	// The restarted sidecar computed only what it had not stored.
	var hz struct{ Results, Stored int }
	getJSON(t, health, &hz)
	require.Equal(t, hz.Stored-stored, hz.Results, "recomputed nothing it had stored (%d before the restart)", stored)

	// The byzantine validator lost its disputes and is jailed.
	var ds struct {
		Disputes []struct {
			Status string `json:"status"`
		} `json:"disputes"`
	}
	q(&ds, "q", "verde", "disputes")
	require.NotEmpty(t, ds.Disputes)
	for _, d := range ds.Disputes {
		require.Equal(t, "DISPUTE_STATUS_CLAIMANT_WON", d.Status)
	}
	var vals struct {
		Validators []struct {
			Jailed      bool `json:"jailed"`
			Description struct {
				Moniker string `json:"moniker"`
			} `json:"description"`
		} `json:"validators"`
	}
	q(&vals, "q", "staking", "validators")
	for _, v := range vals.Validators {
		require.Equal(t, v.Description.Moniker == "node3", v.Jailed, v.Description.Moniker)
	}

	// Everyone with a position redeems; the market module is left empty and
	// the collateral supply is what it was.
	for _, who := range []string{"bob", "carol"} {
		var pos struct{ Positions []any }
		q(&pos, "q", "market", "positions", addr(who))
		if len(pos.Positions) > 0 {
			tx(who, "tx", "market", "redeem", "1")
		}
	}
	require.Equal(t, supplyBefore, supply(), "no collateral created or destroyed")

	// The module invariants, read from outside: x/market holds exactly the
	// markets' escrows and unpaid fees (nothing, once all is redeemed), and
	// x/verde exactly the bonds of its open disputes.
	var ms struct {
		Markets []struct {
			Escrow      string `json:"escrow"`
			CreatorFees string `json:"creator_fees"`
			LpFees      string `json:"lp_fees"`
		} `json:"markets"`
	}
	q(&ms, "q", "market", "markets")
	owed := int64(0)
	for _, m := range ms.Markets {
		for _, v := range []string{m.Escrow, m.CreatorFees, m.LpFees} {
			n, err := strconv.ParseInt(v, 10, 64)
			require.NoError(t, err)
			owed += n
		}
	}
	require.Equal(t, strconv.FormatInt(owed, 10), ln.balance(0, moduleAddress(t, ln, "market"), "uusdc"))
	require.Zero(t, owed, "escrow and fees all paid out")
	var open struct {
		Disputes []struct {
			Challenger struct {
				Bond []struct{ Denom, Amount string } `json:"bond"`
			} `json:"challenger"`
		} `json:"disputes"`
	}
	q(&open, "q", "verde", "disputes", "--open-only")
	bonds := int64(0)
	for _, d := range open.Disputes {
		for _, c := range d.Challenger.Bond {
			n, _ := strconv.ParseInt(c.Amount, 10, 64)
			bonds += n
		}
	}
	// The verde account exists only once a bond was posted: derive it.
	verde := sdk.MustBech32ifyAddressBytes("delphi", authtypes.NewModuleAddress("verde"))
	held := ln.balance(0, verde, "udelphi")
	if held == "" {
		held = "0"
	}
	require.Equal(t, strconv.FormatInt(bonds, 10), held, "x/verde holds exactly the open disputes' bonds")

	// No coin of any denom appeared or vanished unaccounted, over the whole
	// run; every invariant holds on every node; the state exported at one
	// height starts a new chain that a fresh node follows to the same app
	// hash, and the market's outcome and the collateral survive the move.
	ln.checkSupplyLedger(t, 1, ln.height(0)-1)
	ln.restartFromExport(t)
	require.Equal(t, supplyBefore, supply(), "collateral supply after the restart from the export")
	var after struct {
		Market struct {
			Status string `json:"status"`
		} `json:"market"`
	}
	q(&after, "q", "market", "market", "1")
	require.Equal(t, "MARKET_STATUS_RESOLVED", after.Market.Status)
}

func countFiles(t *testing.T, dir, ext string) int {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	n := 0
	for _, e := range entries {
		if filepath.Ext(e.Name()) == ext {
			n++
		}
	}
	return n
}

func getJSON(t *testing.T, url string, out any) {
	t.Helper()
	require.Eventually(t, func() bool {
		res, err := http.Get(url) //nolint:gosec // loopback test URL
		if err != nil {
			return false
		}
		defer res.Body.Close()
		return res.StatusCode == http.StatusOK && json.NewDecoder(res.Body).Decode(out) == nil
	}, 30*time.Second, 300*time.Millisecond, url)
}

// moduleAddress asks the chain for a module account's address.
func moduleAddress(t *testing.T, ln *localnet, name string) string {
	t.Helper()
	out, err := ln.cli("q", "auth", "module-account", name, "--node", ln.rpc(0), "--output", "json")
	require.NoError(t, err, out)
	var res struct {
		Account struct {
			Value struct {
				Address string `json:"address"`
			} `json:"value"`
		} `json:"account"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &res), out)
	require.NotEmpty(t, res.Account.Value.Address, out)
	return res.Account.Value.Address
}

// kill stops one process of the localnet by the pid in its pid file.
func (ln *localnet) kill(t *testing.T, name string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(ln.dir, name+".pid"))
	require.NoError(t, err)
	pid, err := strconv.Atoi(strings.TrimSpace(string(raw)))
	require.NoError(t, err)
	require.NoError(t, syscall.Kill(pid, syscall.SIGTERM))
	require.Eventually(t, func() bool { return syscall.Kill(pid, 0) != nil }, 20*time.Second, 100*time.Millisecond, "%s did not stop", name)
}

// restartNode starts validator i's node again on its home, recording its
// pid where localnet.sh stop finds it.
func (ln *localnet) restartNode(t *testing.T, i int) {
	t.Helper()
	ln.spawn(t, fmt.Sprintf("node%d", i), ln.bin, "start", "--home", ln.home(i), "--log_no_color")
}

// restartSidecar starts validator i's sidecar again with its data dir.
func (ln *localnet) restartSidecar(t *testing.T, i int) {
	t.Helper()
	p := ln.base + 8*i
	ln.spawn(t, fmt.Sprintf("evaluator%d", i), ln.bin, "evaluator", "start", "--home", ln.home(i),
		"--node", ln.rpc(i), "--listen", fmt.Sprintf("127.0.0.1:%d", p+5), "--health", fmt.Sprintf("127.0.0.1:%d", p+6),
		"--from", "validator", "--keyring-backend", "test")
}

func (ln *localnet) spawn(t *testing.T, name string, bin string, args ...string) {
	t.Helper()
	log, err := os.OpenFile(filepath.Join(ln.dir, name+".log"), os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	require.NoError(t, err)
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = log, log
	require.NoError(t, cmd.Start())
	require.NoError(t, os.WriteFile(filepath.Join(ln.dir, name+".pid"), []byte(strconv.Itoa(cmd.Process.Pid)), 0o644))
	go func() { _ = cmd.Wait(); _ = log.Close() }()
}

// requireExit: err is the exit of a command with status code.
func requireExit(t *testing.T, err error, code int) {
	t.Helper()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	require.Equal(t, code, exit.ExitCode(), err.Error())
}
