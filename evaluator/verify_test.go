package evaluator

import (
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	grpctypes "github.com/cosmos/cosmos-sdk/types/grpc"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
	"github.com/delphi-network/delphi/runtime/llm"
	"github.com/delphi-network/delphi/runtime/train"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// fakeChain answers the evaluation queries a Verifier makes from fixed
// state: what a node would serve.
type fakeChain struct {
	evaluationtypes.QueryClient
	e       evaluationtypes.Evaluation
	rounds  []evaluationtypes.Round
	results []evaluationtypes.Result
	bench   evaluationtypes.Benchmark
	models  map[uint64]evaluationtypes.Model
	// heights counts the queries by the height they read (0: latest).
	heights map[int64]int
}

func (f *fakeChain) note(ctx context.Context) {
	if f.heights == nil {
		f.heights = map[int64]int{}
	}
	h, _ := pinned(ctx)
	f.heights[h]++
}

func (f *fakeChain) Evaluation(ctx context.Context, _ *evaluationtypes.QueryEvaluationRequest, _ ...grpc.CallOption) (*evaluationtypes.QueryEvaluationResponse, error) {
	f.note(ctx)
	return &evaluationtypes.QueryEvaluationResponse{Evaluation: f.e}, nil
}

func (f *fakeChain) Rounds(ctx context.Context, _ *evaluationtypes.QueryRoundsRequest, _ ...grpc.CallOption) (*evaluationtypes.QueryRoundsResponse, error) {
	f.note(ctx)
	return &evaluationtypes.QueryRoundsResponse{Rounds: f.rounds}, nil
}

func (f *fakeChain) Results(ctx context.Context, _ *evaluationtypes.QueryResultsRequest, _ ...grpc.CallOption) (*evaluationtypes.QueryResultsResponse, error) {
	f.note(ctx)
	return &evaluationtypes.QueryResultsResponse{Results: f.results}, nil
}

func (f *fakeChain) Benchmark(ctx context.Context, _ *evaluationtypes.QueryBenchmarkRequest, _ ...grpc.CallOption) (*evaluationtypes.QueryBenchmarkResponse, error) {
	f.note(ctx)
	return &evaluationtypes.QueryBenchmarkResponse{Benchmark: f.bench}, nil
}

func (f *fakeChain) Params(ctx context.Context, _ *evaluationtypes.QueryParamsRequest, _ ...grpc.CallOption) (*evaluationtypes.QueryParamsResponse, error) {
	f.note(ctx)
	return &evaluationtypes.QueryParamsResponse{Params: evaluationtypes.DefaultParams()}, nil
}

func (f *fakeChain) Model(ctx context.Context, req *evaluationtypes.QueryModelRequest, _ ...grpc.CallOption) (*evaluationtypes.QueryModelResponse, error) {
	f.note(ctx)
	return &evaluationtypes.QueryModelResponse{Model: f.models[req.Id]}, nil
}

// TestVerifyFindsAFalsifiedResult: two real iris models, trained here, on
// two final rounds. The chain's results are the models' own (computed the
// way a sidecar does), except one falsified score: verify reports every
// other (round, model) as a match, that one as a MISMATCH of correct with
// both values and the challenge command, and the local standings the
// honest results imply. An artifact that is not the registered bytes is
// reported UNAVAILABLE, a round not final as pending.
func TestVerifyFindsAFalsifiedResult(t *testing.T) {
	ds, err := bench.Load("iris")
	require.NoError(t, err)
	dir := t.TempDir()
	models := map[uint64]evaluationtypes.Model{}
	for i, kind := range []string{"logreg", "mlp"} {
		cfg := train.DefaultConfig(kind, "iris")
		cfg.Epochs = 20
		raw, rec, err := train.Train(cfg)
		require.NoError(t, err)
		path := filepath.Join(dir, kind+".onnx")
		require.NoError(t, os.WriteFile(path, raw, 0o600))
		id := uint64(i + 1)
		models[id] = evaluationtypes.Model{Id: id, Name: "iris-" + kind, Format: "onnx", WeightsSha256: rec.ModelSHA256,
			WeightsRoot: rec.WeightsRoot, ArtifactUris: []string{"file://" + path},
			RefereeStepBytes: uint64(rec.RefereeStepBytes), RefereeStepFlops: uint64(rec.RefereeStepFLOPs)}
	}
	sum := ds.SHA256()
	fc := &fakeChain{
		e: evaluationtypes.Evaluation{Id: 7, BenchmarkId: 1, ModelIds: []uint64{1, 2}, Rounds: 3, ItemsPerRound: 20,
			Status: evaluationtypes.EVALUATION_STATUS_RUNNING},
		bench:  evaluationtypes.Benchmark{Id: 1, Name: "iris", DatasetSha256: hex.EncodeToString(sum[:]), ItemCount: uint64(ds.Len())},
		models: models,
	}
	for r := uint32(0); r < 2; r++ {
		seed := make([]byte, 32)
		seed[0] = byte(r + 1)
		fc.rounds = append(fc.rounds, evaluationtypes.Round{EvaluationId: 7, Round: r, Seed: hex.EncodeToString(seed), Status: evaluationtypes.ROUND_STATUS_FINAL})
	}
	fc.rounds = append(fc.rounds, evaluationtypes.Round{EvaluationId: 7, Round: 2, Status: evaluationtypes.ROUND_STATUS_OPEN})
	honest := &computer{artifacts: newArtifacts(Fetcher{Schemes: []string{"file"}}, ""), limits: runtime.DefaultLimits(), texts: map[string]*llm.TextBench{}}
	for _, rd := range fc.rounds[:2] {
		for _, id := range fc.e.ModelIds {
			require.NoError(t, honest.artifacts.await(context.Background(), models[id], 1<<20))
			res, _, err := honest.run(context.Background(), job{evaluation: fc.e, round: rd, benchmark: fc.bench, model: models[id], maxBytes: 1 << 20})
			require.NoError(t, err)
			fc.results = append(fc.results, evaluationtypes.Result{EvaluationId: 7, Round: rd.Round, ModelId: id, Correct: res.Correct,
				TraceRoot: hex.EncodeToString(res.TraceRoot), Leaves: res.Leaves})
		}
	}
	honestCorrect := fc.results[3].Correct
	fc.results[3].Correct++ // round 1, model 2: the lie made final

	v := &Verifier{chain: &chain{q: fc}, compute: &computer{artifacts: newArtifacts(Fetcher{Schemes: []string{"file"}}, ""),
		limits: runtime.DefaultLimits(), texts: map[string]*llm.TextBench{}}}
	var seen int
	rep, err := v.VerifyEvaluation(context.Background(), 7, -1, func(done, total int, _ Finding) {
		seen++
		require.Equal(t, 6, total)
		require.Equal(t, seen, done)
	})
	require.NoError(t, err)
	require.False(t, rep.OK)
	require.Len(t, rep.Findings, 6)
	for i, f := range rep.Findings {
		switch {
		case f.Round == 2:
			require.Equal(t, Pending, f.Verdict, "round 2 is open")
		case i == 3:
			require.Equal(t, Mismatch, f.Verdict)
			require.Equal(t, "correct", f.Field)
			require.Equal(t, honestCorrect+1, parseU(t, f.Chain))
			require.Equal(t, honestCorrect, parseU(t, f.Local))
			require.Contains(t, f.Challenge, "delphid tx verde challenge 7 1 2 ")
		default:
			require.Equal(t, Match, f.Verdict, "finding %d: %+v", i, f)
		}
	}

	// Every query reads one height, and a mismatch is disputable while the
	// next block is inside the result's challenge window.
	window := int64(evaluationtypes.DefaultParams().ChallengeWindowBlocks)
	for i := range fc.results {
		fc.results[i].Height = 100
	}
	for _, tc := range []struct {
		height int64
		open   bool
	}{{100 + window - 1, true}, {100 + window, false}} {
		// What pin does with the node's latest height.
		fc.heights = nil
		ctx := metadata.AppendToOutgoingContext(context.Background(), grpctypes.GRPCBlockHeightHeader, fmt.Sprint(tc.height))
		rep, err = v.VerifyEvaluation(ctx, 7, 1, nil)
		require.NoError(t, err)
		require.Equal(t, tc.height, rep.Height)
		require.Equal(t, map[int64]int{tc.height: fc.heights[tc.height]}, fc.heights, "one height for every query")
		require.True(t, rep.Mismatched())
		if tc.open {
			require.Equal(t, 100+window, rep.Findings[1].ChallengeUntil)
			require.NotEmpty(t, rep.Findings[1].Challenge)
		} else {
			require.Empty(t, rep.Findings[1].Challenge, "the next block is past the window")
		}
	}
	// A past height (--height) offers no challenge: the window is judged
	// by the chain's state now.
	v.height = 100
	rep, err = v.VerifyEvaluation(context.Background(), 7, 1, nil)
	require.NoError(t, err)
	require.Equal(t, int64(100), rep.Height)
	require.True(t, rep.Mismatched())
	require.False(t, rep.Disputable())
	v.height = 0

	// The honest chain verifies; a changed artifact is a finding, not a crash.
	fc.results[3].Correct = honestCorrect
	rep, err = v.VerifyEvaluation(context.Background(), 7, 1, nil)
	require.NoError(t, err)
	require.True(t, rep.OK, "%+v", rep.Findings)
	require.Len(t, rep.Findings, 2)
	m := models[2]
	m.WeightsSha256 = sha([]byte("other bytes"))
	models[2] = m
	rep, err = v.VerifyEvaluation(context.Background(), 7, 0, nil)
	require.NoError(t, err)
	require.False(t, rep.OK)
	require.False(t, rep.Mismatched(), "what could not be checked is not a mismatch")
	require.Equal(t, Unavailable, rep.Findings[1].Verdict)
	_, err = v.VerifyEvaluation(context.Background(), 7, 3, nil)
	require.ErrorContains(t, err, "has 3 rounds (0 to 2), not round 3")
}

func parseU(t *testing.T, s string) uint64 {
	t.Helper()
	var v uint64
	for _, c := range s {
		require.True(t, c >= '0' && c <= '9', s)
		v = v*10 + uint64(c-'0')
	}
	return v
}

// TestStandingsRankLikeTheChain: most correct first, ties share a rank and
// are listed by model id.
func TestStandingsRankLikeTheChain(t *testing.T) {
	got := Standings([]uint64{3, 1, 2}, []Finding{{Model: 1, Correct: 5}, {Model: 2, Correct: 7}, {Model: 3, Correct: 5}, {Model: 2, Correct: 0}})
	require.Equal(t, []evaluationtypes.Standing{{ModelId: 2, Correct: 7, Rank: 1}, {ModelId: 1, Correct: 5, Rank: 2}, {ModelId: 3, Correct: 5, Rank: 2}}, got)
}

// TestNothingFinalIsNothingVerified: an evaluation whose rounds are all
// still open verifies nothing, and says so: not OK, zero checked.
func TestNothingFinalIsNothingVerified(t *testing.T) {
	fc := &fakeChain{
		e: evaluationtypes.Evaluation{Id: 2, BenchmarkId: 1, ModelIds: []uint64{1}, Rounds: 1, ItemsPerRound: 5,
			Status: evaluationtypes.EVALUATION_STATUS_RUNNING},
		rounds: []evaluationtypes.Round{{EvaluationId: 2, Round: 0, Status: evaluationtypes.ROUND_STATUS_OPEN}},
		models: map[uint64]evaluationtypes.Model{1: {Id: 1, Name: "m"}},
	}
	v := &Verifier{chain: &chain{q: fc}, compute: &computer{artifacts: newArtifacts(Fetcher{}, ""), limits: runtime.DefaultLimits(),
		texts: map[string]*llm.TextBench{}}}
	rep, err := v.VerifyEvaluation(context.Background(), 2, -1, nil)
	require.NoError(t, err)
	require.False(t, rep.OK)
	require.Zero(t, rep.Checked)
	require.Equal(t, Pending, rep.Findings[0].Verdict)
	require.False(t, rep.Mismatched())
	fc.e.Status = evaluationtypes.EVALUATION_STATUS_SCHEDULED
	rep, err = v.VerifyEvaluation(context.Background(), 2, -1, nil)
	require.NoError(t, err)
	require.Equal(t, Pending, rep.Findings[0].Verdict, "scheduled: not started yet")

	// A round of an evaluation that ended will never be final: said so.
	fc.e.Status = evaluationtypes.EVALUATION_STATUS_FAILED
	rep, err = v.VerifyEvaluation(context.Background(), 2, -1, nil)
	require.NoError(t, err)
	require.False(t, rep.OK)
	require.Equal(t, NeverFinal, rep.Findings[0].Verdict)
	require.Equal(t, "round OPEN", rep.Findings[0].Field)

	// A node saying FINALIZED with a round not final contradicts itself:
	// a mismatch, never a quiet exit 0.
	fc.e.Status = evaluationtypes.EVALUATION_STATUS_FINALIZED
	rep, err = v.VerifyEvaluation(context.Background(), 2, -1, nil)
	require.NoError(t, err)
	require.False(t, rep.OK)
	require.True(t, rep.Mismatched())
	require.Equal(t, "round_status", rep.Findings[0].Field)
}

// TestAFileArtifactMustBeARegularFile: a registrant naming a device or a
// FIFO (which would block or stream forever) gets a refusal, not a hang.
func TestAFileArtifactMustBeARegularFile(t *testing.T) {
	f := Fetcher{Schemes: []string{"file"}}
	_, err := f.fetchOne(context.Background(), "file:///dev/zero", 1<<20)
	require.ErrorContains(t, err, "is not a regular file")
}
