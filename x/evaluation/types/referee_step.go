package types

import (
	errorsmod "cosmossdk.io/errors"

	"github.com/delphi-network/delphi/runtime"
)

// ValidateRefereeStep checks a model's declared largest Verde referee
// step. An ONNX model is refereed part by part (its skeleton and the
// weights and inputs of one operator), so it must declare its largest
// step, within what one referee transaction can carry: the chain refuses
// to let a model it could never referee into an evaluation, where a
// dispute over it could end only without a verdict. Every validator's
// runtime refuses to evaluate a model whose steps exceed its declaration
// (runtime.CheckRefereeStep), so the declaration binds. A GGUF model's
// steps are bounded by its config (runtime/llm): its declaration is
// optional, and bounded like any other when given.
func ValidateRefereeStep(class *errorsmod.Error, format string, bytes, flops uint64) error {
	switch {
	case format != "onnx" && bytes == 0 && flops == 0:
		return nil
	case bytes == 0 || flops == 0:
		return errorsmod.Wrap(class, "referee_step_bytes and referee_step_flops must both be declared (an ONNX model must declare them; `delphid model inspect` prints them)")
	case bytes > runtime.MaxRefereeStepBytes:
		return errorsmod.Wrapf(class, "referee_step_bytes %d above %d: one operator's referee step would not fit a transaction", bytes, runtime.MaxRefereeStepBytes)
	case flops > runtime.MaxRefereeStepFLOPs:
		return errorsmod.Wrapf(class, "referee_step_flops %d above %d: the chain could not recompute one operator in a transaction", flops, runtime.MaxRefereeStepFLOPs)
	}
	return nil
}
