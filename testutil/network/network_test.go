package network_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	clienttx "github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/delphi-network/delphi/app"
	"github.com/delphi-network/delphi/app/abci/commit"
	"github.com/delphi-network/delphi/testutil/network"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

func TestNetworkOneValidator(t *testing.T)   { runNetwork(t, 1) }
func TestNetworkFourValidators(t *testing.T) { runNetwork(t, 4) }

// TestEvaluationRegistryOverREST registers a model with a signed transaction
// and reads the registry back through the node's REST gateway.
func TestEvaluationRegistryOverREST(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a CometBFT network")
	}
	net := network.New(t, 1)
	require.NoError(t, net.WaitForHeight(3, 60*time.Second))
	const sha = "0d715376572e8983a7c6e8d0e0a5b1d2f1e3c4b5a6978877665544332211aabb"
	broadcast(t, net, "bob", &evaluationtypes.MsgRegisterModel{
		Owner: net.Accounts["bob"].String(), Name: "zoo-cnn", Format: "onnx", WeightsSha256: sha, WeightsRoot: sha,
		ArtifactUris: []string{"file:///models/zoo.onnx"}, RefereeStepBytes: 100_000, RefereeStepFlops: 1_000_000,
	})
	api := net.Nodes[0].API()
	var models struct {
		Models []struct {
			ID    string `json:"id"`
			Name  string `json:"name"`
			Owner string `json:"owner"`
		} `json:"models"`
	}
	require.Eventually(t, func() bool {
		return tryGetJSON(api+"/delphi/evaluation/v1/models", &models) == nil && len(models.Models) == 1
	}, 30*time.Second, 500*time.Millisecond)
	require.Equal(t, "zoo-cnn", models.Models[0].Name)
	require.Equal(t, net.Accounts["bob"].String(), models.Models[0].Owner)

	var one struct {
		Model struct {
			WeightsSha256 string `json:"weights_sha256"`
		} `json:"model"`
	}
	getJSON(t, api+"/delphi/evaluation/v1/models/"+models.Models[0].ID, &one)
	require.Equal(t, sha, one.Model.WeightsSha256)

	var params struct {
		Params struct {
			MaxModels int `json:"max_models"`
		} `json:"params"`
	}
	getJSON(t, api+"/delphi/evaluation/v1/params", &params)
	require.Equal(t, int(evaluationtypes.DefaultParams().MaxModels), params.Params.MaxModels)

	res, err := http.Get(api + "/delphi/evaluation/v1/models/999")
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusNotFound, res.StatusCode)
}

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

	// From the enable height + 1 every block starts with the proposer's
	// injected extended commit, carrying every validator's signed vote.
	h := app.DefaultVoteExtensionsEnableHeight + 2
	block, err := net.Validators[0].ClientCtx.Client.Block(context.Background(), &h)
	require.NoError(t, err)
	require.NotEmpty(t, block.Block.Txs)
	injected := []byte(block.Block.Txs[0])
	require.True(t, commit.IsInjected(injected))
	injectedCommit, err := commit.Decode(injected)
	require.NoError(t, err)
	require.Len(t, injectedCommit.Votes, n)
	for _, v := range injectedCommit.Votes {
		if v.BlockIdFlag == cmtproto.BlockIDFlagCommit {
			require.NotEmpty(t, v.ExtensionSignature, "signed extension")
		}
	}

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
		OpenAPI string                     `json:"openapi"`
		Paths   map[string]json.RawMessage `json:"paths"`
	}
	getJSON(t, net.Nodes[0].API()+"/delphi/openapi.json", &doc)
	require.Equal(t, "3.0.3", doc.OpenAPI)
	require.Contains(t, doc.Paths, "/delphi/chain/v1/info")

	alice := net.Accounts["alice"]
	to := sdk.AccAddress(secp256k1.GenPrivKey().PubKey().Address())
	amount := sdk.NewCoins(sdk.NewCoin(app.CollateralDenom, math.NewInt(4242)))
	broadcast(t, net, "alice", banktypes.NewMsgSend(alice, to, amount))

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

// broadcast signs msg with a funded account of node0's keyring and sends it
// through validator 0.
func broadcast(t testing.TB, net *network.Network, from string, msg sdk.Msg) {
	t.Helper()
	val := net.Validators[0]
	clientCtx := val.ClientCtx.
		WithFromAddress(net.Accounts[from]).
		WithFromName(from).
		WithBroadcastMode("sync").
		WithSkipConfirmation(true).
		WithOutput(io.Discard)
	txf := clienttx.Factory{}.
		WithTxConfig(clientCtx.TxConfig).
		WithKeybase(clientCtx.Keyring).
		WithAccountRetriever(authtypes.AccountRetriever{}).
		WithChainID(net.ChainID).
		WithGas(300_000)
	require.NoError(t, clienttx.BroadcastTx(clientCtx, txf, msg))
}

func getJSON(t testing.TB, url string, out any) {
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

// getAt gets url as of a block height (the x-cosmos-block-height header)
// and returns the status code and body.
func getAt(t testing.TB, url, height string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	req.Header.Set("x-cosmos-block-height", height)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res.StatusCode, raw
}

// getJSONAt reads url as of a block height.
func getJSONAt(t testing.TB, url, height string, out any) {
	t.Helper()
	code, raw := getAt(t, url, height)
	require.Equal(t, http.StatusOK, code, "%s at %s: %s", url, height, raw)
	require.NoError(t, json.Unmarshal(raw, out), string(raw))
}

// requireStatusAt requires the status code of url read at a height.
func requireStatusAt(t testing.TB, url, height string, code int) {
	t.Helper()
	got, raw := getAt(t, url, height)
	require.Equal(t, code, got, "%s at %s: %s", url, height, raw)
}

// requireStatus gets url and requires the HTTP status code and, when msg is
// set, a JSON error whose message contains it.
func requireStatus(t testing.TB, url string, code int, msg string) {
	t.Helper()
	res, err := http.Get(url) //nolint:gosec // test URL on loopback
	require.NoError(t, err)
	defer res.Body.Close()
	var body struct {
		Message string `json:"message"`
	}
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.Equal(t, code, res.StatusCode, "%s: %s", url, raw)
	if msg != "" {
		require.NoError(t, json.Unmarshal(raw, &body), string(raw))
		require.Contains(t, body.Message, msg, url)
	}
}
