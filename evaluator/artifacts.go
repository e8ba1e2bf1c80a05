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
// serve its artifact as slowly as the fetch timeout allows, on every URI;
// a poll loop that waited for it would not evaluate any other model in the
// meantime, and its validator would miss every other round (and be
// penalised) for one stranger's tarpit. So the poll loop only asks
// (artifacts.get) and evaluates what is ready; fetches run beside it, a
// few at a time, and one that failed is tried again after a pause.

// errFetching marks an artifact whose fetch has not ended yet. It is an
// errUnavailable: an artifact still not here when the commit window is
// about to close is as unavailable as one that failed.
var errFetching = fmt.Errorf("%w: still being fetched", errUnavailable)

// fetchSlots bounds the downloads in flight at once.
const fetchSlots = 4

// refetchAfter is how long a failed fetch is remembered before the next
// request tries again.
const refetchAfter = 10 * time.Second

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

// wait returns a model's verified artifact, fetching it if needed and
// waiting for the fetch (disputes need the artifact whatever it takes).
func (a *artifacts) wait(ctx context.Context, m evaluationtypes.Model, maxBytes int64) (*loaded, error) {
	f := a.start(ctx, m, maxBytes)
	select {
	case <-f.done:
		return f.result(m)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (f *artifact) result(m evaluationtypes.Model) (*loaded, error) {
	if f.err != nil {
		return nil, fmt.Errorf("model %d (%s): %w: %w", m.Id, m.Name, errUnavailable, f.err)
	}
	return f.l, nil
}

// start returns the model's fetch, starting one if there is none or the
// last one failed more than retry ago.
func (a *artifacts) start(ctx context.Context, m evaluationtypes.Model, maxBytes int64) *artifact {
	key := artifactKey(m)
	a.mu.Lock()
	defer a.mu.Unlock()
	if f, ok := a.byKey[key]; ok {
		select {
		case <-f.done:
			if f.err == nil || time.Since(f.failed) < a.retry {
				return f
			}
		default:
			return f
		}
	}
	f := &artifact{done: make(chan struct{})}
	a.byKey[key] = f
	go func() {
		defer close(f.done)
		select {
		case a.slots <- struct{}{}:
			defer func() { <-a.slots }()
		case <-ctx.Done():
			f.err, f.failed = ctx.Err(), time.Now()
			return
		}
		raw, err := a.load(ctx, m, maxBytes)
		if err != nil {
			f.err, f.failed = err, time.Now()
			return
		}
		f.l = &loaded{raw: raw}
	}()
	return f
}

// load reads the artifact from dir, if it is there with the registered
// hash, and otherwise from its URIs, keeping a copy in dir.
func (a *artifacts) load(ctx context.Context, m evaluationtypes.Model, maxBytes int64) ([]byte, error) {
	if a.dir != "" && isHexSHA256(m.WeightsSha256) {
		path := filepath.Join(a.dir, m.WeightsSha256)
		if file, err := os.Open(path); err == nil {
			b, err := readCapped(file, maxBytes)
			_ = file.Close()
			if sum := sha256.Sum256(b); err == nil && hex.EncodeToString(sum[:]) == m.WeightsSha256 {
				return b, nil
			}
		}
	}
	raw, err := a.fetch.Fetch(ctx, m.ArtifactUris, m.WeightsSha256, maxBytes)
	if err != nil {
		return nil, err
	}
	if a.dir != "" && isHexSHA256(m.WeightsSha256) {
		// A cache: failing to keep a copy costs a download later, nothing now.
		_ = writeAtomic(filepath.Join(a.dir, m.WeightsSha256), raw)
	}
	return raw, nil
}

// isHexSHA256 guards the file name: the registry's hash is checked at
// registration, but a file name from chain data must never be a path.
func isHexSHA256(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == sha256.Size && hex.EncodeToString(b) == s
}

// writeAtomic writes a file whole or not at all.
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
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return errors.Join(err, os.Remove(tmp.Name()))
	}
	return nil
}
