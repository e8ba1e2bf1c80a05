package types

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/runtime"
)

// TestParamsKeepAdmittedModelsRefereeable: governance cannot lower the
// referee's limits below the bounds models were admitted by, nor price a
// step above the gas a sidecar gives it: either would leave disputes over
// admitted models unjustifiable (no verdict, the result stands).
func TestParamsKeepAdmittedModelsRefereeable(t *testing.T) {
	require.NoError(t, DefaultParams().Validate())
	for name, change := range map[string]func(p *Params){
		"inputs below a step":    func(p *Params) { p.MaxInputBytes = runtime.MaxRefereeStepBytes - 1 },
		"flops below a step":     func(p *Params) { p.MaxRefereeFlops = runtime.MaxRefereeStepFLOPs - 1 },
		"artifact below a step":  func(p *Params) { p.MaxArtifactBytes = runtime.MaxRefereeStepBytes - 1 },
		"gas per byte too dear":  func(p *Params) { p.RefereeGasPerByte = CeilingRefereeGasPerByte + 1 },
		"no step deadline":       func(p *Params) { p.StepBlocks = 0 },
		"inputs above a ceiling": func(p *Params) { p.MaxInputBytes = CeilingInputBytes + 1 },
	} {
		p := DefaultParams()
		change(&p)
		require.ErrorIs(t, p.Validate(), ErrInvalidParams, name)
	}
}
