package evaluator

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	verdetypes "github.com/delphi-network/delphi/x/verde/types"
)

func TestIsTestChain(t *testing.T) {
	for id, want := range map[string]bool{
		"delphi-test-4": true, "delphi-localnet": true, "delphi-demo": true, "delphi-cli": true,
		"delphi-1": false, "delphi-mainnet": false, "cosmoshub-4": false, "": false,
	} {
		require.Equal(t, want, IsTestChain(id), id)
	}
}

// TestFaultRefusedOnARealChain: a sidecar started with the fault option
// against a node whose chain is not a local test chain refuses to run.
func TestFaultRefusedOnARealChain(t *testing.T) {
	// A CometBFT RPC that answers status for chain "delphi-1".
	rpc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
		}
		_ = json.NewDecoder(r.Body).Decode(&req)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"jsonrpc":"2.0","id":` + string(req.ID) + `,"result":{"node_info":{"protocol_version":{"p2p":"8","block":"11","app":"0"},` +
			`"id":"0000000000000000000000000000000000000000","listen_addr":"tcp://127.0.0.1:1","network":"delphi-1","version":"0.40.0",` +
			`"channels":"40","moniker":"m","other":{"tx_index":"on","rpc_address":""}},` +
			`"sync_info":{"latest_block_hash":"","latest_app_hash":"","latest_block_height":"5","latest_block_time":"2026-01-01T00:00:00Z",` +
			`"earliest_block_hash":"","earliest_app_hash":"","earliest_block_height":"1","earliest_block_time":"2026-01-01T00:00:00Z","catching_up":false},` +
			`"validator_info":{"address":"0000000000000000000000000000000000000000","pub_key":{"type":"tendermint/PubKeyEd25519","value":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="},"voting_power":"0"}}}`))
	}))
	defer rpc.Close()
	cfg := DefaultConfig()
	cfg.NodeRPC = "tcp://" + strings.TrimPrefix(rpc.URL, "http://")
	cfg.ListenAddr, cfg.HealthAddr = freeAddr(t), ""
	cfg.DataDir = filepath.Join(t.TempDir(), "ev")
	cfg.Fault = &Fault{Leaf: 3}
	s, err := New(cfg)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = s.Run(ctx)
	require.ErrorContains(t, err, `local test chains only; the node runs "delphi-1"`)
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().String()
}

// TestDesignatedMover: one validator of a side moves first each step, in
// turn; a side without validators lets anyone move.
func TestDesignatedMover(t *testing.T) {
	d := verdetypes.Dispute{Id: 3, Claimant: verdetypes.Party{Validators: []string{"aa", "bb", "cc"}}}
	var firsts []string
	for step := 0; step < 3; step++ {
		d.History = make([]verdetypes.Step, step)
		for _, v := range []string{"aa", "bb", "cc"} {
			if designated(d, verdetypes.SIDE_CLAIMANT, v) {
				firsts = append(firsts, v)
			}
		}
	}
	require.Equal(t, []string{"aa", "bb", "cc"}, firsts, "exactly one per step, in turn")
	require.True(t, designated(d, verdetypes.SIDE_CHALLENGER, "zz"))
}
