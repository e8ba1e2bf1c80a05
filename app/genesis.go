package app

import (
	"encoding/json"
	"fmt"

	abci "github.com/cometbft/cometbft/abci/types"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	"github.com/cosmos/cosmos-sdk/x/bank"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"github.com/cosmos/cosmos-sdk/x/gov"
	govclient "github.com/cosmos/cosmos-sdk/x/gov/client"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	"github.com/cosmos/cosmos-sdk/x/mint"
	minttypes "github.com/cosmos/cosmos-sdk/x/mint/types"
	"github.com/cosmos/cosmos-sdk/x/staking"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
)

// GenesisState is the app state of a genesis file: module name to raw JSON.
type GenesisState map[string]json.RawMessage

// DefaultGenesis is every module's default genesis with Delphi's denominations.
func (app *App) DefaultGenesis() GenesisState {
	return app.BasicModuleManager.DefaultGenesis(app.appCodec)
}

// The SDK modules default to the denomination "stake". These wrappers give
// `delphid init`, test networks and every other genesis producer Delphi's
// defaults instead: udelphi for staking, gas, minting and governance deposits,
// and bank metadata for udelphi and the default collateral uusdc.

type stakingBasic struct{ staking.AppModuleBasic }

func (stakingBasic) DefaultGenesis(cdc codec.JSONCodec) json.RawMessage {
	gen := stakingtypes.DefaultGenesisState()
	gen.Params.BondDenom = BondDenom
	gen.Params.KeyRotationFee = sdk.NewCoin(BondDenom, gen.Params.KeyRotationFee.Amount)
	return cdc.MustMarshalJSON(gen)
}

type mintBasic struct{ mint.AppModuleBasic }

func (mintBasic) DefaultGenesis(cdc codec.JSONCodec) json.RawMessage {
	gen := minttypes.DefaultGenesisState()
	gen.Params.MintDenom = BondDenom
	return cdc.MustMarshalJSON(gen)
}

type govBasic struct{ gov.AppModuleBasic }

func (govBasic) DefaultGenesis(cdc codec.JSONCodec) json.RawMessage {
	gen := govv1.DefaultGenesisState()
	gen.Params.MinDeposit = sdk.NewCoins(sdk.NewCoin(BondDenom, math.NewInt(10_000_000)))
	gen.Params.ExpeditedMinDeposit = sdk.NewCoins(sdk.NewCoin(BondDenom, math.NewInt(50_000_000)))
	return cdc.MustMarshalJSON(gen)
}

type bankBasic struct{ bank.AppModuleBasic }

func (bankBasic) DefaultGenesis(cdc codec.JSONCodec) json.RawMessage {
	gen := banktypes.DefaultGenesisState()
	gen.DenomMetadata = []banktypes.Metadata{
		denomMetadata(BondDenom, "delphi", "DELPHI", "Delphi staking and gas token"),
		denomMetadata(CollateralDenom, "usdc", "USDC", "Default market collateral"),
	}
	return cdc.MustMarshalJSON(gen)
}

// delphiBasics overrides the module basics whose defaults name a denomination.
func delphiBasics(m *module.Manager) map[string]module.AppModuleBasic {
	return map[string]module.AppModuleBasic{
		stakingtypes.ModuleName: stakingBasic{m.Modules[stakingtypes.ModuleName].(staking.AppModule).AppModuleBasic},
		minttypes.ModuleName:    mintBasic{m.Modules[minttypes.ModuleName].(mint.AppModule).AppModuleBasic},
		banktypes.ModuleName:    bankBasic{m.Modules[banktypes.ModuleName].(bank.AppModule).AppModuleBasic},
		"gov":                   govBasic{gov.NewAppModuleBasic([]govclient.ProposalHandler{})},
	}
}

// denomMetadata describes a micro-denomination and its whole unit (10^6).
func denomMetadata(base, display, symbol, description string) banktypes.Metadata {
	return banktypes.Metadata{
		Description: description,
		Base:        base,
		Display:     display,
		Name:        symbol,
		Symbol:      symbol,
		DenomUnits: []*banktypes.DenomUnit{
			{Denom: base, Exponent: 0},
			{Denom: display, Exponent: 6},
		},
	}
}

// InitChainer loads the genesis state into every module.
func (app *App) InitChainer(ctx sdk.Context, req *abci.RequestInitChain) (*abci.ResponseInitChain, error) {
	var state GenesisState
	if err := json.Unmarshal(req.AppStateBytes, &state); err != nil {
		return nil, fmt.Errorf("genesis app state is not valid JSON: %w", err)
	}
	if err := app.UpgradeKeeper.SetModuleVersionMap(ctx, app.ModuleManager.GetVersionMap()); err != nil {
		return nil, err
	}
	return app.ModuleManager.InitGenesis(ctx, app.appCodec, state)
}
