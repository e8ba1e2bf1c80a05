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
		&MsgCreateMarket{},
		&MsgBuyShares{},
		&MsgBuyForAmount{},
		&MsgSellShares{},
		&MsgRedeem{},
		&MsgCancelMarket{},
		&MsgUpdateParams{},
	)
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}

// RegisterLegacyAminoCodec registers the messages for amino JSON signing.
func RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	cdc.RegisterConcrete(&MsgCreateMarket{}, "delphi/market/MsgCreateMarket", nil)
	cdc.RegisterConcrete(&MsgBuyShares{}, "delphi/market/MsgBuyShares", nil)
	cdc.RegisterConcrete(&MsgBuyForAmount{}, "delphi/market/MsgBuyForAmount", nil)
	cdc.RegisterConcrete(&MsgSellShares{}, "delphi/market/MsgSellShares", nil)
	cdc.RegisterConcrete(&MsgRedeem{}, "delphi/market/MsgRedeem", nil)
	cdc.RegisterConcrete(&MsgCancelMarket{}, "delphi/market/MsgCancelMarket", nil)
	cdc.RegisterConcrete(&MsgUpdateParams{}, "delphi/market/MsgUpdateParams", nil)
}
