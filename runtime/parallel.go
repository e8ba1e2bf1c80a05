package runtime

import (
	"runtime"
	"sync"
)

// parallelFor calls fn(lo, hi) over disjoint chunks covering [0, n). Every
// kernel computes each output element entirely inside one call, in its one
// fixed reduction order, so the result does not depend on how the range is
// split or scheduled: parallelism is only ever across output elements.
// workers <= 1 runs inline; small ranges (under minChunk elements of work per
// worker) also run inline to avoid goroutine overhead. A panic in a chunk is
// re-raised in the caller's goroutine instead of killing the process.
func parallelFor(workers, n, costPerItem int, fn func(lo, hi int)) {
	const minChunk = 1 << 14
	if workers > n {
		workers = n
	}
	if workers <= 1 || n*costPerItem < 2*minChunk {
		if n > 0 {
			fn(0, n)
		}
		return
	}
	chunk := (n + workers - 1) / workers
	chunks := (n + chunk - 1) / chunk
	// The pool's helpers poll while idle, so never more of them than
	// there are other cores to run on.
	if chunks <= runtime.GOMAXPROCS(0) {
		if hs, ok := pool.acquire(chunks - 1); ok {
			defer pool.release()
			runPooled(hs, chunk, n, fn)
			return
		}
	}
	var wg sync.WaitGroup
	panics := make([]any, chunks)
	for c, lo := 0, 0; lo < n; c, lo = c+1, lo+chunk {
		hi := min(lo+chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { panics[c] = recover() }()
			fn(lo, hi)
		}()
	}
	wg.Wait()
	// re-raise in the caller's goroutine (lowest chunk first), where
	// Program.Run turns it into an error
	for _, p := range panics {
		if p != nil {
			panic(p)
		}
	}
}

// runPooled runs chunk 0 in the caller and the others on the pool's
// helpers, and re-raises the lowest chunk's panic as the goroutine path
// does.
func runPooled(hs []*helper, chunk, n int, fn func(lo, hi int)) {
	seqs := make([]uint64, len(hs))
	for i, h := range hs {
		lo := (i + 1) * chunk
		seqs[i] = h.post(fn, lo, min(lo+chunk, n))
	}
	first := func() (p any) {
		defer func() { p = recover() }()
		fn(0, min(chunk, n))
		return nil
	}()
	panics := make([]any, 0, len(hs)+1)
	panics = append(panics, first)
	for i, h := range hs {
		panics = append(panics, h.wait(seqs[i]))
	}
	for _, p := range panics {
		if p != nil {
			panic(p)
		}
	}
}

// DefaultWorkers is the number of goroutines a single inference may use.
func DefaultWorkers() int { return runtime.GOMAXPROCS(0) }
