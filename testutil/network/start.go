package network

import (
	"context"
	"fmt"
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
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	"github.com/cosmos/cosmos-sdk/server"
	"github.com/cosmos/cosmos-sdk/server/api"
	servergrpc "github.com/cosmos/cosmos-sdk/server/grpc"
	servercmtlog "github.com/cosmos/cosmos-sdk/server/log"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"

	"github.com/delphi-network/delphi/app"
)

// Network is a running in-process network.
type Network struct {
	*Layout
	Validators []*Validator
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
func New(t testing.TB, n int) *Network {
	t.Helper()
	layout, err := Generate(Options{
		Dir:        t.TempDir(),
		ChainID:    fmt.Sprintf("delphi-test-%d", n),
		Validators: n,
		Accounts:   []string{"alice", "bob"},
	})
	if err != nil {
		t.Fatalf("generate network: %v", err)
	}
	net := &Network{Layout: layout}
	t.Cleanup(net.Stop)
	for _, nd := range layout.Nodes {
		v, err := startValidator(layout, nd)
		if err != nil {
			t.Fatalf("start %s: %v", nd.Moniker, err)
		}
		net.Validators = append(net.Validators, v)
	}
	return net
}

func startValidator(l *Layout, nd Node) (*Validator, error) {
	cfg := l.CometConfig(nd)
	appCfg := AppConfig(nd)
	logger := log.NewNopLogger()

	a := app.New(logger, dbm.NewMemDB(), appOptions{"home": nd.Home},
		baseapp.SetChainID(l.ChainID), baseapp.SetMinGasPrices(appCfg.MinGasPrices))
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
	a.RegisterNodeService(clientCtx, *appCfg)

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
	group.Go(func() error { return apiSrv.Start(ctx, *appCfg) })

	return &Validator{Node: nd, App: a, ClientCtx: clientCtx, cmt: cmtNode, cancel: cancel, group: group}, nil
}

// Stop shuts every validator down: servers first, then consensus, then the app.
func (n *Network) Stop() {
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
