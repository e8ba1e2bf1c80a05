package evaluator

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/train"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// TestModelsBeyondTheRefereeAreRefused: every sidecar refuses (the
// rejected root, alike everywhere) a classifier whose largest referee
// step exceeds its registration's declaration or what the chain can
// referee, so no result the chain could not referee is ever reported.
func TestModelsBeyondTheRefereeAreRefused(t *testing.T) {
	c := &computer{limits: runtime.DefaultLimits()}
	register := func(raw []byte, declared runtime.RefereeStep) (*loaded, evaluationtypes.Model) {
		m, err := runtime.LoadModel(raw, runtime.DefaultLimits())
		require.NoError(t, err)
		sum, root := sha256.Sum256(raw), m.Weights().Root()
		return &loaded{raw: raw}, evaluationtypes.Model{Format: "onnx", WeightsSha256: hex.EncodeToString(sum[:]),
			WeightsRoot: hex.EncodeToString(root[:]), RefereeStepBytes: uint64(declared.Bytes), RefereeStepFlops: uint64(declared.FLOPs)}
	}
	raw, err := train.DeepMLP(4, 3, 64, 2, 1)
	require.NoError(t, err)
	m, err := runtime.LoadModel(raw, runtime.DefaultLimits())
	require.NoError(t, err)
	step, err := m.RefereeStep()
	require.NoError(t, err)

	l, reg := register(raw, step)
	_, err = c.classifier(l, reg, runtime.Version)
	require.NoError(t, err, "an honest declaration")
	l, reg = register(raw, runtime.RefereeStep{Bytes: step.Bytes - 1, FLOPs: step.FLOPs})
	_, err = c.classifier(l, reg, runtime.Version)
	require.ErrorContains(t, err, "declared", "a step larger than declared")

	wide, err := train.DeepMLP(4, 3, 1024, 2, 1)
	require.NoError(t, err)
	l, reg = register(wide, runtime.RefereeStep{Bytes: runtime.MaxRefereeStepBytes, FLOPs: runtime.MaxRefereeStepFLOPs})
	_, err = c.classifier(l, reg, runtime.Version)
	require.ErrorContains(t, err, "could not referee", "one operator beyond a referee transaction")
}

// TestTheDeclarationShapesTheLeaves: the sidecar groups a classifier's
// version 3 leaves as its registration's declaration allows, as the
// referee does (x/verde TestDeclaredRoomIsRefereedOverItsGroups): at the
// smallest step version 2's groups, at twice it fewer and larger ones,
// each step within the declaration; versions 1 and 2 ignore it.
func TestTheDeclarationShapesTheLeaves(t *testing.T) {
	c := &computer{limits: runtime.DefaultLimits()}
	raw, err := train.DeepMLP(4, 3, 64, 2, 1)
	require.NoError(t, err)
	m, err := runtime.LoadModel(raw, runtime.DefaultLimits())
	require.NoError(t, err)
	least, err := m.RefereeStep()
	require.NoError(t, err)
	sum, root := sha256.Sum256(raw), m.Weights().Root()
	leaves := func(declared runtime.RefereeStep, v uint32) int {
		reg := evaluationtypes.Model{Format: "onnx", WeightsSha256: hex.EncodeToString(sum[:]), WeightsRoot: hex.EncodeToString(root[:]),
			RefereeStepBytes: uint64(declared.Bytes), RefereeStepFlops: uint64(declared.FLOPs)}
		at, err := c.classifier(&loaded{raw: raw}, reg, v)
		require.NoError(t, err)
		step, err := at.LargestStep()
		require.NoError(t, err)
		require.LessOrEqual(t, step.Bytes, declared.Bytes)
		require.LessOrEqual(t, step.FLOPs, declared.FLOPs)
		return at.Program.LeavesPerItem()
	}
	roomy := runtime.RefereeStep{Bytes: 2 * least.Bytes, FLOPs: 2 * least.FLOPs}
	v2 := leaves(least, 2)
	require.Equal(t, v2, leaves(least, 3), "no room: version 2's groups")
	require.Less(t, leaves(roomy, 3), v2, "room: larger groups")
	require.Equal(t, v2, leaves(roomy, 2), "version 2 ignores the declaration")
}

// TestSidecarAndRefereeReadTheDeclarationAlike: a registration declaring
// more than the chain's bounds (only genesis can hold one) is read as the
// bounds by the sidecar as by x/verde's referee (runtime.Declared), so both
// group the trace alike, and no step exceeds what a transaction carries.
func TestSidecarAndRefereeReadTheDeclarationAlike(t *testing.T) {
	c := &computer{limits: runtime.DefaultLimits()}
	raw, err := train.DeepMLP(4, 3, 256, 8, 1)
	require.NoError(t, err)
	m, err := runtime.LoadModel(raw, runtime.DefaultLimits())
	require.NoError(t, err)
	sum, root := sha256.Sum256(raw), m.Weights().Root()
	reg := evaluationtypes.Model{Format: "onnx", WeightsSha256: hex.EncodeToString(sum[:]), WeightsRoot: hex.EncodeToString(root[:]),
		RefereeStepBytes: 1 << 40, RefereeStepFlops: 1 << 40}
	sidecar, err := c.classifier(&loaded{raw: raw}, reg, 3)
	require.NoError(t, err)
	sk, err := runtime.LoadSkeleton(m.Skeleton(), runtime.DefaultLimits())
	require.NoError(t, err)
	referee, err := sk.AtVersionDeclared(3, runtime.Declared(reg.RefereeStepBytes, reg.RefereeStepFlops)) // x/verde modelReferee
	require.NoError(t, err)
	require.Equal(t, referee.Program.Room(), sidecar.Program.Room())
	require.Equal(t, referee.LeavesPerItem(), sidecar.LeavesPerItem())
	step, err := sidecar.LargestStep()
	require.NoError(t, err)
	require.NoError(t, step.WithinBounds())
}
