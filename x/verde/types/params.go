package types

import (
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Hard ceilings params may not exceed.
const (
	CeilingStepBlocks    = 100_000
	CeilingArtifactBytes = 4 << 20
	CeilingInputBytes    = 4 << 20
)

// DefaultParams: 5 blocks per step, 5% slashed, a 1000 DELPHI bond for
// non-validator challengers, referee steps up to 1 MiB of model and inputs.
func DefaultParams() Params {
	return Params{
		StepBlocks:        20,
		SlashFraction:     math.LegacyNewDecWithPrec(5, 2),
		ChallengerBond:    sdk.NewCoins(sdk.NewCoin("udelphi", math.NewInt(1_000_000_000))),
		MaxArtifactBytes:  1 << 20,
		MaxInputBytes:     1 << 20,
		RefereeGasPerByte: 10,
		MaxRefereeFlops:   100_000_000,
	}
}

// Validate checks the params.
func (p Params) Validate() error {
	switch {
	case p.StepBlocks < 1 || p.StepBlocks > CeilingStepBlocks:
		return errorsmod.Wrapf(ErrInvalidParams, "step_blocks %d not in [1, %d]", p.StepBlocks, CeilingStepBlocks)
	case p.SlashFraction.IsNil() || p.SlashFraction.IsNegative() || p.SlashFraction.GT(math.LegacyOneDec()):
		return errorsmod.Wrap(ErrInvalidParams, "slash_fraction must be in [0, 1]")
	case p.MaxArtifactBytes < 1 || p.MaxArtifactBytes > CeilingArtifactBytes:
		return errorsmod.Wrapf(ErrInvalidParams, "max_artifact_bytes %d not in [1, %d]", p.MaxArtifactBytes, CeilingArtifactBytes)
	case p.MaxInputBytes < 1 || p.MaxInputBytes > CeilingInputBytes:
		return errorsmod.Wrapf(ErrInvalidParams, "max_input_bytes %d not in [1, %d]", p.MaxInputBytes, CeilingInputBytes)
	case p.RefereeGasPerByte > 1_000_000:
		return errorsmod.Wrap(ErrInvalidParams, "referee_gas_per_byte above 1000000")
	case p.MaxRefereeFlops < 1 || p.MaxRefereeFlops > 1<<34:
		return errorsmod.Wrap(ErrInvalidParams, "max_referee_flops must be in [1, 2^34]")
	}
	if err := p.ChallengerBond.Validate(); err != nil {
		return errorsmod.Wrapf(ErrInvalidParams, "challenger_bond: %v", err)
	}
	return nil
}
