package localnet

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"
	cmttypes "github.com/cometbft/cometbft/types"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	signingtypes "github.com/cosmos/cosmos-sdk/types/tx/signing"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"github.com/cosmos/cosmos-sdk/x/genutil"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/delphi-network/delphi/app"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// Options describe a network to generate.
type Options struct {
	// Dir receives one home per validator: Dir/node0, Dir/node1, ...
	Dir string
	// ChainID of the new chain.
	ChainID string
	// Validators is the number of validators (at least 1).
	Validators int
	// Accounts are extra funded accounts, created in node0's keyring.
	Accounts []string
	// BasePort is the first of 8 consecutive ports per validator on
	// 127.0.0.1 (p2p, rpc, abci, grpc, api, evaluator, evaluator health,
	// spare). Zero picks free ports.
	BasePort int
	// BlockTime is CometBFT's timeout_commit.
	BlockTime time.Duration
	// Benchmarks are registered in genesis (as if by governance), with ids
	// from 1 in this order.
	Benchmarks []evaluationtypes.Benchmark
	// NoVoteExtensions leaves vote extensions off (for comparisons only:
	// no result can reach the chain without them).
	NoVoteExtensions bool
	// Genesis edits the app state last (params a test needs).
	Genesis func(cdc codec.Codec, state map[string]json.RawMessage)
}

// Ports a validator and its evaluator sidecar listen on, all on 127.0.0.1.
type Ports struct {
	P2P, RPC, ABCI, GRPC, API, Evaluator, EvaluatorHealth int
}

// Node is one generated validator home.
type Node struct {
	Moniker string
	Home    string
	NodeID  string
	Address sdk.AccAddress
	ValAddr sdk.ValAddress
	Ports   Ports
}

// RPC is the node's CometBFT RPC address.
func (n Node) RPC() string { return fmt.Sprintf("tcp://127.0.0.1:%d", n.Ports.RPC) }

// API is the node's REST base URL.
func (n Node) API() string { return fmt.Sprintf("http://127.0.0.1:%d", n.Ports.API) }

// EvaluatorAddr is the sidecar's gRPC address.
func (n Node) EvaluatorAddr() string { return fmt.Sprintf("127.0.0.1:%d", n.Ports.Evaluator) }

// EvaluatorHealth is the sidecar's health and metrics address.
func (n Node) EvaluatorHealth() string { return fmt.Sprintf("127.0.0.1:%d", n.Ports.EvaluatorHealth) }

// GRPC is the node's gRPC address.
func (n Node) GRPC() string { return fmt.Sprintf("127.0.0.1:%d", n.Ports.GRPC) }

// Layout is a generated network: its nodes and the accounts it funded.
type Layout struct {
	ChainID   string
	BlockTime time.Duration
	Nodes     []Node
	Accounts  map[string]sdk.AccAddress
}

const (
	// validatorFunds is what each validator account starts with, per denom.
	validatorFunds = 1_000_000_000_000
	// accountFunds is what each extra account starts with, per denom.
	accountFunds = 100_000_000_000
	// selfBond is each validator's initial stake.
	selfBond = 100_000_000_000
)

// Generate writes the homes of a new network: keys, a shared genesis with
// every validator's gentx and vote extensions from
// app.DefaultVoteExtensionsEnableHeight, and configs that listen on loopback
// only and peer the validators with each other.
func Generate(opts Options) (*Layout, error) {
	if opts.Validators < 1 {
		return nil, fmt.Errorf("a network needs at least one validator, got %d", opts.Validators)
	}
	if err := app.ValidateChainID(opts.ChainID); err != nil {
		return nil, err
	}
	if opts.BlockTime == 0 {
		opts.BlockTime = time.Second
	}
	tmpApp := newTempApp()
	enc := tmpApp.EncodingConfig()
	layout := &Layout{ChainID: opts.ChainID, BlockTime: opts.BlockTime, Accounts: map[string]sdk.AccAddress{}}

	var (
		accounts []authtypes.GenesisAccount
		balances []banktypes.Balance
		gentxs   []sdk.Tx
	)
	fund := func(addr sdk.AccAddress, amount int64) {
		accounts = append(accounts, authtypes.NewBaseAccount(addr, nil, 0, 0))
		balances = append(balances, banktypes.Balance{Address: addr.String(), Coins: sdk.NewCoins(
			sdk.NewCoin(app.BondDenom, math.NewInt(amount)), sdk.NewCoin(app.CollateralDenom, math.NewInt(amount)))})
	}

	ports, err := allocatePorts(opts.BasePort, opts.Validators)
	if err != nil {
		return nil, err
	}
	for i := 0; i < opts.Validators; i++ {
		node := Node{Moniker: fmt.Sprintf("node%d", i), Home: filepath.Join(opts.Dir, fmt.Sprintf("node%d", i)), Ports: ports[i]}
		cmtCfg := nodeConfig(node, opts.BlockTime)
		if err := os.MkdirAll(filepath.Join(node.Home, "config"), 0o755); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(filepath.Join(node.Home, "data"), 0o755); err != nil {
			return nil, err
		}
		nodeID, valPubKey, err := genutil.InitializeNodeValidatorFiles(cmtCfg)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", node.Moniker, err)
		}
		node.NodeID = nodeID
		kr, err := keyring.New(sdk.KeyringServiceName(), keyring.BackendTest, node.Home, nil, enc.Codec)
		if err != nil {
			return nil, err
		}
		addr, err := newKey(kr, "validator")
		if err != nil {
			return nil, err
		}
		node.Address, node.ValAddr = addr, sdk.ValAddress(addr)
		fund(addr, validatorFunds)
		gentx, err := makeGentx(enc, kr, opts.ChainID, node, valPubKey)
		if err != nil {
			return nil, fmt.Errorf("%s gentx: %w", node.Moniker, err)
		}
		gentxs = append(gentxs, gentx)
		if i == 0 {
			for _, name := range opts.Accounts {
				a, err := newKey(kr, name)
				if err != nil {
					return nil, err
				}
				layout.Accounts[name] = a
				fund(a, accountFunds)
			}
		}
		layout.Nodes = append(layout.Nodes, node)
	}

	genesis, err := buildGenesis(tmpApp, enc, opts, accounts, balances, gentxs)
	if err != nil {
		return nil, err
	}
	for _, n := range layout.Nodes {
		if err := writeNodeFiles(n, layout, genesis); err != nil {
			return nil, fmt.Errorf("%s: %w", n.Moniker, err)
		}
	}
	return layout, nil
}

// newKey creates a secp256k1 key in the node's test keyring, which the CLI
// reads with --home and --keyring-backend test.
func newKey(kr keyring.Keyring, name string) (sdk.AccAddress, error) {
	rec, _, err := kr.NewMnemonic(name, keyring.English, sdk.FullFundraiserPath, keyring.DefaultBIP39Passphrase, hd.Secp256k1)
	if err != nil {
		return nil, fmt.Errorf("key %s: %w", name, err)
	}
	return rec.GetAddress()
}

func makeGentx(enc app.EncodingConfig, kr keyring.Keyring, chainID string, node Node, pub cryptotypes.PubKey) (sdk.Tx, error) {
	msg, err := stakingtypes.NewMsgCreateValidator(
		node.ValAddr.String(), pub, sdk.NewCoin(app.BondDenom, math.NewInt(selfBond)),
		stakingtypes.NewDescription(node.Moniker, "", "", "", ""),
		stakingtypes.NewCommissionRates(math.LegacyNewDecWithPrec(10, 2), math.LegacyNewDecWithPrec(20, 2), math.LegacyNewDecWithPrec(1, 2)),
		math.OneInt(),
	)
	if err != nil {
		return nil, err
	}
	b := enc.TxConfig.NewTxBuilder()
	if err := b.SetMsgs(msg); err != nil {
		return nil, err
	}
	b.SetGasLimit(200_000)
	b.SetMemo(fmt.Sprintf("%s@127.0.0.1:%d", node.NodeID, node.Ports.P2P))
	txf := tx.Factory{}.WithChainID(chainID).WithKeybase(kr).WithTxConfig(enc.TxConfig).
		WithSignMode(signingtypes.SignMode_SIGN_MODE_DIRECT)
	if err := tx.Sign(context.Background(), txf, "validator", b, true); err != nil {
		return nil, err
	}
	return b.GetTx(), nil
}

func buildGenesis(a *app.App, enc app.EncodingConfig, opts Options, accounts []authtypes.GenesisAccount,
	balances []banktypes.Balance, gentxs []sdk.Tx,
) (*genutiltypes.AppGenesis, error) {
	cdc := enc.Codec
	state := a.DefaultGenesis()

	var auth authtypes.GenesisState
	cdc.MustUnmarshalJSON(state[authtypes.ModuleName], &auth)
	packed, err := authtypes.PackAccounts(accounts)
	if err != nil {
		return nil, err
	}
	auth.Accounts = append(auth.Accounts, packed...)
	state[authtypes.ModuleName] = cdc.MustMarshalJSON(&auth)

	var bank banktypes.GenesisState
	cdc.MustUnmarshalJSON(state[banktypes.ModuleName], &bank)
	bank.Balances = append(bank.Balances, balances...)
	supply := sdk.NewCoins()
	for _, b := range balances {
		supply = supply.Add(b.Coins...)
	}
	bank.Supply = supply
	bank.Balances = banktypes.SanitizeGenesisBalances(bank.Balances)
	state[banktypes.ModuleName] = cdc.MustMarshalJSON(&bank)

	var eval evaluationtypes.GenesisState
	cdc.MustUnmarshalJSON(state[evaluationtypes.ModuleName], &eval)
	for i, b := range opts.Benchmarks {
		b.Id = uint64(i + 1)
		if b.Registrant == "" {
			b.Registrant = authtypes.NewModuleAddress("gov").String()
		}
		eval.Benchmarks = append(eval.Benchmarks, b)
	}
	eval.NextBenchmarkId = uint64(len(eval.Benchmarks) + 1)
	state[evaluationtypes.ModuleName] = cdc.MustMarshalJSON(&eval)

	state, err = genutil.SetGenTxsInAppGenesisState(cdc, enc.TxConfig.TxJSONEncoder(), state, gentxs)
	if err != nil {
		return nil, err
	}
	if opts.Genesis != nil {
		opts.Genesis(cdc, state)
	}
	raw, err := json.MarshalIndent(state, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := a.ValidateGenesis(raw); err != nil {
		return nil, err
	}
	gen := genutiltypes.NewAppGenesisWithVersion(opts.ChainID, raw)
	gen.GenesisTime = time.Now().UTC().Truncate(time.Second)
	params := cmttypes.DefaultConsensusParams()
	if !opts.NoVoteExtensions {
		params.ABCI.VoteExtensionsEnableHeight = app.DefaultVoteExtensionsEnableHeight
	}
	gen.Consensus = &genutiltypes.ConsensusGenesis{Params: params}
	return gen, gen.ValidateAndComplete()
}

// nodeConfig is CometBFT's config for one node: loopback listeners only,
// no pprof, local peers allowed.
func nodeConfig(n Node, blockTime time.Duration) *cmtcfg.Config {
	cfg := cmtcfg.DefaultConfig()
	cfg.SetRoot(n.Home)
	cfg.Moniker = n.Moniker
	cfg.P2P.ListenAddress = fmt.Sprintf("tcp://127.0.0.1:%d", n.Ports.P2P)
	cfg.RPC.ListenAddress = n.RPC()
	cfg.ProxyApp = fmt.Sprintf("tcp://127.0.0.1:%d", n.Ports.ABCI)
	cfg.RPC.PprofListenAddress = ""
	cfg.P2P.AllowDuplicateIP = true
	cfg.P2P.AddrBookStrict = false
	cfg.P2P.PexReactor = false
	cfg.Consensus.TimeoutCommit = blockTime
	cfg.Instrumentation.Prometheus = false
	return cfg
}

// CometConfig is node n's CometBFT config, peered with every other node.
func (l *Layout) CometConfig(n Node) *cmtcfg.Config {
	cfg := nodeConfig(n, l.BlockTime)
	var peers []string
	for _, p := range l.Nodes {
		if p.NodeID != n.NodeID {
			peers = append(peers, fmt.Sprintf("%s@127.0.0.1:%d", p.NodeID, p.Ports.P2P))
		}
	}
	cfg.P2P.PersistentPeers = strings.Join(peers, ",")
	return cfg
}

// AppConfig is node n's app.toml: REST, gRPC and the evaluator sidecar on
// loopback, zero gas price.
func AppConfig(n Node) app.Config {
	appCfg := app.DefaultConfig()
	appCfg.Evaluator.Enabled = true
	appCfg.Evaluator.Address = n.EvaluatorAddr()
	appCfg.API.Enable = true
	appCfg.API.Address = fmt.Sprintf("tcp://127.0.0.1:%d", n.Ports.API)
	appCfg.GRPC.Enable = true
	appCfg.GRPC.Address = n.GRPC()
	appCfg.GRPCWeb.Enable = false
	appCfg.Telemetry.Enabled = false
	return appCfg
}

func writeNodeFiles(n Node, l *Layout, gen *genutiltypes.AppGenesis) error {
	cfg := l.CometConfig(n)
	cmtcfg.WriteConfigFile(filepath.Join(n.Home, "config", "config.toml"), cfg)
	app.WriteConfig(filepath.Join(n.Home, "config", "app.toml"), AppConfig(n))

	client := fmt.Sprintf(clientTOML, l.ChainID, n.RPC())
	if err := os.WriteFile(filepath.Join(n.Home, "config", "client.toml"), []byte(client), 0o600); err != nil {
		return err
	}
	return gen.SaveAs(cfg.GenesisFile())
}

// clientTOML points the CLI at this node with the test keyring.
const clientTOML = `chain-id = "%s"
keyring-backend = "test"
keyring-default-keyname = ""
output = "text"
node = "%s"
broadcast-mode = "sync"
`
