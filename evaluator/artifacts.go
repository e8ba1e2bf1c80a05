package evaluator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// Artifacts are fetched in the background. Anyone can register a model and
// serve its artifact as slowly as the fetch timeout allows; a poll loop
// that waited for it would not evaluate any other model in the meantime,
// and its validator would miss every other round (and be penalised) for
// one stranger's tarpit. So the poll loop and the dispute player only ask
// (artifacts.get) and use what is here; fetches run beside them, started
// for every pending job at once (artifacts.start), a few downloads at a
// time, each bounded as a whole by the fetch timeout; one that failed is
// tried again after a pause that doubles with each failure. The artifact
// dir is read before a download slot is taken, so an artifact an operator
// placed there never waits behind slow downloads.

// errFetching marks an artifact whose fetch has not ended yet. It is an
// errUnavailable: an artifact still not here when the commit window is
// about to close is as unavailable as one that failed.
var errFetching = fmt.Errorf("%w: still being fetched", errUnavailable)

// fetchSlots bounds the downloads in flight at once.
const fetchSlots = 8

// refetchAfter is how long a first failed fetch is remembered before the
// next request tries again; each further failure doubles it, up to
// refetchMax.
const (
	refetchAfter = 10 * time.Second
	refetchMax   = 5 * time.Minute
)

// artifacts fetches, verifies and caches model artifacts by format and
// SHA-256.
type artifacts struct {
	fetch Fetcher
	// dir, when set, holds artifacts by SHA-256 (the file name is the hex
	// digest): read before any URI, written after a download, so an
	// operator can hand the sidecar an artifact that its URIs do not serve
	// it, and a restart does not download again.
	dir   string
	slots chan struct{}
	retry time.Duration

	mu    sync.Mutex
	byKey map[string]*artifact
}

// artifact is one fetch and its outcome.
type artifact struct {
	done   chan struct{} // closed when the fetch ended
	l      *loaded
	err    error
	failed time.Time
	// failures counts this artifact's failed fetches in a row.
	failures int
}

func newArtifacts(f Fetcher, dir string) *artifacts {
	return &artifacts{fetch: f, dir: dir, slots: make(chan struct{}, fetchSlots), retry: refetchAfter, byKey: map[string]*artifact{}}
}

// key is by format too: the same bytes registered in another format are
// parsed as that format.
func artifactKey(m evaluationtypes.Model) string { return m.Format + "/" + m.WeightsSha256 }

// get returns a model's verified artifact if it is here, and otherwise
// starts fetching it (unless a fetch is in flight, or failed less than
// retry ago) and returns errFetching, or the failure, at once.
func (a *artifacts) get(ctx context.Context, m evaluationtypes.Model, maxBytes int64) (*loaded, error) {
	f := a.start(ctx, m, maxBytes)
	select {
	case <-f.done:
		return f.result(m)
	default:
		return nil, fmt.Errorf("model %d (%s): %w", m.Id, m.Name, errFetching)
	}
}

// await fetches a model's artifact, waiting for the fetch to end (a
// verifier has no next poll to come back at), and returns its outcome.
func (a *artifacts) await(ctx context.Context, m evaluationtypes.Model, maxBytes int64) error {
	f := a.start(ctx, m, maxBytes)
	select {
	case <-f.done:
		_, err := f.result(m)
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (f *artifact) result(m evaluationtypes.Model) (*loaded, error) {
	if f.err != nil {
		return nil, fmt.Errorf("model %d (%s): %w: %w", m.Id, m.Name, errUnavailable, f.err)
	}
	return f.l, nil
}

// start returns the model's fetch, starting one if there is none or the
// last one failed longer ago than its pause.
func (a *artifacts) start(ctx context.Context, m evaluationtypes.Model, maxBytes int64) *artifact {
	key := artifactKey(m)
	a.mu.Lock()
	defer a.mu.Unlock()
	failures := 0
	if f, ok := a.byKey[key]; ok {
		select {
		case <-f.done:
			if f.err == nil || time.Since(f.failed) < a.pause(f.failures) {
				return f
			}
			failures = f.failures
		default:
			return f
		}
	}
	f := &artifact{done: make(chan struct{}), failures: failures}
	a.byKey[key] = f
	go func() {
		defer close(f.done)
		if raw, ok := a.fromDir(m, maxBytes); ok {
			f.l, f.failures = &loaded{raw: raw}, 0
			return
		}
		raw, err := a.download(ctx, m, maxBytes)
		if err != nil {
			f.err, f.failed = err, time.Now()
			f.failures++
			return
		}
		f.l, f.failures = &loaded{raw: raw}, 0
	}()
	return f
}

// pause is how long a fetch that failed `failures` times in a row waits
// before the next try.
func (a *artifacts) pause(failures int) time.Duration {
	d := a.retry
	for i := 1; i < failures && d < refetchMax; i++ {
		d *= 2
	}
	return min(d, refetchMax)
}

// mapMinBytes is the size from which an artifact in the dir is
// memory-mapped rather than read onto the heap (see mapFile): the chain's
// default max_artifact_bytes, so ordinary models stay on the heap. A
// variable for tests only.
var mapMinBytes int64 = 64 << 20

// fromDir reads the artifact from dir — memory-mapped when it is at least
// mapMinBytes — if it is there, a regular file within the cap, with the
// registered hash.
func (a *artifacts) fromDir(m evaluationtypes.Model, maxBytes int64) ([]byte, bool) {
	if a.dir == "" || !isHexSHA256(m.WeightsSha256) {
		return nil, false
	}
	// Only a regular file, checked on the opened file: a FIFO or device
	// planted in the cache would block the read.
	file, size, err := openRegular(filepath.Join(a.dir, m.WeightsSha256))
	if err != nil {
		return nil, false
	}
	defer file.Close()
	if size > maxBytes {
		return nil, false
	}
	var b []byte
	if size >= mapMinBytes {
		b, err = mapFile(file, size)
	} else {
		b, err = readCapped(file, maxBytes)
	}
	if err != nil {
		return nil, false
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != m.WeightsSha256 {
		if size >= mapMinBytes {
			unmapFile(b)
		}
		return nil, false
	}
	return b, true
}

// download takes a slot and fetches the artifact from its URIs, within the
// fetch timeout for all of them together, keeping a copy in dir.
func (a *artifacts) download(ctx context.Context, m evaluationtypes.Model, maxBytes int64) ([]byte, error) {
	select {
	case a.slots <- struct{}{}:
		defer func() { <-a.slots }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if a.fetch.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, a.fetch.Timeout)
		defer cancel()
	}
	raw, err := a.fetch.Fetch(ctx, m.ArtifactUris, m.WeightsSha256, maxBytes)
	if err != nil {
		return nil, err
	}
	if a.dir != "" && isHexSHA256(m.WeightsSha256) {
		// A cache: failing to keep a copy costs a download later, nothing now.
		// Kept, a large copy is mapped and the downloaded bytes dropped, so
		// a large model is held once, in the page cache.
		if writeAtomic(filepath.Join(a.dir, m.WeightsSha256), raw) == nil && int64(len(raw)) >= mapMinBytes {
			if mapped, ok := a.fromDir(m, maxBytes); ok {
				return mapped, nil
			}
		}
	}
	return raw, nil
}

// isHexSHA256 guards the file name: the registry's hash is checked at
// registration, but a file name from chain data must never be a path.
func isHexSHA256(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == sha256.Size && hex.EncodeToString(b) == s
}

// writeAtomic writes a file whole or not at all, read-only.
func writeAtomic(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".partial-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// Read-only: a copy over it fails instead of rewriting, in place,
		// bytes a sidecar may have mapped (mapFile).
		err = os.Chmod(tmp.Name(), 0o400)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return errors.Join(err, os.Remove(tmp.Name()))
	}
	return nil
}
