// Package loadtest measures a running Delphi chain's transaction
// throughput from outside, the way users load it: signed transactions
// broadcast to a node's RPC at rising offered rates, counted as they commit.
//
// A run funds its own accounts from a keyring account, optionally creates
// open markets and seeds positions in them, then goes through stages: each
// offers transactions at a fixed rate for a fixed time, and the committed
// rate is read back from the blocks (successful transactions over the
// blocks' own timestamps). It stops at the first stage where the chain no
// longer keeps up: the mempool backs up or refuses transactions. It talks
// only to the node it is given and stops after a bounded count and time.
package loadtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/delphi-network/delphi/internal/txsend"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	markettypes "github.com/delphi-network/delphi/x/market/types"
)

// Kinds of load.
const (
	KindBank   = "bank"   // MsgSend of 1uusdc between load accounts
	KindMarket = "market" // MsgBuyShares / MsgSellShares on open markets
)

// Config is one run.
type Config struct {
	Node    string // CometBFT RPC, e.g. tcp://127.0.0.1:26601 (loopback only)
	Home    string // home whose test keyring holds From
	From    string // funded keyring account that pays for the run's accounts
	ChainID string
	Kind    string

	Accounts     int           // load accounts, each signing its own sequence
	Rates        []int         // offered tx/s, one stage each, rising
	Stage        time.Duration // length of a stage
	Markets      int           // open markets the market load spreads over
	Positions    int           // positions seeded in those markets before the load
	MaxTxs       int           // stop after this many sent transactions
	MaxDuration  time.Duration // stop after this long in all
	Seed         string        // derives the accounts' keys
	BacklogRatio float64       // mempool backlog, in seconds of the offered rate, that counts as backed up
	Log          io.Writer
}

// DefaultConfig is a run that saturates a localnet on a small machine
// within a few minutes.
func DefaultConfig() Config {
	return Config{Kind: KindBank, Accounts: 96, Rates: []int{100, 200, 400, 800, 1200, 1600, 2000, 2400, 2800, 3200},
		Stage: 6 * time.Second, Markets: 1, MaxTxs: 150_000, MaxDuration: 10 * time.Minute, Seed: "delphi",
		BacklogRatio: 2, Log: io.Discard}
}

// Validate refuses a configuration that could not run or would not stop.
func (c Config) Validate() error {
	switch {
	case c.Kind != KindBank && c.Kind != KindMarket:
		return fmt.Errorf("kind must be %q or %q, got %q", KindBank, KindMarket, c.Kind)
	case !strings.HasPrefix(c.Node, "tcp://127.0.0.1:") && !strings.HasPrefix(c.Node, "http://127.0.0.1:"):
		return fmt.Errorf("node %q: the load generator only talks to 127.0.0.1", c.Node)
	case c.Accounts < 1 || c.Accounts > 1000:
		return fmt.Errorf("accounts must be 1..1000, got %d", c.Accounts)
	case len(c.Rates) == 0:
		return errors.New("no rates")
	case c.Stage < time.Second:
		return errors.New("a stage must last at least a second")
	case c.MaxTxs < 1 || c.MaxDuration <= 0:
		return errors.New("max txs and max duration bound the run and must be positive")
	case c.Kind == KindMarket && (c.Markets < 1 || c.Markets > 5000):
		return fmt.Errorf("markets must be 1..5000, got %d", c.Markets)
	case c.Positions < 0 || c.Positions > 100_000:
		return fmt.Errorf("positions must be 0..100000, got %d", c.Positions)
	case c.BacklogRatio <= 0:
		return errors.New("backlog ratio must be positive")
	}
	for i, r := range c.Rates {
		if r < 1 || (i > 0 && r <= c.Rates[i-1]) {
			return fmt.Errorf("rates must be positive and rising, got %v", c.Rates)
		}
	}
	return nil
}

// Stage is one offered rate's outcome.
type Stage struct {
	Offered      int     `json:"offered_tps"`
	Sent         int     `json:"sent"`
	Refused      int     `json:"refused"` // by the node (CheckTx or a full mempool)
	Dropped      int     `json:"dropped"` // not offered: every account was waiting on the node
	Committed    int     `json:"committed"`
	Failed       int     `json:"failed"`
	Blocks       int64   `json:"blocks"`
	Seconds      float64 `json:"seconds"`
	CommittedTPS float64 `json:"committed_tps"`
	GasPerTx     float64 `json:"gas_per_tx"`
	Backlog      int     `json:"mempool_backlog"`
	BackedUp     bool    `json:"backed_up"`
}

// Report is a run's result.
type Report struct {
	Kind       string  `json:"kind"`
	ChainID    string  `json:"chain_id"`
	Validators int     `json:"validators"`
	Accounts   int     `json:"accounts"`
	Markets    int     `json:"markets,omitempty"`
	Positions  int     `json:"positions,omitempty"`
	Stages     []Stage `json:"stages"`
	MaxTPS     float64 `json:"max_committed_tps"`
	BlockMs    float64 `json:"mean_block_ms"`
}

// runner is a run's connections and accounts.
type runner struct {
	cfg    Config
	rpc    *rpchttp.HTTP
	cctx   client.Context
	market markettypes.QueryClient
	eval   evaluationtypes.QueryClient
	load   []*account
	setup  *account
	ids    []uint64 // markets the load trades on
	state  []*trader
	logf   func(format string, args ...any)
}

// Run executes the configuration against the chain and reports.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.MaxDuration)
	defer cancel()
	r, err := dial(cfg)
	if err != nil {
		return nil, err
	}
	if err := r.prepare(ctx); err != nil {
		return nil, fmt.Errorf("setup: %w", err)
	}
	vals, err := r.rpc.Validators(ctx, nil, nil, nil)
	if err != nil {
		return nil, err
	}
	rep := &Report{Kind: cfg.Kind, ChainID: cfg.ChainID, Validators: vals.Total, Accounts: cfg.Accounts}
	if cfg.Kind == KindMarket {
		rep.Markets, rep.Positions = len(r.ids), cfg.Positions
	}
	sent, blocks, blockSecs := 0, int64(0), 0.0
	for _, rate := range cfg.Rates {
		// A stage needs a few blocks' worth of its rate to mean anything.
		if cfg.MaxTxs-sent < 3*rate || ctx.Err() != nil {
			break
		}
		if err := r.drain(ctx); err != nil {
			return rep, err
		}
		st, err := r.stage(ctx, rate, cfg.MaxTxs-sent)
		if err != nil {
			return rep, err
		}
		r.logf("offered %4d tx/s: sent %5d, refused %4d, dropped %4d, committed %5d (failed %d) in %d blocks (%.1f tx/s, %.0f gas/tx), backlog %d\n",
			st.Offered, st.Sent, st.Refused, st.Dropped, st.Committed, st.Failed, st.Blocks, st.CommittedTPS, st.GasPerTx, st.Backlog)
		rep.Stages = append(rep.Stages, st)
		rep.MaxTPS = max(rep.MaxTPS, st.CommittedTPS)
		sent += st.Sent
		blocks += st.Blocks
		blockSecs += st.Seconds
		if st.BackedUp {
			break
		}
	}
	if blocks > 0 {
		rep.BlockMs = blockSecs / float64(blocks) * 1000
	}
	return rep, nil
}

func dial(cfg Config) (*runner, error) {
	rpc, err := rpchttp.New(cfg.Node, "/websocket")
	if err != nil {
		return nil, err
	}
	cctx, err := txsend.ClientContext(rpc, cfg.Home, keyring.BackendTest, cfg.ChainID,
		banktypes.RegisterInterfaces, markettypes.RegisterInterfaces, evaluationtypes.RegisterInterfaces)
	if err != nil {
		return nil, err
	}
	r := &runner{cfg: cfg, rpc: rpc, cctx: cctx, market: markettypes.NewQueryClient(cctx),
		eval: evaluationtypes.NewQueryClient(cctx),
		logf: func(format string, args ...any) { fmt.Fprintf(cfg.Log, format, args...) }}
	for i := 0; i < cfg.Accounts; i++ {
		r.load = append(r.load, newAccount(cfg.Seed, i))
	}
	r.setup = newAccount(cfg.Seed, -1)
	return r, nil
}
