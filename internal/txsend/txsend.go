// Package txsend signs and broadcasts transactions for programs that send
// many in a row from keyring accounts (the evaluator sidecar, the demo):
// it keeps each account's sequence itself, so several transactions from
// one account can go out in the same block, and resyncs from the chain
// after a refusal that names the sequence.
package txsend

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/cosmos/cosmos-sdk/client"
	clienttx "github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Sender signs with the keys of cctx's keyring and broadcasts through
// cctx's node (sync mode: a send returns once the mempool accepted or
// refused the transaction).
type Sender struct {
	cctx client.Context
	gas  func(sdk.Msg) uint64

	mu   sync.Mutex
	next map[string]*account
	sent int
}

type account struct{ num, seq uint64 }

// New returns a Sender; gas gives each message's gas limit. cctx needs a
// client, keyring, tx config, chain id and account retriever.
func New(cctx client.Context, gas func(sdk.Msg) uint64) *Sender {
	return &Sender{cctx: cctx, gas: gas, next: map[string]*account{}}
}

// Sent is how many transactions the mempool accepted.
func (s *Sender) Sent() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sent
}

// Send signs msg with the key named from and broadcasts it.
func (s *Sender) Send(ctx context.Context, from string, msg sdk.Msg) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, err := s.cctx.Keyring.Key(from)
	if err != nil {
		return fmt.Errorf("key %q: %w", from, err)
	}
	addr, err := rec.GetAddress()
	if err != nil {
		return err
	}
	acc := s.next[from]
	if acc == nil {
		num, seq, err := s.cctx.AccountRetriever.GetAccountNumberSequence(s.cctx, addr)
		if err != nil {
			return fmt.Errorf("account %s: %w", addr, err)
		}
		acc = &account{num: num, seq: seq}
		s.next[from] = acc
	}
	txf := clienttx.Factory{}.WithTxConfig(s.cctx.TxConfig).WithKeybase(s.cctx.Keyring).WithChainID(s.cctx.ChainID).
		WithAccountNumber(acc.num).WithSequence(acc.seq).WithGas(s.gas(msg))
	txb, err := txf.BuildUnsignedTx(msg)
	if err != nil {
		return err
	}
	if err := clienttx.Sign(ctx, txf, from, txb, true); err != nil {
		return err
	}
	raw, err := s.cctx.TxConfig.TxEncoder()(txb.GetTx())
	if err != nil {
		return err
	}
	res, err := s.cctx.WithFromAddress(addr).BroadcastTxSync(raw)
	if err != nil {
		delete(s.next, from)
		return err
	}
	if res.Code != 0 {
		if strings.Contains(res.RawLog, "sequence") {
			delete(s.next, from)
		}
		return fmt.Errorf("%s refused (code %d): %s", sdk.MsgTypeURL(msg), res.Code, res.RawLog)
	}
	acc.seq++
	s.sent++
	return nil
}
