package txsend

import (
	"fmt"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"

	"github.com/cosmos/cosmos-sdk/client"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/delphi-network/delphi/app"
)

// ClientContext is the client context a Sender (and the queries beside it)
// needs: Delphi's encoding with auth's types and those register adds, the
// keyring under keyringDir, rpc as the node, chainID, sync broadcasts.
func ClientContext(rpc *rpchttp.HTTP, keyringDir, keyringBackend, chainID string,
	register ...func(codectypes.InterfaceRegistry),
) (client.Context, error) {
	enc := app.NewEncodingConfig()
	authtypes.RegisterInterfaces(enc.InterfaceRegistry)
	for _, r := range register {
		r(enc.InterfaceRegistry)
	}
	kr, err := keyring.New(sdk.KeyringServiceName(), keyringBackend, keyringDir, nil, enc.Codec)
	if err != nil {
		return client.Context{}, fmt.Errorf("keyring %s: %w", keyringDir, err)
	}
	return client.Context{}.WithClient(rpc).WithCodec(enc.Codec).WithInterfaceRegistry(enc.InterfaceRegistry).
		WithTxConfig(enc.TxConfig).WithKeyring(kr).WithChainID(chainID).
		WithAccountRetriever(authtypes.AccountRetriever{}).WithBroadcastMode("sync"), nil
}
