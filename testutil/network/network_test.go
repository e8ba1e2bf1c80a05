package network_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	clienttx "github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/delphi-network/delphi/app"
	"github.com/delphi-network/delphi/testutil/network"
)

func TestNetworkOneValidator(t *testing.T)   { runNetwork(t, 1) }
func TestNetworkFourValidators(t *testing.T) { runNetwork(t, 4) }

// runNetwork starts n validators, checks that vote extensions are on and that
// blocks keep coming past their enable height, and moves coins with a signed
// bank send that every node then reports, over REST and over its own RPC.
func runNetwork(t *testing.T, n int) {
	if testing.Short() {
		t.Skip("starts a CometBFT network")
	}
	net := network.New(t, n)

	// Extensions exist from the enable height + 1; two more blocks show that
	// consensus is live with them.
	require.NoError(t, net.WaitForHeight(app.DefaultVoteExtensionsEnableHeight+3, 60*time.Second))

	var info struct {
		ChainID  string `json:"chain_id"`
		Bond     string `json:"bond_denom"`
		VEHeight string `json:"vote_extensions_enable_height"`
	}
	getJSON(t, net.Nodes[0].API()+"/delphi/chain/v1/info", &info)
	require.Equal(t, net.ChainID, info.ChainID)
	require.Equal(t, app.BondDenom, info.Bond)
	require.Equal(t, fmt.Sprint(app.DefaultVoteExtensionsEnableHeight), info.VEHeight)

	var doc struct {
		Swagger string                     `json:"swagger"`
		Paths   map[string]json.RawMessage `json:"paths"`
	}
	getJSON(t, net.Nodes[0].API()+"/delphi/openapi.json", &doc)
	require.Equal(t, "2.0", doc.Swagger)
	require.Contains(t, doc.Paths, "/delphi/chain/v1/info")

	val := net.Validators[0]
	alice := net.Accounts["alice"]
	to := sdk.AccAddress(secp256k1.GenPrivKey().PubKey().Address())
	amount := sdk.NewCoins(sdk.NewCoin(app.CollateralDenom, math.NewInt(4242)))
	clientCtx := val.ClientCtx.
		WithFromAddress(alice).
		WithFromName("alice").
		WithBroadcastMode("sync").
		WithSkipConfirmation(true).
		WithOutput(io.Discard)
	txf := clienttx.Factory{}.
		WithTxConfig(clientCtx.TxConfig).
		WithKeybase(clientCtx.Keyring).
		WithAccountRetriever(authtypes.AccountRetriever{}).
		WithChainID(net.ChainID).
		WithGas(200_000)
	require.NoError(t, clienttx.BroadcastTx(clientCtx, txf, banktypes.NewMsgSend(alice, to, amount)))

	for _, v := range net.Validators {
		require.Eventually(t, func() bool {
			var bal struct {
				Balances []struct{ Denom, Amount string } `json:"balances"`
			}
			if err := tryGetJSON(v.API()+"/cosmos/bank/v1beta1/balances/"+to.String(), &bal); err != nil {
				return false
			}
			return len(bal.Balances) == 1 && bal.Balances[0].Denom == app.CollateralDenom && bal.Balances[0].Amount == "4242"
		}, 30*time.Second, 500*time.Millisecond, "REST of %s never showed the transfer", v.Moniker)

		res, err := banktypes.NewQueryClient(v.ClientCtx).Balance(context.Background(),
			&banktypes.QueryBalanceRequest{Address: to.String(), Denom: app.CollateralDenom})
		require.NoError(t, err)
		require.Equal(t, "4242", res.Balance.Amount.String(), v.Moniker)
	}
}

func getJSON(t *testing.T, url string, out any) {
	t.Helper()
	require.Eventually(t, func() bool { return tryGetJSON(url, out) == nil }, 20*time.Second, 250*time.Millisecond, url)
}

func tryGetJSON(url string, out any) error {
	res, err := http.Get(url) //nolint:gosec // test URL on loopback
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", url, res.Status)
	}
	return json.NewDecoder(res.Body).Decode(out)
}
