package web_test

import (
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"github.com/cosmos/cosmos-sdk/types/bech32"
	gogoproto "github.com/cosmos/gogoproto/proto"

	markettypes "github.com/delphi-network/delphi/x/market/types"
	vaulttypes "github.com/delphi-network/delphi/x/vault/types"
)

var update = flag.Bool("update", false, "rewrite testdata/msgs.json from the Go encodings")

// golden is one message: the fields the TypeScript encoder takes, and the
// bytes the chain's own (gogoproto) encoding gives.
type golden struct {
	Name    string            `json:"name"`
	TypeURL string            `json:"type_url"`
	Fields  map[string]string `json:"fields"`
	Hex     string            `json:"hex"`
}

const trader = "delphi1hzjdgsn0smvmhvvt9w6lc2mcvhajc6z29au2gf"

func goldenCases() []golden {
	type c struct {
		name   string
		msg    gogoproto.Message
		fields map[string]string
	}
	huge, _ := math.NewIntFromString("115792089237316195423570985008687907853269984665640564039457584007913129639935")
	cases := []c{
		{"buy shares", &markettypes.MsgBuyShares{Trader: trader, MarketId: 1, Outcome: 1, Shares: math.NewInt(3000000), MaxCost: math.NewInt(1712345)},
			map[string]string{"trader": trader, "marketId": "1", "outcome": "1", "shares": "3000000", "maxCost": "1712345"}},
		{"buy shares, outcome 0 and zero max cost", &markettypes.MsgBuyShares{Trader: trader, MarketId: 300, Outcome: 0, Shares: math.NewInt(1), MaxCost: math.ZeroInt()},
			map[string]string{"trader": trader, "marketId": "300", "outcome": "0", "shares": "1", "maxCost": "0"}},
		{"buy for amount", &markettypes.MsgBuyForAmount{Trader: trader, MarketId: 18446744073709551615, Outcome: 15, Amount: math.NewInt(2000000), MinShares: math.NewInt(4067400)},
			map[string]string{"trader": trader, "marketId": "18446744073709551615", "outcome": "15", "amount": "2000000", "minShares": "4067400"}},
		{"sell shares, 256-bit amount", &markettypes.MsgSellShares{Trader: trader, MarketId: 7, Outcome: 3, Shares: huge, MinProceeds: math.NewInt(99)},
			map[string]string{"trader": trader, "marketId": "7", "outcome": "3", "shares": huge.String(), "minProceeds": "99"}},
		{"redeem", &markettypes.MsgRedeem{Owner: trader, MarketId: 2},
			map[string]string{"owner": trader, "marketId": "2"}},
		{"vault deposit", &vaulttypes.MsgDeposit{Depositor: trader, VaultId: 1, Amount: math.NewInt(25000000), MinShares: math.NewInt(24750000000000)},
			map[string]string{"depositor": trader, "vaultId": "1", "amount": "25000000", "minShares": "24750000000000"}},
		{"vault withdraw, no minimum", &vaulttypes.MsgWithdraw{Depositor: trader, VaultId: 12, Shares: huge, MinAmount: math.ZeroInt()},
			map[string]string{"depositor": trader, "vaultId": "12", "shares": huge.String(), "minAmount": "0"}},
	}
	out := make([]golden, len(cases))
	for i, tc := range cases {
		bz, err := gogoproto.Marshal(tc.msg)
		if err != nil {
			panic(err)
		}
		out[i] = golden{Name: tc.name, TypeURL: "/" + gogoproto.MessageName(tc.msg), Fields: tc.fields, Hex: hex.EncodeToString(bz)}
	}
	return out
}

// TestMessageGoldens pins the encodings that test/msgs.test.ts checks the
// web app's encoders against (src/msgs.ts, over the client protoc-gen-es
// generates from proto/): if a field of an x/market or x/vault message
// changes, this test fails until the golden file (and so the TypeScript
// side) follows.
func TestMessageGoldens(t *testing.T) {
	want, err := json.MarshalIndent(goldenCases(), "", "  ")
	require.NoError(t, err)
	want = append(want, '\n')
	if *update {
		require.NoError(t, os.WriteFile("testdata/msgs.json", want, 0o644))
	}
	got, err := os.ReadFile("testdata/msgs.json")
	require.NoError(t, err)
	require.Equal(t, string(want), string(got), "run: go test ./web -run TestMessageGoldens -update")
}

// TestKeyGoldens pins the addresses the chain derives from private keys, so
// that the web app's key import (test/wallet.test.ts) provably signs as the
// same account as `delphid keys` does.
func TestKeyGoldens(t *testing.T) {
	type key struct {
		PrivHex string `json:"priv_hex"`
		Address string `json:"address"`
	}
	var keys []key
	for _, seed := range []string{
		"0000000000000000000000000000000000000000000000000000000000000001",
		"1cec2e19cdbe9ecfc3b0c82e2143388582e16e0319dbaf66abc387341105d604",
	} {
		raw, err := hex.DecodeString(seed)
		require.NoError(t, err)
		priv := &secp256k1.PrivKey{Key: raw}
		addr, err := bech32.ConvertAndEncode("delphi", priv.PubKey().Address())
		require.NoError(t, err)
		keys = append(keys, key{PrivHex: seed, Address: addr})
	}
	want, err := json.MarshalIndent(keys, "", "  ")
	require.NoError(t, err)
	want = append(want, '\n')
	if *update {
		require.NoError(t, os.WriteFile("testdata/keys.json", want, 0o644))
	}
	got, err := os.ReadFile("testdata/keys.json")
	require.NoError(t, err)
	require.Equal(t, string(want), string(got), "run: go test ./web -run TestKeyGoldens -update")
}
