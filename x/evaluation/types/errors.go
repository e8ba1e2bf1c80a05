package types

import errorsmod "cosmossdk.io/errors"

// Codes 2-9: registries; 10-19: evaluations; 30-39: vote extensions;
// 100-102: authority, params and addresses, as in every module.
var (
	ErrInvalidBenchmark   = errorsmod.Register(ModuleName, 2, "invalid benchmark")
	ErrBenchmarkExists    = errorsmod.Register(ModuleName, 3, "benchmark name already registered")
	ErrBenchmarkNotFound  = errorsmod.Register(ModuleName, 4, "benchmark not found")
	ErrInvalidModel       = errorsmod.Register(ModuleName, 5, "invalid model")
	ErrModelNotFound      = errorsmod.Register(ModuleName, 6, "model not found")
	ErrNotModelOwner      = errorsmod.Register(ModuleName, 7, "not the model's owner")
	ErrInvalidURI         = errorsmod.Register(ModuleName, 8, "invalid artifact or dataset URI")
	ErrInvalidEvaluation  = errorsmod.Register(ModuleName, 10, "invalid evaluation")
	ErrEvaluationNotFound = errorsmod.Register(ModuleName, 11, "evaluation not found")
	// ErrInsufficientDeposit: the creator cannot post the evaluation's deposit.
	ErrInsufficientDeposit = errorsmod.Register(ModuleName, 12, "insufficient evaluation deposit")
	// Codes 30-39: vote extensions.
	ErrInvalidVoteExtension = errorsmod.Register(ModuleName, 30, "invalid vote extension")

	// 100–102, alike in every Delphi module (internal/modkit): the
	// authority, params and signer addresses.
	ErrUnauthorized   = errorsmod.Register(ModuleName, 100, "unauthorized")
	ErrInvalidParams  = errorsmod.Register(ModuleName, 101, "invalid params")
	ErrInvalidAddress = errorsmod.Register(ModuleName, 102, "invalid address")
)
