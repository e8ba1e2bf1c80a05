package app

import (
	"github.com/cosmos/gogoproto/proto"

	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/codec/address"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/std"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/auth/tx"
	"github.com/cosmos/cosmos-sdk/x/tx/signing"

	"github.com/cosmos/cosmos-sdk/client"
)

// EncodingConfig bundles the codecs every part of the binary shares.
type EncodingConfig struct {
	InterfaceRegistry codectypes.InterfaceRegistry
	Codec             codec.Codec
	TxConfig          client.TxConfig
	Amino             *codec.LegacyAmino
}

// NewEncodingConfig builds the interface registry (with Delphi's bech32
// prefixes as signing address codecs), the proto codec, amino and tx config.
// Module interfaces are registered by the module manager afterwards.
func NewEncodingConfig() EncodingConfig {
	SetSDKConfig()
	registry, err := codectypes.NewInterfaceRegistryWithOptions(codectypes.InterfaceRegistryOptions{
		ProtoFiles: proto.HybridResolver,
		SigningOptions: signing.Options{
			AddressCodec:          address.NewBech32Codec(Bech32Prefix),
			ValidatorAddressCodec: address.NewBech32Codec(Bech32Prefix + sdk.PrefixValidator + sdk.PrefixOperator),
		},
	})
	if err != nil {
		// The options above are static; failing here is a programming error.
		panic(err)
	}
	std.RegisterInterfaces(registry)
	amino := codec.NewLegacyAmino()
	std.RegisterLegacyAminoCodec(amino)
	cdc := codec.NewProtoCodec(registry)
	return EncodingConfig{
		InterfaceRegistry: registry,
		Codec:             cdc,
		TxConfig:          tx.NewTxConfig(cdc, tx.DefaultSignModes),
		Amino:             amino,
	}
}
