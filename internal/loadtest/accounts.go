package loadtest

import (
	"context"
	"fmt"

	"github.com/cosmos/cosmos-sdk/client"
	clienttx "github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"
)

// account is one load-generating account: a key derived from the run's
// seed and its index, so reruns reuse the same funded accounts, and the
// account number and next sequence it signs with.
type account struct {
	priv     *secp256k1.PrivKey
	addr     sdk.AccAddress
	num, seq uint64
}

func newAccount(seed string, i int) *account {
	priv := secp256k1.GenPrivKeyFromSecret([]byte(fmt.Sprintf("delphi-loadtest/%s/%d", seed, i)))
	return &account{priv: priv, addr: sdk.AccAddress(priv.PubKey().Address())}
}

// sync reads the account's number and sequence from the chain.
func (a *account) sync(cctx client.Context) error {
	num, seq, err := cctx.AccountRetriever.GetAccountNumberSequence(cctx, a.addr)
	if err != nil {
		return fmt.Errorf("account %s: %w", a.addr, err)
	}
	a.num, a.seq = num, seq
	return nil
}

// sign builds and signs (direct mode) a transaction of msgs at the
// account's current sequence and returns its bytes. The caller advances
// the sequence once the mempool accepts it.
func (a *account) sign(cctx client.Context, gas uint64, msgs ...sdk.Msg) ([]byte, error) {
	txb := cctx.TxConfig.NewTxBuilder()
	if err := txb.SetMsgs(msgs...); err != nil {
		return nil, err
	}
	txb.SetGasLimit(gas)
	mode := signing.SignMode_SIGN_MODE_DIRECT
	// The signer infos must be in the body before the sign bytes are taken.
	if err := txb.SetSignatures(signing.SignatureV2{PubKey: a.priv.PubKey(),
		Data: &signing.SingleSignatureData{SignMode: mode}, Sequence: a.seq}); err != nil {
		return nil, err
	}
	sig, err := clienttx.SignWithPrivKey(context.Background(), mode, authsigning.SignerData{
		Address: a.addr.String(), ChainID: cctx.ChainID, AccountNumber: a.num, Sequence: a.seq,
		PubKey: a.priv.PubKey(),
	}, txb, a.priv, cctx.TxConfig, a.seq)
	if err != nil {
		return nil, err
	}
	if err := txb.SetSignatures(sig); err != nil {
		return nil, err
	}
	return cctx.TxConfig.TxEncoder()(txb.GetTx())
}
