package evaluator

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/runtime"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestFetcher(t *testing.T) {
	dir := t.TempDir()
	artifact := []byte("model bytes")
	path := filepath.Join(dir, "m.onnx")
	require.NoError(t, os.WriteFile(path, artifact, 0o600))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(artifact) }))
	defer srv.Close()

	f := Fetcher{Schemes: []string{"file", "http"}}
	ctx := context.Background()
	got, err := f.Fetch(ctx, []string{"file://" + path}, sha(artifact), 1<<20)
	require.NoError(t, err)
	require.Equal(t, artifact, got)

	_, err = f.Fetch(ctx, []string{"file://" + path}, sha([]byte("other")), 1<<20)
	require.ErrorIs(t, err, ErrHashMismatch)

	_, err = f.Fetch(ctx, []string{"file://" + path}, sha(artifact), 4)
	require.ErrorContains(t, err, "exceeds the cap")

	_, err = Fetcher{Schemes: []string{"https"}}.Fetch(ctx, []string{"file://" + path}, sha(artifact), 1<<20)
	require.ErrorContains(t, err, "not allowed")

	_, err = f.Fetch(ctx, []string{srv.URL + "/m.onnx"}, sha(artifact), 1<<20)
	require.ErrorContains(t, err, "loopback or private", "a hostile URI cannot reach local services")

	f.AllowPrivate = true
	got, err = f.Fetch(ctx, []string{"file:///nowhere", srv.URL + "/m.onnx"}, sha(artifact), 1<<20)
	require.NoError(t, err, "falls through to the next URI")
	require.Equal(t, artifact, got)
}

func result(e uint64, r uint32, m uint64) *evaluationtypes.RoundResult {
	return &evaluationtypes.RoundResult{EvaluationId: e, Round: r, ModelId: m, Correct: 3, TraceRoot: bytes.Repeat([]byte{1}, 32), Leaves: 9}
}

func TestStorePersistsAndSelectsOpenRounds(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenStore(dir)
	require.NoError(t, err)
	for _, r := range []*evaluationtypes.RoundResult{result(2, 0, 1), result(1, 1, 2), result(1, 0, 2), result(1, 0, 1)} {
		require.NoError(t, s.Put(r))
	}
	reopened, err := OpenStore(dir)
	require.NoError(t, err)
	require.Equal(t, 4, reopened.Len(), "a restart keeps every result")
	require.True(t, reopened.Has(1, 1, 0, 2))
	require.False(t, reopened.Has(1, 1, 1, 2), "another attempt is another result")

	open := map[RoundKey]uint32{{1, 0}: 0, {2, 0}: 0}
	sel := reopened.Select(open, -1)
	require.Len(t, sel, 3, "only open rounds")
	require.Equal(t, []uint64{1, 1, 2}, []uint64{sel[0].EvaluationId, sel[1].EvaluationId, sel[2].EvaluationId})
	require.Equal(t, uint64(1), sel[0].ModelId)
	require.Len(t, reopened.Select(open, 2), 2)
	require.Empty(t, reopened.Select(map[RoundKey]uint32{{1, 0}: 1}, -1), "results of an earlier attempt are not served")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "results", "bad.json"), []byte("{"), 0o600))
	_, err = OpenStore(dir)
	require.ErrorContains(t, err, "bad.json")
}

func TestConfigRequiresLoopback(t *testing.T) {
	cfg := DefaultConfig()
	require.NoError(t, cfg.Validate())
	cfg.ListenAddr = "0.0.0.0:26670"
	require.ErrorContains(t, cfg.Validate(), "loopback")
	cfg = DefaultConfig()
	cfg.HealthAddr = "10.0.0.1:80"
	require.ErrorContains(t, cfg.Validate(), "loopback")
	cfg = DefaultConfig()
	cfg.HealthAddr = ""
	require.NoError(t, cfg.Validate(), "health endpoint may be off")
}

func TestMismatchedArtifactIsRefusedAndReported(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.onnx")
	require.NoError(t, os.WriteFile(path, []byte("tampered"), 0o600))
	s := &Sidecar{metrics: newMetrics()}
	var err error
	s.store, err = OpenStore(dir)
	require.NoError(t, err)
	c := &computer{artifacts: newArtifacts(Fetcher{Schemes: []string{"file"}}, ""), limits: runtime.DefaultLimits()}
	j := job{model: evaluationtypes.Model{Id: 7, Name: "m", WeightsSha256: sha([]byte("registered")), ArtifactUris: []string{"file://" + path}},
		maxBytes: 1 << 20}
	_, err = fetched(context.Background(), c.artifacts, j.model, j.maxBytes)
	require.True(t, errors.Is(err, ErrHashMismatch))
	s.metrics.failure(j, err)
	h := s.health()
	require.Equal(t, uint64(1), h.Failures)
	require.Contains(t, h.RecentFailures[0], "does not match the registered hash")
	require.Zero(t, s.store.Len(), "nothing scored")
}

func TestRejectedModelsGetOneDeterministicRoot(t *testing.T) {
	require.Equal(t, evaluationtypes.RejectedRoot("ab"), evaluationtypes.RejectedRoot("ab"))
	require.NotEqual(t, evaluationtypes.RejectedRoot("ab"), evaluationtypes.RejectedRoot("cd"))
	require.Len(t, evaluationtypes.RejectedRoot("ab"), evaluationtypes.TraceRootLen)
}

// TestAbstainOnlyWhenTheArtifactStaysUnavailableToTheEnd: the sidecar
// gives up on a model (an abstention, a report that is no claim) only when
// the failure is the artifact's and the commit window's last extensions
// are at hand; a failure of its own, or time left, gets none.
func TestAbstainOnlyWhenTheArtifactStaysUnavailableToTheEnd(t *testing.T) {
	round := evaluationtypes.Round{Phase: evaluationtypes.ROUND_PHASE_COMMIT, CommitDeadline: 110}
	unavailable := fmt.Errorf("model 3 (x): %w: connection refused", errUnavailable)
	require.False(t, abstain(unavailable, round, 100), "time left to fetch it")
	require.True(t, abstain(unavailable, round, 107), "its last chances to commit")
	require.False(t, abstain(errors.New("benchmark \"iris\": local dataset hash mismatch"), round, 109), "its own failure")
	reveal := round
	reveal.Phase = evaluationtypes.ROUND_PHASE_REVEAL
	require.False(t, abstain(unavailable, reveal, 109), "too late to commit anything")
}

// TestRefusesAnEvaluationUnderAnotherRuntimeVersion: a sidecar whose
// runtime does not implement the evaluation's recorded version reports
// nothing for it — no trace root of other semantics — and says why.
func TestRefusesAnEvaluationUnderAnotherRuntimeVersion(t *testing.T) {
	c := &computer{artifacts: newArtifacts(Fetcher{Schemes: []string{"file"}}, ""), limits: runtime.DefaultLimits()}
	for _, text := range []bool{false, true} {
		j := job{evaluation: evaluationtypes.Evaluation{Id: 4, RuntimeVersion: runtime.Version + 1},
			model: evaluationtypes.Model{Id: 7, Name: "m"}, maxBytes: 1 << 20}
		if text {
			j.benchmark.Name = "kjv-next"
		}
		require.Equal(t, text, j.benchmark.IsText())
		res, tr, err := c.run(context.Background(), j)
		require.ErrorContains(t, err, "runtime version")
		require.ErrorContains(t, err, "evaluation 4")
		require.Nil(t, res)
		require.Nil(t, tr)
	}
}
