package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// TestModelsTheRefereeCannotCarryAreRefused: an ONNX model declares its
// largest referee step; registration refuses a missing declaration and
// one above what a referee transaction can carry, and an evaluation
// refuses a model without a valid one (registered before the rule, or
// imported in a genesis). Before, any model was let in, and a dispute
// over one too large to referee could only time out.
func TestModelsTheRefereeCannotCarryAreRefused(t *testing.T) {
	f := newFixture(t)
	for name, change := range map[string]func(m *types.MsgRegisterModel){
		"undeclared":     func(m *types.MsgRegisterModel) { m.RefereeStepBytes, m.RefereeStepFlops = 0, 0 },
		"no bytes":       func(m *types.MsgRegisterModel) { m.RefereeStepBytes = 0 },
		"no flops":       func(m *types.MsgRegisterModel) { m.RefereeStepFlops = 0 },
		"too many bytes": func(m *types.MsgRegisterModel) { m.RefereeStepBytes = runtime.MaxRefereeStepBytes + 1 },
		"too many flops": func(m *types.MsgRegisterModel) { m.RefereeStepFlops = runtime.MaxRefereeStepFLOPs + 1 },
		"gguf too large": func(m *types.MsgRegisterModel) { m.Format, m.RefereeStepBytes = "gguf", runtime.MaxRefereeStepBytes+1 },
		"gguf undeclared": func(m *types.MsgRegisterModel) {
			m.Format, m.RefereeStepBytes, m.RefereeStepFlops = "gguf", 0, 0
		},
	} {
		t.Run(name, func(t *testing.T) {
			m := validModel(f.alice, "m")
			change(m)
			_, err := f.msg.RegisterModel(f.ctx, m)
			require.ErrorIs(t, err, types.ErrInvalidModel)
		})
	}
	atBound := validModel(f.alice, "at-bound")
	atBound.RefereeStepBytes, atBound.RefereeStepFlops = runtime.MaxRefereeStepBytes, runtime.MaxRefereeStepFLOPs
	_, err := f.msg.RegisterModel(f.ctx, atBound)
	require.NoError(t, err)

	f.benchmark(t, "mnist")
	a, b := f.model(t, f.alice, "a"), f.model(t, f.alice, "b")
	legacy, err := f.k.Models.Get(f.ctx, b)
	require.NoError(t, err)
	legacy.RefereeStepBytes, legacy.RefereeStepFlops = 0, 0
	require.NoError(t, f.k.Models.Set(f.ctx, b, legacy))
	spec := &types.MsgCreateEvaluation{Creator: f.bob, BenchmarkId: 1, ModelIds: []uint64{a, b}, Rounds: 1,
		ItemsPerRound: 10, BlocksBetweenRounds: 3, StartDelay: 2, DeadlineBlocks: 30}
	_, err = f.msg.CreateEvaluation(f.ctx, spec)
	require.ErrorIs(t, err, types.ErrInvalidEvaluation)
	require.ErrorContains(t, err, "must declare referee_step_bytes")
	legacy.RefereeStepBytes, legacy.RefereeStepFlops = 1000, 1000
	require.NoError(t, f.k.Models.Set(f.ctx, b, legacy))
	_, err = f.msg.CreateEvaluation(f.ctx, spec)
	require.NoError(t, err)
}

// TestAJudgedEvaluationFitsOneRefereeStep: a step over a judged run
// carries the candidate and the judge, so an evaluation on a judged
// benchmark is refused when their declared steps together exceed what one
// referee transaction carries.
func TestAJudgedEvaluationFitsOneRefereeStep(t *testing.T) {
	f := newFixture(t)
	lm := func(name string, bytes uint64) uint64 {
		m := validModel(f.alice, name)
		m.Format, m.RefereeStepBytes = "gguf", bytes
		res, err := f.msg.RegisterModel(f.ctx, m)
		require.NoError(t, err)
		return res.Id
	}
	judge := lm("judge", 400_000)
	small, big := lm("small", 200_000), lm("big", 300_000)
	res, err := f.msg.RegisterBenchmark(f.ctx, &types.MsgRegisterBenchmark{Registrant: f.authority, Name: "kjv-complete-judged",
		Dataset: "kjv-complete", Task: "text", Metric: "m", DatasetSha256: hashA, ItemRoot: hashA,
		DatasetUris: []string{"file:///kjv"}, ItemCount: 100, JudgeModelId: judge})
	require.NoError(t, err)
	spec := func(models ...uint64) *types.MsgCreateEvaluation {
		return &types.MsgCreateEvaluation{Creator: f.bob, BenchmarkId: res.Id, ModelIds: models, Rounds: 1,
			ItemsPerRound: 10, BlocksBetweenRounds: 3, StartDelay: 2, DeadlineBlocks: 30}
	}
	_, err = f.msg.CreateEvaluation(f.ctx, spec(small, big))
	require.ErrorIs(t, err, types.ErrInvalidEvaluation)
	require.ErrorContains(t, err, "together exceed")
	_, err = f.msg.CreateEvaluation(f.ctx, spec(small, lm("small-2", 100_000)))
	require.NoError(t, err)
}
