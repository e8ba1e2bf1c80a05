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
// worker) also run inline to avoid goroutine overhead.
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
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(lo, hi)
		}()
	}
	wg.Wait()
}

// DefaultWorkers is the number of goroutines a single inference may use.
func DefaultWorkers() int { return runtime.GOMAXPROCS(0) }
