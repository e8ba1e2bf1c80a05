package app

import (
	"os"

	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	minttypes "github.com/cosmos/cosmos-sdk/x/mint/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	sdk "github.com/cosmos/cosmos-sdk/types"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	markettypes "github.com/delphi-network/delphi/x/market/types"
	vaulttypes "github.com/delphi-network/delphi/x/vault/types"
	verdetypes "github.com/delphi-network/delphi/x/verde/types"
)

const (
	// AppName is the name of the application as reported over ABCI.
	AppName = "delphi"

	// Bech32Prefix is the human-readable part of every Delphi account address.
	Bech32Prefix = "delphi"

	// BondDenom is the staking and gas denomination.
	BondDenom = "udelphi"

	// CollateralDenom is the default market collateral in local genesis files.
	CollateralDenom = "uusdc"

	// DefaultVoteExtensionsEnableHeight is the height from which validators attach
	// vote extensions. Evaluation results travel in them, so a Delphi genesis
	// always turns them on; height 2 is the earliest height CometBFT accepts for a
	// chain that starts at height 1 and wants them from its first full block.
	DefaultVoteExtensionsEnableHeight int64 = 2
)

// maccPerms lists every module account and what it may do with coins.
var maccPerms = map[string][]string{
	authtypes.FeeCollectorName:          nil,
	distrtypes.ModuleName:               nil,
	minttypes.ModuleName:                {authtypes.Minter},
	stakingtypes.BondedPoolName:         {authtypes.Burner, authtypes.Staking},
	stakingtypes.NotBondedPoolName:      {authtypes.Burner, authtypes.Staking},
	stakingtypes.KeyRotationFeePoolName: {authtypes.Burner},
	govtypes.ModuleName:                 {authtypes.Burner},
	evaluationtypes.ModuleName:          {authtypes.Burner}, // holds benchmark and evaluation deposits (burns forfeited ones) and reporter reward pools
	markettypes.ModuleName:              nil,                // holds market escrows and unpaid fees
	verdetypes.ModuleName:               nil,                // holds challenger bonds
	vaulttypes.ModuleName:               nil,                // holds vaults' idle collateral
}

// ModuleAccountPermissions returns a copy of the module account permissions.
func ModuleAccountPermissions() map[string][]string {
	out := make(map[string][]string, len(maccPerms))
	for k, v := range maccPerms {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// SetSDKConfig configures the SDK's process-wide settings for Delphi: the
// bech32 prefixes, and udelphi as the default bond denom that SDK helpers
// (gentx defaults, test harnesses) fall back to.
// It is idempotent. The config is left unsealed so that in-process test
// networks, which share one process-wide config, can call it repeatedly.
func SetSDKConfig() {
	// The SDK finds its config under a key it rebuilds on every GetConfig
	// from the executable's path, the host name and the pid: two system
	// calls in every bech32 address conversion, about a tenth of a market
	// trade's execution time. A fixed scope makes the lookup a map access.
	if os.Getenv(sdk.EnvConfigScope) == "" {
		if err := os.Setenv(sdk.EnvConfigScope, AppName); err != nil {
			panic(err)
		}
	}
	sdk.DefaultBondDenom = BondDenom
	cfg := sdk.GetConfig()
	if cfg.GetBech32AccountAddrPrefix() == Bech32Prefix {
		return
	}
	cfg.SetBech32PrefixForAccount(Bech32Prefix, Bech32Prefix+sdk.PrefixPublic)
	cfg.SetBech32PrefixForValidator(Bech32Prefix+sdk.PrefixValidator+sdk.PrefixOperator,
		Bech32Prefix+sdk.PrefixValidator+sdk.PrefixOperator+sdk.PrefixPublic)
	cfg.SetBech32PrefixForConsensusNode(Bech32Prefix+sdk.PrefixValidator+sdk.PrefixConsensus,
		Bech32Prefix+sdk.PrefixValidator+sdk.PrefixConsensus+sdk.PrefixPublic)
}
