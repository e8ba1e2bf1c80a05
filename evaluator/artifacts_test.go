package evaluator

import (
	"bytes"
	"context"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
	"github.com/delphi-network/delphi/runtime/train"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// tarpit serves nothing until released (or the client gives up), and
// says when each request ended.
type tarpit struct {
	srv     *httptest.Server
	release chan struct{}
	ended   chan struct{}
	hits    atomic.Int32
}

func newTarpit(t *testing.T) *tarpit {
	tp := &tarpit{release: make(chan struct{}), ended: make(chan struct{}, 16)}
	tp.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tp.hits.Add(1)
		defer func() { tp.ended <- struct{}{} }()
		select {
		case <-tp.release:
		case <-r.Context().Done():
		}
		http.Error(w, "gone", http.StatusNotFound)
	}))
	t.Cleanup(func() {
		select {
		case <-tp.release:
		default:
			close(tp.release)
		}
		tp.srv.Close()
	})
	return tp
}

// irisJobs are two jobs of one open round on iris: model 1's artifact
// behind uri1, model 2 a real logistic regression served from a file.
func irisJobs(t *testing.T, uri1 string) []job {
	t.Helper()
	ds, err := bench.Load("iris")
	require.NoError(t, err)
	sum := ds.SHA256()
	raw, rec, err := train.Train(train.DefaultConfig("logreg", "iris"))
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "logreg.onnx")
	require.NoError(t, os.WriteFile(path, raw, 0o600))
	b := evaluationtypes.Benchmark{Id: 1, Name: "iris", Task: "tabular-classification", DatasetSha256: hex.EncodeToString(sum[:]), ItemCount: uint64(ds.Len())}
	e := evaluationtypes.Evaluation{Id: 1, BenchmarkId: 1, ModelIds: []uint64{1, 2}, ItemsPerRound: 10}
	r := evaluationtypes.Round{EvaluationId: 1, Phase: evaluationtypes.ROUND_PHASE_COMMIT, Status: evaluationtypes.ROUND_STATUS_OPEN,
		CommitDeadline: 100, Seed: hex.EncodeToString(make([]byte, 32))}
	slow := evaluationtypes.Model{Id: 1, Name: "slow", Format: "onnx", WeightsSha256: sha([]byte("never served")), ArtifactUris: []string{uri1}}
	good := evaluationtypes.Model{Id: 2, Name: "good", Format: "onnx", WeightsSha256: rec.ModelSHA256, WeightsRoot: rec.WeightsRoot,
		ArtifactUris: []string{"file://" + path}}
	return []job{
		{evaluation: e, round: r, benchmark: b, model: slow, maxBytes: 1 << 20},
		{evaluation: e, round: r, benchmark: b, model: good, maxBytes: 1 << 20},
	}
}

// fetched starts a fetch and waits for its end.
func fetched(ctx context.Context, a *artifacts, m evaluationtypes.Model, maxBytes int64) (*loaded, error) {
	f := a.start(ctx, m, maxBytes)
	<-f.done
	return f.result(m)
}

func testSidecar(t *testing.T, f Fetcher, dir string) *Sidecar {
	t.Helper()
	store, err := OpenStore(t.TempDir())
	require.NoError(t, err)
	return &Sidecar{store: store, metrics: newMetrics(),
		compute: &computer{artifacts: newArtifacts(f, dir), limits: runtime.DefaultLimits()}}
}

// TestATarpitArtifactDoesNotStopTheOtherModels: anyone can register a
// model whose URI answers as slowly as the fetch timeout allows. The
// sidecar must go on evaluating every other model meanwhile (it used to
// wait for the download in its only loop, so its validator missed every
// other round), and abstain from the slow one when its commit window is
// about to close.
func TestATarpitArtifactDoesNotStopTheOtherModels(t *testing.T) {
	tp := newTarpit(t)
	jobs := irisJobs(t, tp.srv.URL+"/slow.onnx")
	s := testSidecar(t, Fetcher{Schemes: []string{"file", "http"}, AllowPrivate: true, Timeout: time.Minute}, "")
	ctx := t.Context()

	require.Eventually(t, func() bool {
		s.evaluate(ctx, jobs, 50)
		return s.store.Has(1, 0, 0, 2)
	}, 30*time.Second, 10*time.Millisecond, "the good model is evaluated")
	select {
	case <-tp.ended:
		t.Fatal("the good model was only evaluated after the slow download ended")
	default:
	}
	require.False(t, s.store.Has(1, 0, 0, 1), "time left in the window: no abstention yet")
	require.Zero(t, s.health().Failures, "a download in flight is no failure")

	// The window's last extensions: still not here, so it abstains.
	require.False(t, s.evaluate(ctx, jobs, 97), "nothing left to evaluate")
	got := s.store.Results(1, 0, 1)
	require.Len(t, got, 1)
	require.True(t, got[0].Abstain)
	require.Equal(t, int32(1), tp.hits.Load(), "one download in flight, not one per poll")
}

// TestAFailedDownloadIsRetriedAfterAPause: a failed fetch is remembered
// (no download per poll) and tried again after the pause.
func TestAFailedDownloadIsRetriedAfterAPause(t *testing.T) {
	tp := newTarpit(t)
	close(tp.release) // answers 404 at once
	s := testSidecar(t, Fetcher{Schemes: []string{"http"}, AllowPrivate: true, Timeout: time.Minute}, "")
	m := evaluationtypes.Model{Id: 1, Name: "m", Format: "onnx", WeightsSha256: sha([]byte("x")), ArtifactUris: []string{tp.srv.URL}}
	a := s.compute.artifacts
	_, err := fetched(t.Context(), a, m, 1<<20)
	require.ErrorIs(t, err, errUnavailable)
	require.NotErrorIs(t, err, errFetching)
	_, err = a.get(t.Context(), m, 1<<20)
	require.ErrorContains(t, err, "HTTP 404", "the failure, remembered")
	require.Equal(t, int32(1), tp.hits.Load())
	a.retry = 0
	_, err = fetched(t.Context(), a, m, 1<<20)
	require.ErrorIs(t, err, errUnavailable)
	require.Equal(t, int32(2), tp.hits.Load(), "tried again after the pause")

	a.retry = 10 * time.Second
	require.Equal(t, 10*time.Second, a.pause(1))
	require.Equal(t, 20*time.Second, a.pause(2))
	require.Equal(t, refetchMax, a.pause(30), "doubling stops at the maximum")
}

// TestTheFetchTimeoutBoundsAWholeDownload: an artifact with several slow
// URIs holds a download slot for one fetch timeout, not one per URI.
func TestTheFetchTimeoutBoundsAWholeDownload(t *testing.T) {
	tp := newTarpit(t)
	s := testSidecar(t, Fetcher{Schemes: []string{"http"}, AllowPrivate: true, Timeout: 300 * time.Millisecond}, "")
	m := evaluationtypes.Model{Id: 1, Name: "m", Format: "onnx", WeightsSha256: sha([]byte("x")),
		ArtifactUris: []string{tp.srv.URL + "/1", tp.srv.URL + "/2", tp.srv.URL + "/3"}}
	_, err := fetched(t.Context(), s.compute.artifacts, m, 1<<20)
	require.ErrorIs(t, err, errUnavailable)
	require.Equal(t, int32(1), tp.hits.Load(), "the later URIs are not tried past the timeout")
}

// TestAnArtifactInTheDirDoesNotWaitForADownloadSlot: with every slot
// held by slow downloads, an artifact the operator placed in the dir is
// still read at once.
func TestAnArtifactInTheDirDoesNotWaitForADownloadSlot(t *testing.T) {
	dir := t.TempDir()
	body := []byte("placed by the operator")
	require.NoError(t, os.WriteFile(filepath.Join(dir, sha(body)), body, 0o600))
	a := newArtifacts(Fetcher{Schemes: []string{"file"}}, dir)
	for range fetchSlots {
		a.slots <- struct{}{}
	}
	m := evaluationtypes.Model{Id: 1, Name: "m", Format: "onnx", WeightsSha256: sha(body), ArtifactUris: []string{"file:///nonexistent"}}
	l, err := fetched(t.Context(), a, m, 1<<20)
	require.NoError(t, err)
	require.Equal(t, body, l.raw)
}

// TestTheArtifactDirServesAndKeepsArtifacts: an artifact placed in the
// artifact dir under its SHA-256 is used though no URI serves it (an
// operator's way out of a tarpit); one downloaded is kept there; a file
// there with other bytes is ignored.
func TestTheArtifactDirServesAndKeepsArtifacts(t *testing.T) {
	dir := t.TempDir()
	body := []byte("artifact bytes")
	src := filepath.Join(t.TempDir(), "a.bin")
	require.NoError(t, os.WriteFile(src, body, 0o600))
	f := Fetcher{Schemes: []string{"file"}}

	// Served by its URI: kept in the dir.
	m := evaluationtypes.Model{Id: 1, Name: "m", Format: "onnx", WeightsSha256: sha(body), ArtifactUris: []string{"file://" + src}}
	l, err := fetched(t.Context(), newArtifacts(f, dir), m, 1<<20)
	require.NoError(t, err)
	require.Equal(t, body, l.raw)
	kept, err := os.ReadFile(filepath.Join(dir, sha(body)))
	require.NoError(t, err)
	require.Equal(t, body, kept)

	// No URI works: the dir's copy is used.
	m.ArtifactUris = []string{"file:///nonexistent/a.bin"}
	l, err = fetched(t.Context(), newArtifacts(f, dir), m, 1<<20)
	require.NoError(t, err)
	require.Equal(t, body, l.raw)

	// Other bytes under the name: ignored, the URI is used.
	require.NoError(t, os.WriteFile(filepath.Join(dir, sha(body)), []byte("tampered"), 0o600))
	_, err = fetched(t.Context(), newArtifacts(f, dir), m, 1<<20)
	require.ErrorIs(t, err, errUnavailable)
	m.ArtifactUris = []string{"file://" + src}
	l, err = fetched(t.Context(), newArtifacts(f, dir), m, 1<<20)
	require.NoError(t, err)
	require.Equal(t, body, l.raw)

	// A registered hash that is not a hex digest never names a file.
	require.False(t, isHexSHA256("../../etc/passwd"))
	require.False(t, isHexSHA256(sha(body)[:62]))
	require.False(t, isHexSHA256(strings.ToUpper(sha(body))), "one spelling per digest")
	require.True(t, isHexSHA256(sha(body)))
}

// A large copy in the dir is mapped, not read onto the heap (a small one
// is read): the bytes are the file's, a copy over the cap is refused by its
// size before any byte is touched, a copy whose hash is wrong is unmapped
// and ignored.
func TestTheArtifactDirIsMapped(t *testing.T) {
	defer func(old int64) { mapMinBytes = old }(mapMinBytes)
	for _, threshold := range []int64{1, 1 << 40} { // mapped, read
		mapMinBytes = threshold
		dir := t.TempDir()
		body := bytes.Repeat([]byte("weights "), 1<<14)
		m := evaluationtypes.Model{Id: 1, Name: "m", Format: "gguf", WeightsSha256: sha(body)}
		require.NoError(t, os.WriteFile(filepath.Join(dir, sha(body)), body, 0o600))
		a := newArtifacts(Fetcher{}, dir)
		raw, ok := a.fromDir(m, int64(len(body)))
		require.True(t, ok)
		require.Equal(t, body, raw)
		_, ok = a.fromDir(m, int64(len(body))-1)
		require.False(t, ok, "a copy over the cap")
		other := append([]byte(nil), body...)
		other[0] ^= 1
		require.NoError(t, os.WriteFile(filepath.Join(dir, sha(body)), other, 0o600))
		_, ok = a.fromDir(m, int64(len(body)))
		require.False(t, ok, "a copy with other bytes")
		empty := evaluationtypes.Model{Id: 2, Name: "e", Format: "gguf", WeightsSha256: sha(nil)}
		require.NoError(t, os.WriteFile(filepath.Join(dir, sha(nil)), nil, 0o600))
		raw, ok = a.fromDir(empty, 10)
		require.True(t, ok)
		require.Empty(t, raw)

	}
}

// A downloaded artifact kept in the dir is read-only, so copying over it
// fails instead of rewriting, in place, bytes a sidecar may have mapped.
func TestKeptArtifactsAreReadOnly(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a")
	require.NoError(t, writeAtomic(path, []byte("bytes")))
	fi, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o400), fi.Mode().Perm())
}
