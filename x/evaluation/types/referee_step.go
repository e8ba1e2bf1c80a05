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
// (runtime.CheckRefereeStep, llm.Model.RefereeStep), so the declaration
// binds. Every format declares: a GGUF model's step carries its config,
// tokenizer and one operator's tensors, an ONNX language model's its whole
// artifact.
func ValidateRefereeStep(class *errorsmod.Error, format string, bytes, flops uint64) error {
	switch {
	case bytes == 0 || flops == 0:
		return errorsmod.Wrapf(class, "every model (this one is %s) must declare referee_step_bytes and referee_step_flops (`delphid model inspect` prints them)", format)
	case bytes > runtime.MaxRefereeStepBytes:
		return errorsmod.Wrapf(class, "referee_step_bytes %d above %d: one operator's referee step would not fit a transaction", bytes, runtime.MaxRefereeStepBytes)
	case flops > runtime.MaxRefereeStepFLOPs:
		return errorsmod.Wrapf(class, "referee_step_flops %d above %d: the chain could not recompute one operator in a transaction", flops, runtime.MaxRefereeStepFLOPs)
	}
	return nil
}

// ValidateJudgedStep checks that a candidate's referee step and its
// benchmark judge's fit one transaction together: a step over a judged
// run carries both models.
func ValidateJudgedStep(class *errorsmod.Error, candidate, judge Model) error {
	if candidate.RefereeStepBytes+judge.RefereeStepBytes > runtime.MaxRefereeStepBytes {
		return errorsmod.Wrapf(class, "model %d's referee step (%d bytes) and the judge's (model %d, %d bytes) together exceed %d: a step over a judged run carries both",
			candidate.Id, candidate.RefereeStepBytes, judge.Id, judge.RefereeStepBytes, runtime.MaxRefereeStepBytes)
	}
	return nil
}
