package runtime_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/merkle"
	"github.com/delphi-network/delphi/runtime/train"
)

// TestWeightTreeProvesTheSkeletonAndEachWeight: leaf 0 is the skeleton,
// from which the same program compiles; each initializer is its own leaf;
// neither can be passed off as the other.
func TestWeightTreeProvesTheSkeletonAndEachWeight(t *testing.T) {
	raw, err := train.DeepMLP(4, 3, 16, 3, 1)
	require.NoError(t, err)
	m, err := runtime.LoadModel(raw, runtime.DefaultLimits())
	require.NoError(t, err)
	tree := m.Weights()
	require.Equal(t, m.WeightLeaves(), tree.Len())

	proof, err := tree.ProveSkeleton()
	require.NoError(t, err)
	leaf0 := runtime.SkeletonLeafData(m.Skeleton())
	require.NoError(t, merkle.Verify(tree.Root(), 0, merkle.LeafHash(leaf0), proof))
	skel, err := runtime.ParseSkeletonLeafData(leaf0)
	require.NoError(t, err)
	sk, err := runtime.LoadSkeleton(skel, runtime.DefaultLimits())
	require.NoError(t, err)
	require.True(t, sk.Partial())
	require.Nil(t, sk.Weights(), "a skeleton has no weights to build a tree from")
	require.Equal(t, m.LeavesPerItem(), sk.LeavesPerItem())
	require.Equal(t, m.ParameterCount(), sk.ParameterCount())

	for _, name := range tree.Names() {
		i, p, err := tree.Prove(name)
		require.NoError(t, err)
		at, ok := sk.WeightLeaf(name)
		require.True(t, ok)
		require.Equal(t, i, at)
		w := m.Graph.Initializers[name]
		require.NoError(t, runtime.VerifyWeight(tree.Root(), uint64(i), name, w, p))
		require.Error(t, merkle.Verify(tree.Root(), uint64(i), merkle.LeafHash(leaf0), p), "the skeleton is not a weight")
		_, err = runtime.ParseSkeletonLeafData(runtime.WeightLeafData(name, w))
		require.Error(t, err, "a weight is not the skeleton")
	}
	require.Less(t, len(m.Skeleton()), len(raw)/4)
}

// TestSkeletonRefusesWeights: a skeleton carries no float32 values; the
// whole file offered as one is refused.
func TestSkeletonRefusesWeights(t *testing.T) {
	raw, err := train.DeepMLP(4, 3, 8, 1, 1)
	require.NoError(t, err)
	_, err = runtime.LoadSkeleton(raw, runtime.DefaultLimits())
	require.ErrorContains(t, err, "carries no float32 values")
	_, err = runtime.LoadSkeleton([]byte{0xff, 0xff}, runtime.DefaultLimits())
	require.Error(t, err)
}

// TestRefereeStepBoundsTheLargestOperator: the bound is one operator, not
// the model. A 25M-parameter model of 0.8 MB layers is admitted; one layer
// of 1024×1024 weights (4 MiB) is not, whatever the model's size; a model
// larger than its registration declared is refused.
func TestRefereeStepBoundsTheLargestOperator(t *testing.T) {
	small, err := train.DeepMLP(4, 3, 384, 2, 1)
	require.NoError(t, err)
	m, err := runtime.LoadModel(small, runtime.DefaultLimits())
	require.NoError(t, err)
	step, err := m.RefereeStep()
	require.NoError(t, err)
	require.Greater(t, step.Bytes, int64(4*384*384), "the step carries one layer's weights")
	require.Less(t, step.Bytes, int64(4*384*384)+64<<10)
	require.Equal(t, int64(2*384*384), step.FLOPs, "a Gemm of 384×384: a multiply and an add per weight")
	require.NoError(t, runtime.CheckRefereeStep(m, step))
	require.NoError(t, runtime.CheckRefereeStep(m, runtime.RefereeStep{}), "no declaration: the bounds alone")
	require.ErrorContains(t, runtime.CheckRefereeStep(m, runtime.RefereeStep{Bytes: step.Bytes - 1, FLOPs: step.FLOPs}), "declared")
	require.ErrorContains(t, runtime.CheckRefereeStep(m, runtime.RefereeStep{Bytes: step.Bytes, FLOPs: step.FLOPs - 1}), "declared")

	wide, err := train.DeepMLP(4, 3, 1024, 2, 1)
	require.NoError(t, err)
	m, err = runtime.LoadModel(wide, runtime.DefaultLimits())
	require.NoError(t, err)
	require.ErrorContains(t, runtime.CheckRefereeStep(m, runtime.RefereeStep{}), "could not referee")
}
