package types

import errorsmod "cosmossdk.io/errors"

// Registered errors, by concern.
var (
	// 2–9: opening disputes.
	ErrInvalidChallenge = errorsmod.Register(ModuleName, 2, "invalid challenge")
	ErrAlreadyDisputed  = errorsmod.Register(ModuleName, 3, "claim already disputed")
	ErrWindowClosed     = errorsmod.Register(ModuleName, 4, "challenge window closed")
	ErrNotChallenger    = errorsmod.Register(ModuleName, 5, "neither a bonded validator nor able to post the bond")

	// 10–19: the game.
	ErrDisputeNotFound = errorsmod.Register(ModuleName, 10, "dispute not found")
	ErrDisputeClosed   = errorsmod.Register(ModuleName, 11, "dispute not open")
	ErrWrongPhase      = errorsmod.Register(ModuleName, 12, "wrong phase")
	ErrWrongIndex      = errorsmod.Register(ModuleName, 13, "wrong leaf index")
	ErrWrongSide       = errorsmod.Register(ModuleName, 14, "unknown side")
	ErrAlreadyRevealed = errorsmod.Register(ModuleName, 15, "side already revealed this step")
	ErrBadProof        = errorsmod.Register(ModuleName, 16, "invalid Merkle proof")
	ErrBadLeaf         = errorsmod.Register(ModuleName, 17, "malformed leaf")

	// 20–29: the referee step.
	ErrBadArtifact = errorsmod.Register(ModuleName, 20, "model artifact does not match the registry")
	ErrBadInputs   = errorsmod.Register(ModuleName, 21, "invalid operator inputs")
	ErrTooLarge    = errorsmod.Register(ModuleName, 22, "referee step too large")
	// ErrUnsupportedRuntime: the evaluation's runtime version is not one
	// this binary implements.
	ErrUnsupportedRuntime = errorsmod.Register(ModuleName, 23, "runtime version not implemented by this binary")

	// 100–102, alike in every Delphi module (internal/modkit): the
	// authority, params and signer addresses.
	ErrUnauthorized   = errorsmod.Register(ModuleName, 100, "unauthorized")
	ErrInvalidParams  = errorsmod.Register(ModuleName, 101, "invalid params")
	ErrInvalidAddress = errorsmod.Register(ModuleName, 102, "invalid address")
)
