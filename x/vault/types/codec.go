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
		&MsgCreateVault{}, &MsgDeposit{}, &MsgWithdraw{}, &MsgBuyBasket{}, &MsgSellBasket{}, &MsgUpdateParams{})
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}

// RegisterLegacyAminoCodec registers the messages for amino JSON signing.
func RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	cdc.RegisterConcrete(&MsgCreateVault{}, "delphi/vault/MsgCreateVault", nil)
	cdc.RegisterConcrete(&MsgDeposit{}, "delphi/vault/MsgDeposit", nil)
	cdc.RegisterConcrete(&MsgWithdraw{}, "delphi/vault/MsgWithdraw", nil)
	cdc.RegisterConcrete(&MsgBuyBasket{}, "delphi/vault/MsgBuyBasket", nil)
	cdc.RegisterConcrete(&MsgSellBasket{}, "delphi/vault/MsgSellBasket", nil)
	cdc.RegisterConcrete(&MsgUpdateParams{}, "delphi/vault/MsgUpdateParams", nil)
}
