package evaluator

import (
	"context"
	"fmt"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/internal/txsend"
	"github.com/delphi-network/delphi/runtime"
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

// signer sends the sidecar's dispute moves with the validator's key.
type signer struct {
	sender *txsend.Sender
	key    string
	addr   sdk.AccAddress
	gas    uint64
}

func newSigner(cfg SignerConfig, rpc *rpchttp.HTTP) (*signer, error) {
	// Std types (keys, txs) and the only messages the sidecar sends.
	cctx, err := txsend.ClientContext(rpc, cfg.KeyringDir, cfg.KeyringBackend, cfg.ChainID, verdetypes.RegisterInterfaces)
	if err != nil {
		return nil, err
	}
	rec, err := cctx.Keyring.Key(cfg.KeyName)
	if err != nil {
		return nil, fmt.Errorf("key %q: %w", cfg.KeyName, err)
	}
	addr, err := rec.GetAddress()
	if err != nil {
		return nil, err
	}
	s := &signer{key: cfg.KeyName, addr: addr, gas: cfg.Gas}
	s.sender = txsend.New(cctx, s.gasFor)
	return s, nil
}

// gasFor sizes a move's gas limit: a base for the state it touches plus
// 30 per message byte (the referee charges 10 per byte of artifact and
// inputs, the ante handler 10 per tx byte; the rest is headroom for the
// output). A referee step also gets the arithmetic of the largest step any
// declaration admits (the referee charges a FLOP per 100 gas): from
// runtime version 3 a group as costly as that may arrive with small
// inputs.
func (s *signer) gasFor(msg sdk.Msg) uint64 {
	if s.gas > 0 {
		return s.gas
	}
	size := 0
	if m, ok := msg.(interface{ Size() int }); ok {
		size = m.Size()
	}
	gas := 1_000_000 + 30*uint64(size)
	if _, ok := msg.(*verdetypes.MsgSubmitOperatorInputs); ok {
		gas += runtime.MaxRefereeStepFLOPs / 100
	}
	return gas
}

// send signs msg and broadcasts it; it returns once the mempool accepted
// or refused it.
func (s *signer) send(ctx context.Context, msg sdk.Msg) error { return s.sender.Send(ctx, s.key, msg) }
