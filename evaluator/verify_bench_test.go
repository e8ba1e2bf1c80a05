package evaluator

import (
	"context"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
	"github.com/delphi-network/delphi/runtime/llm"
	"github.com/delphi-network/delphi/runtime/train"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// BenchmarkVerifyRound: one round of 200 MNIST test items for a trained
// MLP, evaluated the way a sidecar does (computer.run on a cached
// artifact) and verified the way `delphid verify round` does (a fresh
// Verifier: chain reads, fetching and hashing the artifact, parsing it,
// the same run, the comparison). Both report items/s; they share the
// runtime, so the difference is verification's fixed cost.
func BenchmarkVerifyRound(b *testing.B) {
	ds, err := bench.Load("mnist")
	if err != nil {
		b.Skipf("benchmark data: %v (run make data)", err)
	}
	cfg := train.DefaultConfig("mlp", "mnist-train")
	cfg.Limit = 2000
	raw, rec, err := train.Train(cfg)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "mlp.onnx")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		b.Fatal(err)
	}
	sum := ds.SHA256()
	m := evaluationtypes.Model{Id: 1, Name: "mnist-mlp", Format: "onnx", WeightsSha256: rec.ModelSHA256, WeightsRoot: rec.WeightsRoot,
		ArtifactUris: []string{"file://" + path}, RefereeStepBytes: uint64(rec.RefereeStepBytes), RefereeStepFlops: uint64(rec.RefereeStepFLOPs)}
	seed := make([]byte, 32)
	fc := &fakeChain{
		e: evaluationtypes.Evaluation{Id: 1, BenchmarkId: 1, ModelIds: []uint64{1}, Rounds: 1, ItemsPerRound: 200,
			Status: evaluationtypes.EVALUATION_STATUS_FINALIZED},
		bench:  evaluationtypes.Benchmark{Id: 1, Name: "mnist", DatasetSha256: hex.EncodeToString(sum[:]), ItemCount: uint64(ds.Len())},
		models: map[uint64]evaluationtypes.Model{1: m},
		rounds: []evaluationtypes.Round{{EvaluationId: 1, Round: 0, Seed: hex.EncodeToString(seed), Status: evaluationtypes.ROUND_STATUS_FINAL}},
	}
	newComputer := func() *computer {
		return &computer{artifacts: newArtifacts(Fetcher{Schemes: []string{"file"}}, ""), limits: runtime.DefaultLimits(), texts: map[string]*llm.TextBench{}}
	}
	ctx := context.Background()
	sidecar := newComputer()
	j := job{evaluation: fc.e, round: fc.rounds[0], benchmark: fc.bench, model: m, maxBytes: 64 << 20}
	if err := sidecar.artifacts.await(ctx, m, j.maxBytes); err != nil {
		b.Fatal(err)
	}
	res, _, err := sidecar.run(ctx, j)
	if err != nil {
		b.Fatal(err)
	}
	fc.results = []evaluationtypes.Result{{EvaluationId: 1, Round: 0, ModelId: 1, Correct: res.Correct,
		TraceRoot: hex.EncodeToString(res.TraceRoot), Leaves: res.Leaves}}

	b.Run("sidecar", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, _, err := sidecar.run(ctx, j); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)*200/b.Elapsed().Seconds(), "items/s")
	})
	b.Run("verify", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			v := &Verifier{chain: &chain{q: fc}, compute: newComputer()}
			rep, err := v.VerifyEvaluation(ctx, 1, 0, nil)
			if err != nil || !rep.OK {
				b.Fatalf("%v %+v", err, rep.Findings)
			}
		}
		b.ReportMetric(float64(b.N)*200/b.Elapsed().Seconds(), "items/s")
	})
}
