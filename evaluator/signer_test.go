package evaluator

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/runtime"
	verdetypes "github.com/delphi-network/delphi/x/verde/types"
)

// TestARefereeStepsGasCoversItsArithmetic: a referee step with small
// inputs may still recompute a group as costly as any declaration admits
// (runtime version 3's room); its gas limit covers that arithmetic (a FLOP
// per 100 gas), the per-byte charges of the ante handler and the referee
// (10 each, default params) and still leaves half a million for the state
// it touches.
func TestARefereeStepsGasCoversItsArithmetic(t *testing.T) {
	s := &signer{}
	msg := &verdetypes.MsgSubmitOperatorInputs{Submitter: "delphi1x", DisputeId: 1, Model: make([]byte, 2048)}
	size := uint64(msg.Size())
	arithmetic := uint64(runtime.MaxRefereeStepFLOPs / 100)
	require.GreaterOrEqual(t, s.gasFor(msg), arithmetic+20*size+500_000)
	// Other moves carry no recomputation.
	bisect := &verdetypes.MsgBisect{Submitter: "delphi1x", DisputeId: 1}
	require.Equal(t, 1_000_000+30*uint64(bisect.Size()), s.gasFor(bisect))
	// A configured limit wins.
	require.Equal(t, uint64(7), (&signer{gas: 7}).gasFor(msg))
}
