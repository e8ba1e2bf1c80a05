package app_test

import (
	"encoding/json"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/log/v2"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/delphi-network/delphi/app"
)

type appOptions map[string]any

func (o appOptions) Get(k string) any { return o[k] }

func newApp(t testing.TB, chainID string) *app.App {
	t.Helper()
	return app.New(log.NewNopLogger(), dbm.NewMemDB(), appOptions{"home": t.TempDir()}, baseapp.SetChainID(chainID))
}

// genesisWithValidator is the default genesis plus one bonded validator and
// one funded account, the smallest state a chain can start from.
func genesisWithValidator(t *testing.T, a *app.App) []byte {
	t.Helper()
	valSet, err := simtestutil.CreateRandomValidatorSet()
	require.NoError(t, err)
	acc := authtypes.NewBaseAccount(sdk.AccAddress(secp256k1.GenPrivKey().PubKey().Address()), nil, 0, 0)
	bal := banktypes.Balance{
		Address: acc.GetAddress().String(),
		Coins: sdk.NewCoins(sdk.NewCoin(app.BondDenom, math.NewInt(1_000_000)),
			sdk.NewCoin(app.CollateralDenom, math.NewInt(5_000_000))),
	}
	defaults := a.DefaultGenesis()
	state, err := simtestutil.GenesisStateWithValSet(a.AppCodec(), defaults, valSet, []authtypes.GenesisAccount{acc}, bal)
	require.NoError(t, err)
	// The SDK helper rewrites bank genesis without denom metadata; put
	// Delphi's back, as `delphid init` would have written it.
	var bank, defaultBank banktypes.GenesisState
	a.AppCodec().MustUnmarshalJSON(state[banktypes.ModuleName], &bank)
	a.AppCodec().MustUnmarshalJSON(a.DefaultGenesis()[banktypes.ModuleName], &defaultBank)
	bank.DenomMetadata = defaultBank.DenomMetadata
	state[banktypes.ModuleName] = a.AppCodec().MustMarshalJSON(&bank)
	raw, err := json.Marshal(state)
	require.NoError(t, err)
	return raw
}

func initAndCommit(t testing.TB, a *app.App, appState []byte, chainID string) {
	t.Helper()
	_, err := a.InitChain(&abci.RequestInitChain{
		ChainId:         chainID,
		AppStateBytes:   appState,
		ConsensusParams: simtestutil.DefaultConsensusParams,
		InitialHeight:   1,
	})
	require.NoError(t, err)
	_, err = a.FinalizeBlock(&abci.RequestFinalizeBlock{Height: 1})
	require.NoError(t, err)
	_, err = a.Commit()
	require.NoError(t, err)
}

func TestDefaultGenesisUsesDelphiDenoms(t *testing.T) {
	a := newApp(t, "delphi-gen")
	gen := a.DefaultGenesis()
	var staking struct {
		Params struct {
			BondDenom string `json:"bond_denom"`
		} `json:"params"`
	}
	require.NoError(t, json.Unmarshal(gen["staking"], &staking))
	require.Equal(t, app.BondDenom, staking.Params.BondDenom)
	var mint struct {
		Params struct {
			MintDenom string `json:"mint_denom"`
		} `json:"params"`
	}
	require.NoError(t, json.Unmarshal(gen["mint"], &mint))
	require.Equal(t, app.BondDenom, mint.Params.MintDenom)
	require.Contains(t, string(gen["gov"]), `"denom":"udelphi"`)
	require.Contains(t, string(gen["bank"]), `"base":"uusdc"`)
	require.NoError(t, a.ValidateGenesis(mustJSON(t, gen)))
}

func TestExportImportRoundTrip(t *testing.T) {
	a := newApp(t, "delphi-export")
	initAndCommit(t, a, genesisWithValidator(t, a), "delphi-export")

	exported, err := a.ExportAppStateAndValidators(false, nil, nil)
	require.NoError(t, err)
	require.Len(t, exported.Validators, 1)
	require.NoError(t, a.ValidateGenesis(exported.AppState))

	// Import into a fresh app: InitGenesis straight into its store, then
	// export again from the same state, before any block changes it.
	b := newApp(t, "delphi-export")
	ctx := b.NewUncachedContext(false, cmtproto.Header{ChainID: "delphi-export", Height: exported.Height})
	var state app.GenesisState
	require.NoError(t, json.Unmarshal(exported.AppState, &state))
	_, err = b.ModuleManager.InitGenesis(ctx, b.AppCodec(), state)
	require.NoError(t, err)
	second, err := b.ModuleManager.ExportGenesisForModules(ctx, b.AppCodec(), nil)
	require.NoError(t, err)

	require.Equal(t, len(state), len(second))
	for name, raw := range state {
		require.JSONEq(t, string(raw), string(second[name]), "module %s", name)
	}
}

func TestExportForZeroHeightIsRefused(t *testing.T) {
	a := newApp(t, "delphi-zero")
	initAndCommit(t, a, genesisWithValidator(t, a), "delphi-zero")
	_, err := a.ExportAppStateAndValidators(true, nil, nil)
	require.ErrorIs(t, err, app.ErrZeroHeightExport)
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	raw, err := json.Marshal(v)
	require.NoError(t, err)
	return raw
}
