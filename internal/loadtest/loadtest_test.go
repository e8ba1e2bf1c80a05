package loadtest_test

import (
	"context"
	"encoding/hex"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/internal/loadtest"
	"github.com/delphi-network/delphi/runtime/bench"
	"github.com/delphi-network/delphi/testutil/network"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

func TestConfigRefusesUnboundedOrRemoteRuns(t *testing.T) {
	ok := loadtest.DefaultConfig()
	ok.Node = "tcp://127.0.0.1:26601"
	require.NoError(t, ok.Validate())
	for name, mut := range map[string]func(*loadtest.Config){
		"remote node":       func(c *loadtest.Config) { c.Node = "tcp://10.0.0.1:26657" },
		"unknown kind":      func(c *loadtest.Config) { c.Kind = "swap" },
		"no accounts":       func(c *loadtest.Config) { c.Accounts = 0 },
		"falling rates":     func(c *loadtest.Config) { c.Rates = []int{100, 50} },
		"no rates":          func(c *loadtest.Config) { c.Rates = nil },
		"unbounded count":   func(c *loadtest.Config) { c.MaxTxs = 0 },
		"unbounded time":    func(c *loadtest.Config) { c.MaxDuration = 0 },
		"too many markets":  func(c *loadtest.Config) { c.Kind, c.Markets = loadtest.KindMarket, 100_000 },
		"negative position": func(c *loadtest.Config) { c.Positions = -1 },
		"short stage":       func(c *loadtest.Config) { c.Stage = time.Millisecond },
	} {
		c := ok
		mut(&c)
		require.Error(t, c.Validate(), name)
	}
}

// TestLoadAgainstARunningChain runs both kinds of load, briefly, against a
// one-validator CometBFT network: the accounts are funded, markets opened
// and positions seeded, and every stage's transactions are found committed
// in the blocks, none failing.
func TestLoadAgainstARunningChain(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a CometBFT node")
	}
	ds, err := bench.Load("iris")
	require.NoError(t, err, "benchmark data: run `make data`")
	sum, root := ds.SHA256(), ds.ItemRoot()
	net := network.Start(t, network.Setup{Validators: 1, Benchmarks: []evaluationtypes.Benchmark{{Name: "iris",
		Task: "tabular-classification", Metric: "accuracy", DatasetSha256: hex.EncodeToString(sum[:]), ItemRoot: hex.EncodeToString(root[:]),
		DatasetUris: []string{"file:///usr/share/delphi/iris"}, ItemCount: uint64(ds.Len())}}})
	require.NoError(t, net.WaitForHeight(2, 60*time.Second))
	for _, kind := range []string{loadtest.KindBank, loadtest.KindMarket} {
		cfg := loadtest.DefaultConfig()
		cfg.Node, cfg.Home, cfg.From, cfg.ChainID = net.Nodes[0].RPC(), net.Nodes[0].Home, "alice", net.ChainID
		cfg.Kind, cfg.Accounts, cfg.Rates, cfg.Stage, cfg.Seed = kind, 4, []int{10, 20}, 2*time.Second, kind
		if kind == loadtest.KindMarket {
			cfg.Markets, cfg.Positions = 3, 7
		}
		rep, err := loadtest.Run(context.Background(), cfg)
		require.NoError(t, err, kind)
		require.Equal(t, 1, rep.Validators)
		require.Len(t, rep.Stages, 2, kind)
		for _, s := range rep.Stages {
			require.Positive(t, s.Committed, "%s at %d/s", kind, s.Offered)
			require.Zero(t, s.Failed, "%s at %d/s", kind, s.Offered)
			require.Zero(t, s.Refused, "%s at %d/s", kind, s.Offered)
			require.Positive(t, s.GasPerTx)
		}
		require.Positive(t, rep.MaxTPS)
		if kind == loadtest.KindMarket {
			require.Equal(t, 3, rep.Markets)
		}
	}
}
