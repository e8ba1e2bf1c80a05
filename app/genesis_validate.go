package app

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	minttypes "github.com/cosmos/cosmos-sdk/x/mint/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	markettypes "github.com/delphi-network/delphi/x/market/types"
	vaulttypes "github.com/delphi-network/delphi/x/vault/types"
	verdetypes "github.com/delphi-network/delphi/x/verde/types"
)

// chainIDPattern is what Delphi accepts as a chain id: CometBFT's 50-byte
// limit, and characters that are safe in file names, URLs and shell scripts.
var chainIDPattern = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._-]{0,49}$`)

// ValidateChainID rejects chain ids that are empty, too long or contain
// anything but letters, digits, '.', '_' and '-'.
func ValidateChainID(id string) error {
	if !chainIDPattern.MatchString(id) {
		return fmt.Errorf("invalid chain id %q: want 1-50 letters, digits, '.', '_' or '-', starting with a letter or digit", id)
	}
	return nil
}

// ValidateGenesis checks a genesis app state before a node starts from it:
// every module's own validation, then that every denomination the state
// names is described in bank metadata. A denomination no one described is
// almost always a typo (stake vs udelphi), and the chain would otherwise
// fail much later, inside InitChain, or run with unusable params.
func (app *App) ValidateGenesis(appState json.RawMessage) error {
	var state GenesisState
	if err := json.Unmarshal(appState, &state); err != nil {
		return fmt.Errorf("app state is not valid JSON: %w", err)
	}
	if err := app.BasicModuleManager.ValidateGenesis(app.appCodec, app.txConfig, state); err != nil {
		return err
	}
	return app.validateGenesisDenoms(state)
}

func (app *App) validateGenesisDenoms(state GenesisState) error {
	cdc := app.appCodec
	var bank banktypes.GenesisState
	if err := cdc.UnmarshalJSON(state[banktypes.ModuleName], &bank); err != nil {
		return fmt.Errorf("bank genesis: %w", err)
	}
	known := map[string]bool{}
	for _, m := range bank.DenomMetadata {
		known[m.Base] = true
	}
	check := func(where, denom string) error {
		if known[denom] {
			return nil
		}
		names := make([]string, 0, len(known))
		for d := range known {
			names = append(names, d)
		}
		sort.Strings(names)
		return fmt.Errorf("unknown denom %q in %s: it has no entry in bank.denom_metadata (known: %s)",
			denom, where, strings.Join(names, ", "))
	}
	checkCoins := func(where string, coins sdk.Coins) error {
		for _, c := range coins {
			if err := check(where, c.Denom); err != nil {
				return err
			}
		}
		return nil
	}

	var staking stakingtypes.GenesisState
	if err := cdc.UnmarshalJSON(state[stakingtypes.ModuleName], &staking); err != nil {
		return fmt.Errorf("staking genesis: %w", err)
	}
	if err := check("staking.params.bond_denom", staking.Params.BondDenom); err != nil {
		return err
	}
	var mint minttypes.GenesisState
	if err := cdc.UnmarshalJSON(state[minttypes.ModuleName], &mint); err != nil {
		return fmt.Errorf("mint genesis: %w", err)
	}
	if err := check("mint.params.mint_denom", mint.Params.MintDenom); err != nil {
		return err
	}
	var gov govv1.GenesisState
	if err := cdc.UnmarshalJSON(state["gov"], &gov); err != nil {
		return fmt.Errorf("gov genesis: %w", err)
	}
	if gov.Params != nil {
		if err := checkCoins("gov.params.min_deposit", gov.Params.MinDeposit); err != nil {
			return err
		}
	}
	var eval evaluationtypes.GenesisState
	if err := cdc.UnmarshalJSON(state[evaluationtypes.ModuleName], &eval); err != nil {
		return fmt.Errorf("evaluation genesis: %w", err)
	}
	if err := checkCoins("evaluation.params.benchmark_deposit", eval.Params.BenchmarkDeposit); err != nil {
		return err
	}
	var mkt markettypes.GenesisState
	if err := cdc.UnmarshalJSON(state[markettypes.ModuleName], &mkt); err != nil {
		return fmt.Errorf("market genesis: %w", err)
	}
	for _, d := range mkt.Params.CollateralDenoms {
		if err := check("market.params.collateral_denoms", d); err != nil {
			return err
		}
	}
	var vd verdetypes.GenesisState
	if err := cdc.UnmarshalJSON(state[verdetypes.ModuleName], &vd); err != nil {
		return fmt.Errorf("verde genesis: %w", err)
	}
	if err := checkCoins("verde.params.challenger_bond", vd.Params.ChallengerBond); err != nil {
		return err
	}
	var vt vaulttypes.GenesisState
	if err := cdc.UnmarshalJSON(state[vaulttypes.ModuleName], &vt); err != nil {
		return fmt.Errorf("vault genesis: %w", err)
	}
	if err := checkCoins("vault.params.creation_deposit", vt.Params.CreationDeposit); err != nil {
		return err
	}
	for _, b := range bank.Balances {
		if err := checkCoins("bank.balances of "+b.Address, b.Coins); err != nil {
			return err
		}
	}
	return app.validateGentxDenoms(state, staking.Params.BondDenom)
}

// validateGentxDenoms requires every genesis validator to bond the bond denom.
func (app *App) validateGentxDenoms(state GenesisState, bondDenom string) error {
	var gen genutiltypes.GenesisState
	if err := app.appCodec.UnmarshalJSON(state[genutiltypes.ModuleName], &gen); err != nil {
		return fmt.Errorf("genutil genesis: %w", err)
	}
	for i, raw := range gen.GenTxs {
		tx, err := app.txConfig.TxJSONDecoder()(raw)
		if err != nil {
			return fmt.Errorf("gentx %d: %w", i, err)
		}
		for _, msg := range tx.GetMsgs() {
			if cv, ok := msg.(*stakingtypes.MsgCreateValidator); ok && cv.Value.Denom != bondDenom {
				return fmt.Errorf("unknown denom %q in gentx %d (validator %s): genesis validators must bond %s",
					cv.Value.Denom, i, cv.Description.Moniker, bondDenom)
			}
		}
	}
	return nil
}
