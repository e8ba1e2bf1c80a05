//go:build e2e

package e2e

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// rpcGet reads one CometBFT RPC endpoint of node i into out's "result".
func (ln *localnet) rpcGet(t *testing.T, i int, path string, out any) {
	t.Helper()
	url := fmt.Sprintf("http://127.0.0.1:%d/%s", ln.base+8*i+1, path)
	res, err := http.Get(url) //nolint:gosec // loopback test URL
	require.NoError(t, err, url)
	defer res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode, url)
	var env struct{ Result json.RawMessage }
	require.NoError(t, json.NewDecoder(res.Body).Decode(&env), url)
	require.NoError(t, json.Unmarshal(env.Result, out), url)
}

// totalSupply is every denom's supply after block height.
func (ln *localnet) totalSupply(t *testing.T, height int) sdk.Coins {
	t.Helper()
	out, err := ln.cli("q", "bank", "total-supply", "--height", strconv.Itoa(height), "--node", ln.rpc(0), "--output", "json")
	require.NoError(t, err, out)
	var res struct {
		Supply []struct{ Denom, Amount string } `json:"supply"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &res), out)
	coins := sdk.NewCoins()
	for _, c := range res.Supply {
		coins = coins.Add(parseCoins(t, c.Amount+c.Denom)...)
	}
	return coins
}

func parseCoins(t *testing.T, s string) sdk.Coins {
	t.Helper()
	coins, err := sdk.ParseCoinsNormalized(s)
	require.NoError(t, err, s)
	return coins
}

type abciEvent struct {
	Type       string `json:"type"`
	Attributes []struct {
		Key   string `json:"key"`
		Value string `json:"value"`
	} `json:"attributes"`
}

// checkSupplyLedger proves no coin of any denom appears or vanishes
// unaccounted: the supply after block to is the supply after block from,
// plus every coin the bank minted and minus every coin it burned in the
// blocks between, as their events record them (inflation mints udelphi,
// slashing burns it; nothing may mint or burn the collateral).
func (ln *localnet) checkSupplyLedger(t *testing.T, from, to int) {
	t.Helper()
	minted, burned := sdk.NewCoins(), sdk.NewCoins()
	for h := from + 1; h <= to; h++ {
		var res struct {
			TxsResults []struct {
				Events []abciEvent `json:"events"`
			} `json:"txs_results"`
			FinalizeBlockEvents []abciEvent `json:"finalize_block_events"`
		}
		ln.rpcGet(t, 0, fmt.Sprintf("block_results?height=%d", h), &res)
		events := res.FinalizeBlockEvents
		for _, tx := range res.TxsResults {
			events = append(events, tx.Events...)
		}
		for _, ev := range events {
			for _, a := range ev.Attributes {
				switch {
				case ev.Type == "coinbase" && a.Key == "amount":
					minted = minted.Add(parseCoins(t, a.Value)...)
				case ev.Type == "burn" && a.Key == "amount":
					burned = burned.Add(parseCoins(t, a.Value)...)
				}
			}
		}
	}
	start, end := ln.totalSupply(t, from), ln.totalSupply(t, to)
	require.True(t, end.Equal(start.Add(minted...).Sub(burned...)),
		"supply %s after block %d is not %s + minted %s − burned %s", end, to, start, minted, burned)
	require.True(t, minted.AmountOf("uusdc").IsZero() && burned.AmountOf("uusdc").IsZero(), "collateral minted or burned")
	require.True(t, minted.AmountOf("udelphi").IsPositive(), "inflation minted nothing in %d blocks", to-from)
	t.Logf("supply ledger over blocks %d..%d: minted %s, burned %s, supply %s", from+1, to, minted, burned, end)
}

// restartFromExport stops the localnet, checks every invariant on every
// node's store, exports each node's state at one height (all four must be
// identical), and starts a new chain from that export on the same
// validators with their data wiped. Node 3 (the jailed validator, not in
// the new set) joins last as a fresh node and block-syncs; it must compute
// the same app hash as the validators. Returns the export's height.
func (ln *localnet) restartFromExport(t *testing.T) int {
	t.Helper()
	h := ln.height(0)
	for i := 1; i < 4; i++ {
		h = min(h, ln.height(i))
	}
	require.Positive(t, h)
	out, err := ln.script("stop")
	require.NoError(t, err, out)

	var export []byte
	for i := 0; i < 4; i++ {
		out, err := ln.cli("invariants", "--home", ln.home(i))
		require.NoError(t, err, "node%d: %s", i, out)
		require.Contains(t, out, "0 broken", "node%d", i)
		file := filepath.Join(ln.dir, fmt.Sprintf("export%d.json", i))
		out, err = ln.cli("export", "--home", ln.home(i), "--height", strconv.Itoa(h), "--output-document", file)
		require.NoError(t, err, out)
		raw, err := os.ReadFile(file)
		require.NoError(t, err)
		if i == 0 {
			export = raw
		} else {
			require.Equal(t, string(export), string(raw), "node%d exports a different state at height %d", i, h)
		}
	}
	var doc struct {
		InitialHeight json.Number `json:"initial_height"`
	}
	require.NoError(t, json.Unmarshal(export, &doc))
	require.Equal(t, strconv.Itoa(h+1), doc.InitialHeight.String())
	// The export keeps the old chain's genesis time, and CometBFT stamps the
	// initial block with it; a new chain starts now, after the old blocks.
	var fields map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(export, &fields))
	now, err := json.Marshal(time.Now().UTC().Format(time.RFC3339Nano))
	require.NoError(t, err)
	fields["genesis_time"] = now
	export, err = json.MarshalIndent(fields, "", "  ")
	require.NoError(t, err)

	for i := 0; i < 4; i++ {
		out, err := ln.cli("comet", "unsafe-reset-all", "--home", ln.home(i))
		require.NoError(t, err, out)
		require.NoError(t, os.WriteFile(filepath.Join(ln.home(i), "config", "genesis.json"), export, 0o644))
	}
	for i := 0; i < 3; i++ {
		ln.restartNode(t, i)
	}
	require.Eventually(t, func() bool { return ln.height(0) >= h+4 }, 90*time.Second, 500*time.Millisecond,
		"the chain restarted from the export at height %d never produced blocks", h+1)

	ln.restartNode(t, 3)
	target := ln.height(0)
	require.Eventually(t, func() bool { return ln.height(3) >= target }, 90*time.Second, 500*time.Millisecond,
		"the fresh node never caught up")
	var info struct {
		Response struct {
			Height  string `json:"last_block_height"`
			AppHash string `json:"last_block_app_hash"`
		} `json:"response"`
	}
	ln.rpcGet(t, 3, "abci_info", &info)
	applied, err := strconv.Atoi(info.Response.Height)
	require.NoError(t, err)
	// The validators' block after it carries their app hash of that state.
	require.Eventually(t, func() bool { return ln.height(0) > applied }, 30*time.Second, 300*time.Millisecond)
	var blk struct {
		Block struct {
			Header struct {
				AppHash string `json:"app_hash"`
			} `json:"header"`
		} `json:"block"`
	}
	ln.rpcGet(t, 0, fmt.Sprintf("block?height=%d", applied+1), &blk)
	require.NotEmpty(t, info.Response.AppHash)
	// abci_info gives the hash in base64, the header in hex.
	require.Equal(t, strings.ToUpper(blk.Block.Header.AppHash), b64ToHex(t, info.Response.AppHash),
		"the fresh node's app hash at height %d differs from the validators'", applied)
	t.Logf("restarted from the export at height %d; the fresh node agrees on the app hash at height %d", h, applied)
	return h
}

func b64ToHex(t *testing.T, s string) string {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(s)
	require.NoError(t, err, s)
	return strings.ToUpper(hex.EncodeToString(raw))
}
