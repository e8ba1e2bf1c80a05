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
	"github.com/delphi-network/delphi/runtime/zoo"
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

// BenchmarkVerifyDemoMarket: `delphid verify market` on the demo's market
// shape — its four MNIST classifiers (the zoo CNN and the three the demo
// trains, read from DELPHI_TRAINED_MODELS, which `make bench` prepares with
// `delphid demo --models-only`), 6 rounds of 40 items — against the same
// 24 runs as sidecars compute them (artifacts cached). Reports the seconds
// one verification takes and items/s for both.
func BenchmarkVerifyDemoMarket(b *testing.B) {
	dir := os.Getenv("DELPHI_TRAINED_MODELS")
	if dir == "" {
		b.Skip("DELPHI_TRAINED_MODELS is not set")
	}
	ds, err := bench.Load("mnist")
	if err != nil {
		b.Skipf("benchmark data: %v (run make data)", err)
	}
	zooRaw, err := zoo.MNIST()
	if err != nil {
		b.Fatal(err)
	}
	zooPath := filepath.Join(b.TempDir(), "zoo-cnn.onnx")
	if err := os.WriteFile(zooPath, zooRaw, 0o600); err != nil {
		b.Fatal(err)
	}
	paths := []string{zooPath}
	for _, name := range []string{"delphi-cnn", "delphi-mlp", "delphi-logreg"} {
		paths = append(paths, filepath.Join(dir, name+".onnx"))
	}
	const rounds, items = 6, 40
	sum := ds.SHA256()
	fc := &fakeChain{
		e: evaluationtypes.Evaluation{Id: 1, BenchmarkId: 1, Rounds: rounds, ItemsPerRound: items,
			Status: evaluationtypes.EVALUATION_STATUS_FINALIZED},
		bench:  evaluationtypes.Benchmark{Id: 1, Name: "mnist", DatasetSha256: hex.EncodeToString(sum[:]), ItemCount: uint64(ds.Len())},
		models: map[uint64]evaluationtypes.Model{},
	}
	for i, path := range paths {
		raw, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		loaded, err := runtime.LoadModel(raw, runtime.DefaultLimits())
		if err != nil {
			b.Fatal(err)
		}
		step, err := loaded.RefereeStep()
		if err != nil {
			b.Fatal(err)
		}
		id, root := uint64(i+1), loaded.Weights().Root()
		fc.models[id] = evaluationtypes.Model{Id: id, Name: filepath.Base(path), Format: "onnx", WeightsSha256: sha(raw),
			WeightsRoot: hex.EncodeToString(root[:]), ArtifactUris: []string{"file://" + path},
			RefereeStepBytes: uint64(step.Bytes), RefereeStepFlops: uint64(step.FLOPs)}
		fc.e.ModelIds = append(fc.e.ModelIds, id)
	}
	for r := uint32(0); r < rounds; r++ {
		seed := make([]byte, 32)
		seed[0] = byte(r)
		fc.rounds = append(fc.rounds, evaluationtypes.Round{EvaluationId: 1, Round: r, Seed: hex.EncodeToString(seed), Status: evaluationtypes.ROUND_STATUS_FINAL})
	}
	newComputer := func() *computer {
		return &computer{artifacts: newArtifacts(Fetcher{Schemes: []string{"file"}}, ""), limits: runtime.DefaultLimits(), texts: map[string]*llm.TextBench{}}
	}
	ctx := context.Background()
	sidecar := newComputer()
	var jobs []job
	for _, rd := range fc.rounds {
		for _, id := range fc.e.ModelIds {
			j := job{evaluation: fc.e, round: rd, benchmark: fc.bench, model: fc.models[id], maxBytes: 64 << 20}
			if err := sidecar.artifacts.await(ctx, j.model, j.maxBytes); err != nil {
				b.Fatal(err)
			}
			res, _, err := sidecar.run(ctx, j)
			if err != nil {
				b.Fatal(err)
			}
			fc.results = append(fc.results, evaluationtypes.Result{EvaluationId: 1, Round: rd.Round, ModelId: id, Correct: res.Correct,
				TraceRoot: hex.EncodeToString(res.TraceRoot), Leaves: res.Leaves})
			jobs = append(jobs, j)
		}
	}
	fc.e.Standings = Standings(fc.e.ModelIds, findingsOf(fc.results))
	total := float64(len(jobs) * items)

	b.Run("sidecar", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for _, j := range jobs {
				if _, _, err := sidecar.run(ctx, j); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(b.N)*total/b.Elapsed().Seconds(), "items/s")
	})
	b.Run("verify", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			v := &Verifier{chain: &chain{q: fc}, compute: newComputer()}
			rep, err := v.VerifyEvaluation(ctx, 1, -1, nil)
			if err != nil || !rep.OK || rep.Checked != len(jobs) {
				b.Fatalf("%v %+v", err, rep.Findings)
			}
		}
		b.ReportMetric(float64(b.N)*total/b.Elapsed().Seconds(), "items/s")
		b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/market")
	})
}
