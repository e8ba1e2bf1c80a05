package chaintest

// A signed transaction of the funder, its delivery, and governance proposals passed within a test.

import (
	"context"
	"encoding/json"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	clienttx "github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"

	"github.com/delphi-network/delphi/app"
)

// Context is a read-only context on the last committed state.
func (c *Chain) Context() sdk.Context {
	return c.App.NewUncachedContext(false, cmtproto.Header{Height: c.Height, ChainID: c.ChainID})
}

// Tx is a signed transaction of msgs from the funder, with the next
// sequence; include it in a block with NextBlock.
func (c *Chain) Tx(msgs ...sdk.Msg) []byte {
	c.t.Helper()
	cfg := c.App.TxConfig()
	b := cfg.NewTxBuilder()
	require.NoError(c.t, b.SetMsgs(msgs...))
	b.SetGasLimit(50_000_000)
	acc := c.App.AccountKeeper.GetAccount(c.Context(), c.Funder)
	require.NotNil(c.t, acc)
	seq := acc.GetSequence() + c.pending
	pub := c.FunderKey.PubKey()
	require.NoError(c.t, b.SetSignatures(signing.SignatureV2{PubKey: pub,
		Data: &signing.SingleSignatureData{SignMode: signing.SignMode_SIGN_MODE_DIRECT}, Sequence: seq}))
	data := authsigning.SignerData{ChainID: c.ChainID, AccountNumber: acc.GetAccountNumber(), Sequence: seq,
		PubKey: pub, Address: c.Funder.String()}
	sig, err := clienttx.SignWithPrivKey(context.Background(), signing.SignMode_SIGN_MODE_DIRECT, data, b, c.FunderKey, cfg, seq)
	require.NoError(c.t, err)
	require.NoError(c.t, b.SetSignatures(sig))
	bz, err := cfg.TxEncoder()(b.GetTx())
	require.NoError(c.t, err)
	c.pending++
	return bz
}

// Deliver includes txs in the next block and requires each to succeed.
func (c *Chain) Deliver(txs ...[]byte) *abci.ResponseFinalizeBlock {
	c.t.Helper()
	all, res := c.NextBlock(txs...)
	offset := len(all) - len(txs)
	for i := range txs {
		r := res.TxResults[offset+i]
		require.Zero(c.t, r.Code, "tx %d: %s", i, r.Log)
	}
	return res
}

// FastGovernance makes proposals pass within a few blocks: a 2-second
// voting period (blocks are a second apart) and a quorum the funder, who
// delegated every validator's stake, meets alone.
func FastGovernance(cdc codec.Codec, state map[string]json.RawMessage) {
	var gov govv1.GenesisState
	cdc.MustUnmarshalJSON(state[govtypes.ModuleName], &gov)
	period, expedited := 2*time.Second, time.Second
	gov.Params.VotingPeriod, gov.Params.ExpeditedVotingPeriod = &period, &expedited
	gov.Params.MaxDepositPeriod = &period
	gov.Params.MinDeposit = sdk.NewCoins(sdk.NewCoin(app.BondDenom, math.NewInt(1)))
	gov.Params.ExpeditedMinDeposit = sdk.NewCoins(sdk.NewCoin(app.BondDenom, math.NewInt(2)))
	state[govtypes.ModuleName] = cdc.MustMarshalJSON(&gov)
}

// Govern passes a governance proposal of msgs (FastGovernance genesis) and
// returns once the block that executed it is committed.
func (c *Chain) Govern(msgs ...sdk.Msg) {
	c.t.Helper()
	prop, err := govv1.NewMsgSubmitProposal(msgs, sdk.NewCoins(sdk.NewCoin(app.BondDenom, math.NewInt(1))),
		c.Funder.String(), "", "chaintest", "chaintest", false)
	require.NoError(c.t, err)
	c.Deliver(c.Tx(prop))
	next, err := c.App.GovKeeper.ProposalID.Peek(c.Context())
	require.NoError(c.t, err)
	id := next - 1
	c.Deliver(c.Tx(govv1.NewMsgVote(c.Funder, id, govv1.OptionYes, "")))
	for i := 0; i < 10; i++ {
		p, err := c.App.GovKeeper.Proposals.Get(c.Context(), id)
		require.NoError(c.t, err)
		switch p.Status {
		case govv1.StatusPassed:
			return
		case govv1.StatusRejected, govv1.StatusFailed:
			c.t.Fatalf("proposal %d: %s %s", id, p.Status, p.FailedReason)
		}
		c.NextBlock()
	}
	c.t.Fatalf("proposal %d did not pass", id)
}
