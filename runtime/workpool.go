package runtime

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// A work pool of helper goroutines that stay awake for a short while after
// each parallel call, so that the next call reaches them in well under a
// microsecond. Starting goroutines for every call costs a scheduler wake-up
// per call (about 40 µs on a 2-vCPU VM, measured), which is more than a
// language model's matrix-vector product takes: intra-op parallelism only
// pays with helpers that are already running.
//
// The pool only changes who computes a chunk, never what a chunk computes,
// so no result depends on it (see parallelFor). One caller uses it at a
// time; a concurrent or nested parallelFor starts goroutines as before.

// spinWindow is how long an idle helper keeps polling for the next chunk
// before it parks. Between two products of one token or one operator and
// the next, the gap is far shorter; after a whole evaluation it parks.
const spinWindow = 200 * time.Microsecond

type helper struct {
	seq    atomic.Uint64 // number of the latest chunk posted
	done   atomic.Uint64 // number of the latest chunk finished
	parked atomic.Bool
	wake   chan struct{} // buffered: a post to a parked helper
	// the chunk; written before seq is advanced, read after
	fn     func(lo, hi int)
	lo, hi int
	panic  any
}

type workPool struct {
	busy    sync.Mutex // held by the one parallelFor using the helpers (and growing them)
	helpers []*helper
}

var pool workPool

// acquire returns up to n helpers and true when no other call holds the
// pool; release must follow.
func (p *workPool) acquire(n int) ([]*helper, bool) {
	if !p.busy.TryLock() {
		return nil, false
	}
	for len(p.helpers) < n {
		h := &helper{wake: make(chan struct{}, 1)}
		p.helpers = append(p.helpers, h)
		go h.loop()
	}
	return p.helpers[:n], true
}

func (p *workPool) release() { p.busy.Unlock() }

// post hands the helper its next chunk.
func (h *helper) post(fn func(lo, hi int), lo, hi int) uint64 {
	h.fn, h.lo, h.hi, h.panic = fn, lo, hi, nil
	s := h.seq.Load() + 1
	h.seq.Store(s)
	if h.parked.Load() {
		select {
		case h.wake <- struct{}{}:
		default:
		}
	}
	return s
}

// wait returns once the helper finished chunk s, and the chunk's panic.
func (h *helper) wait(s uint64) any {
	for i := 0; h.done.Load() != s; i++ {
		if i&63 == 63 {
			runtime.Gosched() // the helper may need this core
		}
	}
	return h.panic
}

func (h *helper) loop() {
	var last uint64
	for {
		// Poll for the next chunk for spinWindow, then park. parked is
		// set before the last check, and post reads it after advancing
		// seq, so a post is either seen here or sends a wake-up.
		deadline := time.Now().Add(spinWindow)
		for i := 0; h.seq.Load() == last; i++ {
			if i&255 != 255 {
				continue
			}
			runtime.Gosched()
			if time.Now().Before(deadline) {
				continue
			}
			h.parked.Store(true)
			if h.seq.Load() == last {
				<-h.wake
			}
			h.parked.Store(false)
			deadline = time.Now().Add(spinWindow)
		}
		last = h.seq.Load()
		h.run()
		h.fn = nil // an idle helper keeps nothing the chunk captured
		h.done.Store(last)
	}
}

func (h *helper) run() {
	defer func() { h.panic = recover() }()
	h.fn(h.lo, h.hi)
}
