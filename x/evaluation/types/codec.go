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
		&MsgRegisterBenchmark{},
		&MsgRegisterModel{},
		&MsgUpdateModelURIs{},
		&MsgCreateEvaluation{},
		&MsgUpdateParams{},
	)
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}

// RegisterLegacyAminoCodec registers the messages for amino JSON signing.
func RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	cdc.RegisterConcrete(&MsgRegisterBenchmark{}, "delphi/evaluation/MsgRegisterBenchmark", nil)
	cdc.RegisterConcrete(&MsgRegisterModel{}, "delphi/evaluation/MsgRegisterModel", nil)
	cdc.RegisterConcrete(&MsgUpdateModelURIs{}, "delphi/evaluation/MsgUpdateModelURIs", nil)
	cdc.RegisterConcrete(&MsgCreateEvaluation{}, "delphi/evaluation/MsgCreateEvaluation", nil)
	cdc.RegisterConcrete(&MsgUpdateParams{}, "delphi/evaluation/MsgUpdateParams", nil)
}
