package evaluator

import (
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/llm"
	"github.com/delphi-network/delphi/runtime/text"
	"github.com/delphi-network/delphi/runtime/tokenizer"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// textChain is a fake chain holding one evaluation of a (small) text
// benchmark: two GGUF candidates, one with a system prompt, and, when
// judged, a third GGUF model that judges kjv-complete.
func textChain(t *testing.T, benchName string, judged bool) (*fakeChain, map[string]*llm.TextBench) {
	t.Helper()
	verses := []text.Verse{
		{Ref: "a", Text: "And God said, Let there be light: and there was light."},
		{Ref: "b", Text: "In the beginning God created the heaven and the earth."},
		{Ref: "c", Text: "And the evening and the morning were the first day."},
		{Ref: "d", Text: "The LORD is my shepherd; I shall not want."},
		{Ref: "e", Text: "For God so loved the world, that he gave his only begotten Son."},
		{Ref: "f", Text: "And God saw the light, that it was good."},
	}
	tb, err := llm.BuildTextBench(benchName, verses)
	require.NoError(t, err)
	var corpus strings.Builder
	for _, v := range verses {
		corpus.WriteString(v.Text + " ")
	}
	tok, err := tokenizer.Train([]byte(strings.Repeat(corpus.String(), 4)), 300)
	require.NoError(t, err)
	cfg := llm.Config{Vocab: tok.VocabSize(), Dim: 16, Layers: 2, Heads: 2, Hidden: 24, Context: 48, RopeTheta: 10000, NormEps: 1e-5}
	dir := t.TempDir()
	models := map[uint64]evaluationtypes.Model{}
	for id, prompt := range map[uint64]string{1: "", 2: "Read well.", 3: ""} {
		w, err := llm.Init(cfg, 10+id)
		require.NoError(t, err)
		raw, err := llm.Save(w, tok, fmt.Sprintf("m%d", id), false)
		require.NoError(t, err)
		lm, err := llm.Open("gguf", raw, runtime.DefaultLimits())
		require.NoError(t, err)
		path := filepath.Join(dir, fmt.Sprintf("m%d.gguf", id))
		require.NoError(t, os.WriteFile(path, raw, 0o600))
		step := lm.RefereeStep(len(raw))
		models[id] = evaluationtypes.Model{Id: id, Name: fmt.Sprintf("lm-%d", id), Format: "gguf", WeightsSha256: sha(raw),
			WeightsRoot: hex.EncodeToString(lm.Root[:]), ArtifactUris: []string{"file://" + path}, SystemPrompt: prompt,
			RefereeStepBytes: uint64(step.Bytes), RefereeStepFlops: uint64(step.FLOPs)}
	}
	root := tb.ItemRoot()
	fc := &fakeChain{
		e: evaluationtypes.Evaluation{Id: 4, BenchmarkId: 1, ModelIds: []uint64{1, 2}, Rounds: 2, ItemsPerRound: 3,
			Status: evaluationtypes.EVALUATION_STATUS_RUNNING},
		bench: evaluationtypes.Benchmark{Id: 1, Name: benchName, DatasetSha256: tb.Hash(), ItemRoot: hex.EncodeToString(root[:]),
			ItemCount: uint64(tb.Len())},
		models: models,
	}
	if judged {
		fc.bench.JudgeModelId, fc.bench.JudgePrompt = 3, "Is the answer right?"
	}
	for r := uint32(0); r < 2; r++ {
		seed := make([]byte, 32)
		seed[0] = byte(r + 5)
		fc.rounds = append(fc.rounds, evaluationtypes.Round{EvaluationId: 4, Round: r, Seed: hex.EncodeToString(seed), Status: evaluationtypes.ROUND_STATUS_FINAL})
	}
	return fc, map[string]*llm.TextBench{benchName: tb}
}

// TestVerifyTextBenchmarks: verify re-runs language models on a text
// benchmark — next-verse likelihood, and generation decided by a judge
// model read from the chain — exactly as a sidecar computes them: an
// honest chain matches everywhere, a falsified score and a falsified trace
// root are each a MISMATCH with both values, and the standings follow.
func TestVerifyTextBenchmarks(t *testing.T) {
	for _, tc := range []struct {
		bench  string
		judged bool
	}{{"kjv-next", false}, {"kjv-complete", true}} {
		t.Run(tc.bench, func(t *testing.T) {
			fc, texts := textChain(t, tc.bench, tc.judged)
			var judge *evaluationtypes.Model
			if tc.judged {
				m := fc.models[3]
				judge = &m
			}
			// The chain's results, computed the way a sidecar does.
			honest := &computer{artifacts: newArtifacts(Fetcher{Schemes: []string{"file"}}, ""), limits: runtime.DefaultLimits(), texts: texts}
			for _, rd := range fc.rounds {
				for _, id := range fc.e.ModelIds {
					j := job{evaluation: fc.e, round: rd, benchmark: fc.bench, model: fc.models[id], judge: judge, maxBytes: 1 << 24}
					require.NoError(t, honest.artifacts.await(context.Background(), fc.models[id], 1<<24))
					if judge != nil {
						require.NoError(t, honest.artifacts.await(context.Background(), *judge, 1<<24))
					}
					res, tr, err := honest.run(context.Background(), j)
					require.NoError(t, err)
					require.NotNil(t, tr, "a text run is traced")
					fc.results = append(fc.results, evaluationtypes.Result{EvaluationId: 4, Round: rd.Round, ModelId: id, Correct: res.Correct,
						TraceRoot: hex.EncodeToString(res.TraceRoot), Leaves: res.Leaves})
				}
			}
			if judge != nil {
				// The judge changes the run: a verifier that skipped it
				// would not match the chain.
				plain := fc.bench
				plain.JudgeModelId = 0
				res, _, err := honest.run(context.Background(), job{evaluation: fc.e, round: fc.rounds[0], benchmark: plain,
					model: fc.models[1], maxBytes: 1 << 24})
				require.NoError(t, err)
				require.NotEqual(t, fc.results[0].TraceRoot, hex.EncodeToString(res.TraceRoot))
				require.Greater(t, fc.results[0].Leaves, res.Leaves, "the judge's runs are traced too")
			}
			fc.e.Status = evaluationtypes.EVALUATION_STATUS_FINALIZED
			fc.e.Standings = Standings(fc.e.ModelIds, findingsOf(fc.results))
			v := &Verifier{chain: &chain{q: fc}, compute: &computer{artifacts: newArtifacts(Fetcher{Schemes: []string{"file"}}, ""),
				limits: runtime.DefaultLimits(), texts: texts}}

			rep, err := v.VerifyEvaluation(context.Background(), 4, -1, nil)
			require.NoError(t, err)
			require.True(t, rep.OK, "%+v", rep.Findings)
			require.Equal(t, 4, rep.Checked)
			require.True(t, rep.StandingsMatch)
			for _, f := range rep.Findings {
				require.Equal(t, Match, f.Verdict)
				require.NotZero(t, f.Leaves)
			}

			// A score the models do not make, and a trace root they do not.
			honestCorrect := fc.results[1].Correct
			fc.results[1].Correct++
			fc.e.Standings = Standings(fc.e.ModelIds, findingsOf(fc.results))
			fc.results[2].TraceRoot = strings.Repeat("ab", 32)
			rep, err = v.VerifyEvaluation(context.Background(), 4, -1, nil)
			require.NoError(t, err)
			require.False(t, rep.OK)
			require.Equal(t, Mismatch, rep.Findings[1].Verdict)
			require.Equal(t, "correct", rep.Findings[1].Field)
			require.Equal(t, fmt.Sprint(honestCorrect+1), rep.Findings[1].Chain)
			require.Equal(t, fmt.Sprint(honestCorrect), rep.Findings[1].Local)
			require.Equal(t, Mismatch, rep.Findings[2].Verdict)
			require.Equal(t, "trace_root", rep.Findings[2].Field)
			require.Empty(t, rep.Findings[2].Challenge, "a finalized evaluation is past its challenge window")
			require.False(t, rep.StandingsMatch, "the chain's standings count the falsified score")
			require.Equal(t, Match, rep.Findings[0].Verdict)
			require.Equal(t, Match, rep.Findings[3].Verdict)
		})
	}
}

// findingsOf turns chain results into findings (for the chain's standings).
func findingsOf(results []evaluationtypes.Result) []Finding {
	out := make([]Finding, len(results))
	for i, r := range results {
		out[i] = Finding{Model: r.ModelId, Correct: r.Correct}
	}
	return out
}
