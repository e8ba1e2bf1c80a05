package keeper_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/testutil/evalsim"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// Text benchmarks: the dataset sets the points per item, a judge is a
// registered language model deciding generated answers only, and GGUF
// models run only on text.
func TestTextBenchmarksAndJudges(t *testing.T) {
	f := newFixture(t)
	lm := validModel(f.alice, "llama")
	lm.Format = "gguf"
	lmRes, err := f.msg.RegisterModel(f.ctx, lm)
	require.NoError(t, err)
	lm2 := validModel(f.bob, "llama-prompted")
	lm2.Format, lm2.SystemPrompt = "gguf", "Answer in the style of the King James Bible."
	lm2Res, err := f.msg.RegisterModel(f.ctx, lm2)
	require.NoError(t, err)
	onnx := f.model(t, f.alice, "cnn")

	text := func(name, dataset string, judge uint64, prompt string) *types.MsgRegisterBenchmark {
		return &types.MsgRegisterBenchmark{Registrant: f.authority, Name: name, Dataset: dataset, Task: "text", Metric: "m",
			DatasetSha256: hashA, ItemRoot: hashA, DatasetUris: []string{"file:///kjv"}, ItemCount: 100,
			JudgeModelId: judge, JudgePrompt: prompt}
	}
	next, err := f.msg.RegisterBenchmark(f.ctx, text("kjv-next", "", 0, ""))
	require.NoError(t, err)
	judged, err := f.msg.RegisterBenchmark(f.ctx, text("kjv-complete-judged", "kjv-complete", lmRes.Id, "Is {answer} right? yes or no:"))
	require.NoError(t, err)
	for _, c := range []struct {
		id     uint64
		points uint32
	}{{next.Id, 1000}, {judged.Id, 1}} {
		b, err := f.q.Benchmark(f.ctx, &types.QueryBenchmarkRequest{Id: c.id})
		require.NoError(t, err)
		require.Equal(t, c.points, b.Benchmark.PointsPerItem)
	}
	b, _ := f.q.Benchmark(f.ctx, &types.QueryBenchmarkRequest{Id: judged.Id})
	require.Equal(t, "kjv-complete", b.Benchmark.DatasetName())
	require.Equal(t, lmRes.Id, b.Benchmark.JudgeModelId)

	for name, tc := range map[string]struct {
		msg  *types.MsgRegisterBenchmark
		want error
	}{
		"judge on next-token":     {text("j1", "kjv-next", lmRes.Id, ""), types.ErrInvalidBenchmark},
		"judge on an image set":   {text("j2", "mnist", lmRes.Id, ""), types.ErrInvalidBenchmark},
		"unknown judge":           {text("j3", "kjv-complete", 99, ""), types.ErrModelNotFound},
		"prompt without judge":    {text("j4", "kjv-complete", 0, "Is {answer} right?"), types.ErrInvalidBenchmark},
		"prompt without {answer}": {text("j5", "kjv-complete", lmRes.Id, "Is it right?"), types.ErrInvalidBenchmark},
		"huge judge prompt":       {text("j6", "kjv-complete", lmRes.Id, "{answer}"+strings.Repeat("x", types.MaxSystemPromptLen)), types.ErrInvalidBenchmark},
		"uppercase dataset":       {text("j7", "KJV", 0, ""), types.ErrInvalidBenchmark},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.msg.RegisterBenchmark(f.ctx, tc.msg)
			require.ErrorIs(t, err, tc.want)
		})
	}

	// GGUF models evaluate on text; two entries of the same weights with
	// different system prompts are two outcomes.
	create := func(bench uint64, models ...uint64) error {
		_, err := f.msg.CreateEvaluation(f.ctx, &types.MsgCreateEvaluation{Creator: f.alice, BenchmarkId: bench, ModelIds: models,
			Rounds: 2, ItemsPerRound: 10, BlocksBetweenRounds: 3, StartDelay: 2, DeadlineBlocks: 20})
		return err
	}
	require.NoError(t, create(next.Id, lmRes.Id, lm2Res.Id))
	require.NoError(t, create(next.Id, lmRes.Id, onnx), "an ONNX file may be a language model")
	image := f.benchmark(t, "mnist")
	require.ErrorIs(t, create(image, lmRes.Id, onnx), types.ErrInvalidEvaluation, "a GGUF model on images")

	bad := validModel(f.alice, "pt")
	bad.Format = "pytorch"
	_, err = f.msg.RegisterModel(f.ctx, bad)
	require.ErrorIs(t, err, types.ErrInvalidModel)
}

// A kjv-next round scores up to 1000 points per item: the tally accepts
// claims up to items × 1000 and no more, and the index reads accuracy
// against that most.
func TestTallyBoundsPointsByTheBenchmark(t *testing.T) {
	f := newFixture(t)
	_, err := f.msg.RegisterBenchmark(f.ctx, &types.MsgRegisterBenchmark{Registrant: f.authority, Name: "kjv-next", Task: "text",
		Metric: "compression", DatasetSha256: hashA, ItemRoot: hashA, DatasetUris: []string{"file:///kjv"}, ItemCount: 100})
	require.NoError(t, err)
	for _, n := range []string{"a", "b"} {
		m := validModel(f.alice, n)
		m.Format = "gguf"
		_, err := f.msg.RegisterModel(f.ctx, m)
		require.NoError(t, err)
	}
	out, err := f.msg.CreateEvaluation(f.ctx, &types.MsgCreateEvaluation{Creator: f.bob, BenchmarkId: 1,
		ModelIds: []uint64{1, 2}, Rounds: 1, ItemsPerRound: 10, BlocksBetweenRounds: 3, StartDelay: 2, DeadlineBlocks: 50})
	require.NoError(t, err)
	f.sim.Results = f.sim.Claims(func(_ int, _ types.Round, m uint64) *types.RoundResult {
		if m == 2 {
			return evalsim.Result(10001, 2)
		}
		return evalsim.Result(7400, 1)
	})
	f.runTo(t, 110)
	got, final := f.result(t, out.Id, 0, 1)
	require.True(t, final, "7400 points of at most 10 × 1000")
	require.Equal(t, uint64(7400), got.Correct)
	_, final = f.result(t, out.Id, 0, 2)
	require.False(t, final, "10001 points exceed 10 items × 1000")

	e := types.IndexEntry{Items: 10, Correct: 7400, PointsPerItem: 1000}
	require.Equal(t, "0.740000000000000000", e.Score().Accuracy)
}
