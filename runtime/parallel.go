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
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	panics := make([]any, (n+chunk-1)/chunk)
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

// DefaultWorkers is the number of goroutines a single inference may use.
func DefaultWorkers() int { return runtime.GOMAXPROCS(0) }
