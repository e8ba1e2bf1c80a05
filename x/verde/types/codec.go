package types

import (
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
)

// RegisterInterfaces registers the module's messages.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgChallenge{},
		&MsgBisect{},
		&MsgSubmitOperatorInputs{},
		&MsgUpdateParams{},
	)
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}

// RegisterLegacyAminoCodec registers the messages for amino JSON signing.
func RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	cdc.RegisterConcrete(&MsgChallenge{}, "delphi/verde/MsgChallenge", nil)
	cdc.RegisterConcrete(&MsgBisect{}, "delphi/verde/MsgBisect", nil)
	cdc.RegisterConcrete(&MsgSubmitOperatorInputs{}, "delphi/verde/MsgSubmitOperatorInputs", nil)
	cdc.RegisterConcrete(&MsgUpdateParams{}, "delphi/verde/MsgUpdateParams", nil)
}
