package evaluator

import (
	"context"
	"fmt"
	"strings"
	"sync"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"

	"github.com/cosmos/cosmos-sdk/client"
	clienttx "github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/delphi-network/delphi/app"
	verdetypes "github.com/delphi-network/delphi/x/verde/types"
)

// SignerConfig names the key the sidecar signs dispute moves with: the
// validator's operator key, so a challenge is a validator's (no bond).
type SignerConfig struct {
	KeyName        string
	KeyringDir     string
	KeyringBackend string
	ChainID        string
	// Gas, when set, is the gas limit of every move; otherwise it is
	// sized from the message (the referee step carries the model artifact,
	// charged per byte).
	Gas uint64
}

// signer signs and broadcasts the sidecar's transactions, keeping its own
// sequence so several moves can go out in one block.
type signer struct {
	cctx client.Context
	txf  clienttx.Factory
	addr sdk.AccAddress

	mu     sync.Mutex
	seq    uint64
	synced bool
	gas    uint64
}

func newSigner(cfg SignerConfig, rpc *rpchttp.HTTP) (*signer, error) {
	// Std types (keys, txs) and the only messages the sidecar sends.
	enc := app.NewEncodingConfig()
	authtypes.RegisterInterfaces(enc.InterfaceRegistry)
	verdetypes.RegisterInterfaces(enc.InterfaceRegistry)
	kr, err := keyring.New(sdk.KeyringServiceName(), cfg.KeyringBackend, cfg.KeyringDir, nil, enc.Codec)
	if err != nil {
		return nil, fmt.Errorf("keyring %s: %w", cfg.KeyringDir, err)
	}
	rec, err := kr.Key(cfg.KeyName)
	if err != nil {
		return nil, fmt.Errorf("key %q: %w", cfg.KeyName, err)
	}
	addr, err := rec.GetAddress()
	if err != nil {
		return nil, err
	}
	cctx := client.Context{}.WithClient(rpc).WithCodec(enc.Codec).WithInterfaceRegistry(enc.InterfaceRegistry).
		WithTxConfig(enc.TxConfig).WithKeyring(kr).WithChainID(cfg.ChainID).WithFromAddress(addr).
		WithFromName(cfg.KeyName).WithAccountRetriever(authtypes.AccountRetriever{}).WithBroadcastMode("sync")
	txf := clienttx.Factory{}.WithTxConfig(enc.TxConfig).WithKeybase(kr).WithChainID(cfg.ChainID).
		WithAccountRetriever(authtypes.AccountRetriever{})
	return &signer{cctx: cctx, txf: txf, addr: addr, gas: cfg.Gas}, nil
}

// gasFor sizes a move's gas limit: a base for the state it touches plus
// 30 per message byte (the referee charges 10 per byte of artifact and
// inputs, the ante handler 10 per tx byte; the rest is headroom for the
// recomputation, which BenchmarkRefereeStep puts well under that).
func (s *signer) gasFor(msg sdk.Msg) uint64 {
	if s.gas > 0 {
		return s.gas
	}
	size := 0
	if m, ok := msg.(interface{ Size() int }); ok {
		size = m.Size()
	}
	return 1_000_000 + 30*uint64(size)
}

// send signs msg and broadcasts it; it returns once the mempool accepted
// or refused it.
func (s *signer) send(_ context.Context, msg sdk.Msg) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.synced {
		num, seq, err := s.cctx.AccountRetriever.GetAccountNumberSequence(s.cctx, s.addr)
		if err != nil {
			return fmt.Errorf("account %s: %w", s.addr, err)
		}
		s.txf, s.seq, s.synced = s.txf.WithAccountNumber(num), seq, true
	}
	txf := s.txf.WithGas(s.gasFor(msg))
	txb, err := txf.WithSequence(s.seq).BuildUnsignedTx(msg)
	if err != nil {
		return err
	}
	if err := clienttx.Sign(context.Background(), txf.WithSequence(s.seq), s.cctx.FromName, txb, true); err != nil {
		return err
	}
	raw, err := s.cctx.TxConfig.TxEncoder()(txb.GetTx())
	if err != nil {
		return err
	}
	res, err := s.cctx.BroadcastTxSync(raw)
	if err != nil {
		s.synced = false
		return err
	}
	if res.Code != 0 {
		if strings.Contains(res.RawLog, "sequence") {
			s.synced = false
		}
		return fmt.Errorf("tx refused (code %d): %s", res.Code, res.RawLog)
	}
	s.seq++
	return nil
}
