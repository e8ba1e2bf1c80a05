package types

import (
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/runtime"
)

// Hard ceilings params may not exceed.
const (
	CeilingStepBlocks    = 100_000
	CeilingArtifactBytes = 4 << 20
	CeilingInputBytes    = 4 << 20
	// CeilingRefereeGasPerByte keeps the largest referee step within the
	// gas a sidecar sizes it with (evaluator signer: 30 per message byte).
	CeilingRefereeGasPerByte = 20
)

// DefaultParams: 20 blocks per step, 5% slashed, a 1000 DELPHI bond for
// non-validator challengers, referee steps up to 1 MiB of inputs and parts
// (1 MiB of whole artifact, for an ONNX language model) and 10^8 FLOPs.
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
	case p.MaxArtifactBytes < runtime.MaxRefereeStepBytes || p.MaxArtifactBytes > CeilingArtifactBytes:
		// An admitted ONNX language model's artifact is within one step.
		return errorsmod.Wrapf(ErrInvalidParams, "max_artifact_bytes %d not in [%d, %d]", p.MaxArtifactBytes, runtime.MaxRefereeStepBytes, CeilingArtifactBytes)
	case p.MaxInputBytes < runtime.MaxRefereeStepBytes || p.MaxInputBytes > CeilingInputBytes:
		// Below the runtime's bound, models already admitted into
		// evaluations could no longer be refereed.
		return errorsmod.Wrapf(ErrInvalidParams, "max_input_bytes %d not in [%d, %d]", p.MaxInputBytes, runtime.MaxRefereeStepBytes, CeilingInputBytes)
	case p.RefereeGasPerByte > CeilingRefereeGasPerByte:
		// The sidecar budgets 30 gas per byte of a move (the ante
		// handler's 10 and this); more would price honest steps out.
		return errorsmod.Wrapf(ErrInvalidParams, "referee_gas_per_byte above %d", CeilingRefereeGasPerByte)
	case p.MaxRefereeFlops < runtime.MaxRefereeStepFLOPs || p.MaxRefereeFlops > 1<<34:
		return errorsmod.Wrapf(ErrInvalidParams, "max_referee_flops must be in [%d, 2^34]", runtime.MaxRefereeStepFLOPs)
	}
	if err := p.ChallengerBond.Validate(); err != nil {
		return errorsmod.Wrapf(ErrInvalidParams, "challenger_bond: %v", err)
	}
	return nil
}
