package network

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/cometbft/cometbft/node"
	"github.com/cometbft/cometbft/p2p"
	pvm "github.com/cometbft/cometbft/privval"
	"github.com/cometbft/cometbft/proxy"
	"github.com/cometbft/cometbft/rpc/client/local"
	cmttypes "github.com/cometbft/cometbft/types"
	dbm "github.com/cosmos/cosmos-db"
	"golang.org/x/sync/errgroup"

	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	"github.com/cosmos/cosmos-sdk/server"
	"github.com/cosmos/cosmos-sdk/server/api"
	servergrpc "github.com/cosmos/cosmos-sdk/server/grpc"
	servercmtlog "github.com/cosmos/cosmos-sdk/server/log"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"

	"github.com/delphi-network/delphi/app"
	"github.com/delphi-network/delphi/evaluator"
	"github.com/delphi-network/delphi/internal/localnet"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// Network is a running in-process network.
type Network struct {
	*Layout
	Validators []*Validator

	stopSidecars context.CancelFunc
	sidecars     sync.WaitGroup
	// sidecar holds each running sidecar's config and stop function.
	sidecar map[int]*runningSidecar
}

type runningSidecar struct {
	cfg  evaluator.Config
	stop context.CancelFunc
	done chan struct{}
}

// Setup describes a network to start.
type Setup struct {
	Validators int
	// Benchmarks registered in genesis.
	Benchmarks []evaluationtypes.Benchmark
	// Sidecars starts an evaluator sidecar beside the first Sidecars
	// validators; the others vote without results, like validators whose
	// sidecar is down.
	Sidecars int
	// Faulty lists validators (by index) whose sidecar falsifies operator
	// output FaultLeaf of every run, or with FaultScore reports the honest
	// trace with a wrong score: byzantine evaluators.
	Faulty     []int
	FaultLeaf  int
	FaultScore bool
	// SidecarConfig edits validator i's sidecar config before it starts.
	SidecarConfig func(i int, cfg *evaluator.Config)
	// Tamper makes validators (by index) byzantine at the ABCI level.
	Tamper map[int]app.Tamper
	// BlockTime is CometBFT's timeout_commit (default 1s).
	BlockTime time.Duration
	// NoVoteExtensions leaves vote extensions off (comparisons only).
	NoVoteExtensions bool
	// Genesis edits the app state last (params a test needs).
	Genesis func(cdc codec.Codec, state map[string]json.RawMessage)
}

// Validator is one running in-process validator: a CometBFT node with the
// Delphi app, its gRPC server and its REST server, all on 127.0.0.1.
type Validator struct {
	Node
	App       *app.App
	ClientCtx client.Context

	cmt    *node.Node
	cancel context.CancelFunc
	group  *errgroup.Group
}

// New generates a network of n validators in a temporary directory, starts
// it in this process and stops it when the test ends.
func New(t testing.TB, n int) *Network { return Start(t, Setup{Validators: n}) }

// Start generates and starts the network s describes; it stops when the test
// ends.
func Start(t testing.TB, s Setup) *Network {
	t.Helper()
	n := s.Validators
	layout, err := Generate(Options{
		Dir:              t.TempDir(),
		ChainID:          fmt.Sprintf("delphi-test-%d", n),
		Validators:       n,
		Accounts:         []string{"alice", "bob", "carol"},
		Benchmarks:       s.Benchmarks,
		BlockTime:        s.BlockTime,
		NoVoteExtensions: s.NoVoteExtensions,
		Genesis:          s.Genesis,
	})
	if err != nil {
		t.Fatalf("generate network: %v", err)
	}
	net := &Network{Layout: layout}
	t.Cleanup(net.Stop)
	for i, nd := range layout.Nodes {
		v, err := startValidator(layout, nd, s.Tamper[i])
		if err != nil {
			t.Fatalf("start %s: %v", nd.Moniker, err)
		}
		net.Validators = append(net.Validators, v)
	}
	if s.Sidecars > 0 {
		if err := net.startSidecars(s); err != nil {
			t.Fatalf("start sidecars: %v", err)
		}
	}
	return net
}

// startSidecars runs an evaluator beside the first s.Sidecars validators,
// in this process, each talking to its own node's RPC, serving it on
// loopback and playing Verde disputes with the validator's operator key.
func (n *Network) startSidecars(s Setup) error {
	n.sidecar = map[int]*runningSidecar{}
	n.stopSidecars = func() {
		for _, r := range n.sidecar {
			r.stop()
		}
	}
	for i, nd := range n.Nodes {
		if i >= s.Sidecars {
			break
		}
		cfg := evaluator.DefaultConfig()
		cfg.NodeRPC, cfg.ListenAddr, cfg.HealthAddr = nd.RPC(), nd.EvaluatorAddr(), nd.EvaluatorHealth()
		cfg.DataDir = filepath.Join(nd.Home, "evaluator")
		cfg.PollInterval = 200 * time.Millisecond
		cfg.Signer = &evaluator.SignerConfig{KeyName: "validator", KeyringDir: nd.Home, KeyringBackend: "test", ChainID: n.ChainID}
		for _, f := range s.Faulty {
			if f == i {
				cfg.Fault = &evaluator.Fault{Leaf: s.FaultLeaf, WrongScore: s.FaultScore}
			}
		}
		if s.SidecarConfig != nil {
			s.SidecarConfig(i, &cfg)
		}
		if err := n.runSidecar(i, cfg); err != nil {
			n.stopSidecars()
			return err
		}
	}
	return nil
}

func (n *Network) runSidecar(i int, cfg evaluator.Config) error {
	sc, err := evaluator.New(cfg)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &runningSidecar{cfg: cfg, stop: cancel, done: make(chan struct{})}
	n.sidecar[i] = r
	n.sidecars.Add(1)
	go func() {
		defer n.sidecars.Done()
		defer close(r.done)
		_ = sc.Run(ctx)
	}()
	return nil
}

// StopSidecar stops validator i's sidecar and waits for it to exit.
func (n *Network) StopSidecar(i int) {
	if r := n.sidecar[i]; r != nil {
		r.stop()
		<-r.done
	}
}

// StartSidecar starts validator i's stopped sidecar again with the same
// config and data directory, as an operator restarting the process would.
func (n *Network) StartSidecar(i int) error {
	r := n.sidecar[i]
	if r == nil {
		return fmt.Errorf("validator %d has no sidecar", i)
	}
	n.StopSidecar(i)
	return n.runSidecar(i, r.cfg)
}

func startValidator(l *Layout, nd Node, tamper app.Tamper) (*Validator, error) {
	cfg := l.CometConfig(nd)
	// CometBFT's consensus reactor runs a per-peer maj23 query loop that
	// Node.Stop does not wait for; if it wakes after the block store is
	// closed it panics ("leveldb: closed") and takes the test binary down.
	// In-process networks live for seconds, so let the loop sleep past them.
	cfg.Consensus.PeerQueryMaj23SleepDuration = 24 * time.Hour
	appCfg := AppConfig(nd)
	logger := log.NewNopLogger()
	if os.Getenv("DELPHI_NETWORK_LOG") != "" { // debugging a test: every node logs to stderr
		logger = log.NewLogger(os.Stderr).With("node", nd.Moniker)
	}

	a := app.New(logger, dbm.NewMemDB(), localnet.AppOptions{"home": nd.Home, "evaluator.enabled": appCfg.Evaluator.Enabled,
		"evaluator.address": appCfg.Evaluator.Address, "evaluator.timeout": appCfg.Evaluator.Timeout},
		baseapp.SetChainID(l.ChainID), baseapp.SetMinGasPrices(appCfg.MinGasPrices))
	a.SetTamper(tamper)
	nodeKey, err := p2p.LoadNodeKey(cfg.NodeKeyFile())
	if err != nil {
		return nil, err
	}
	genesis := func() (*cmttypes.GenesisDoc, error) {
		g, err := genutiltypes.AppGenesisFromFile(cfg.GenesisFile())
		if err != nil {
			return nil, err
		}
		return g.ToGenesisDoc()
	}
	cmtNode, err := node.NewNode(cfg,
		pvm.LoadFilePV(cfg.PrivValidatorKeyFile(), cfg.PrivValidatorStateFile()),
		nodeKey, proxy.NewLocalClientCreator(server.NewCometABCIWrapper(a)), genesis,
		cmtcfg.DefaultDBProvider, node.DefaultMetricsProvider(cfg.Instrumentation),
		servercmtlog.CometLoggerWrapper{Logger: logger})
	if err != nil {
		return nil, err
	}
	if err := cmtNode.Start(); err != nil {
		return nil, err
	}
	kr, err := keyring.New(sdk.KeyringServiceName(), keyring.BackendTest, nd.Home, nil, a.AppCodec())
	if err != nil {
		return nil, err
	}
	clientCtx := client.Context{}.
		WithCodec(a.AppCodec()).
		WithInterfaceRegistry(a.InterfaceRegistry()).
		WithTxConfig(a.TxConfig()).
		WithLegacyAmino(a.LegacyAmino()).
		WithAccountRetriever(authtypes.AccountRetriever{}).
		WithChainID(l.ChainID).
		WithHomeDir(nd.Home).
		WithKeyring(kr).
		WithClient(local.New(cmtNode)).
		WithNodeURI(nd.RPC())
	a.RegisterTxService(clientCtx)
	a.RegisterTendermintService(clientCtx)
	a.RegisterNodeService(clientCtx, appCfg.Config)

	ctx, cancel := context.WithCancel(context.Background())
	group, ctx := errgroup.WithContext(ctx)
	grpcSrv, clientCtx, err := servergrpc.NewGRPCServerAndContext(clientCtx, a, appCfg.GRPC, logger)
	if err != nil {
		cancel()
		return nil, err
	}
	group.Go(func() error { return servergrpc.StartGRPCServer(ctx, logger, appCfg.GRPC, grpcSrv) })
	apiSrv := api.New(clientCtx, logger, grpcSrv)
	a.RegisterAPIRoutes(apiSrv, appCfg.API)
	group.Go(func() error { return apiSrv.Start(ctx, appCfg.Config) })

	return &Validator{Node: nd, App: a, ClientCtx: clientCtx, cmt: cmtNode, cancel: cancel, group: group}, nil
}

// Stop shuts every validator down: servers first, then consensus, then the app.
func (n *Network) Stop() {
	if n.stopSidecars != nil {
		n.stopSidecars()
		n.sidecars.Wait()
		n.stopSidecars = nil
	}
	for _, v := range n.Validators {
		v.cancel()
		_ = v.group.Wait()
		if v.cmt.IsRunning() {
			_ = v.cmt.Stop()
			v.cmt.Wait()
		}
		_ = v.App.Close()
	}
	n.Validators = nil
}

// Height is the latest block height validator 0 has committed.
func (n *Network) Height() int64 { return n.Validators[0].App.LastBlockHeight() }

// WaitForHeight waits until validator 0 has committed height h.
func (n *Network) WaitForHeight(h int64, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for n.Height() < h {
		if time.Now().After(deadline) {
			return fmt.Errorf("height %d not reached in %s (at %d)", h, timeout, n.Height())
		}
		time.Sleep(100 * time.Millisecond)
	}
	return nil
}

// ConsAddressHex is the validator's consensus address in lower-case hex, as
// results and disputes name validators.
func (v *Validator) ConsAddressHex() string {
	pk, err := v.cmt.PrivValidator().GetPubKey()
	if err != nil {
		return ""
	}
	return hex.EncodeToString(pk.Address())
}
