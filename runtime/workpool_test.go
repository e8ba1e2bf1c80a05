package runtime

import (
	"fmt"
	goruntime "runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"weak"
)

// covered runs parallelFor over n items and reports how often each item
// was visited.
func covered(workers, n int) []int32 {
	seen := make([]int32, n)
	parallelFor(workers, n, 1<<15, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			atomic.AddInt32(&seen[i], 1)
		}
	})
	return seen
}

func onceEach(t *testing.T, seen []int32) {
	t.Helper()
	for i, c := range seen {
		if c != 1 {
			t.Fatalf("item %d visited %d times", i, c)
		}
	}
}

// TestParallelForWakesParkedHelpers: calls spaced around the helpers'
// spin window (so some find them polling and some parked) each cover
// every item exactly once; a lost wake-up would hang the test.
func TestParallelForWakesParkedHelpers(t *testing.T) {
	for i := range 60 {
		onceEach(t, covered(2, 37)) // the pool on any machine with 2 cores
		onceEach(t, covered(4, 37))
		time.Sleep(time.Duration(i%7) * spinWindow / 3)
	}
}

// TestParallelForConcurrentAndNested: callers racing for the pool, and a
// chunk that itself runs parallelFor, fall back to goroutines and still
// cover every item once (run it with -race).
func TestParallelForConcurrentAndNested(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				inner := make([][]int32, 16)
				parallelFor(2+g%3, 16, 1<<15, func(lo, hi int) {
					for i := lo; i < hi; i++ {
						inner[i] = covered(3, 9+i)
					}
				})
				for i, seen := range inner {
					for j, c := range seen {
						if c != 1 {
							errs <- fmt.Errorf("caller %d: chunk %d item %d visited %d times", g, i, j, c)
							return
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// TestParallelForReraisesAHelpersPanic: a panic in a chunk a helper ran
// reaches the caller, as the goroutine path's does (Program.Run turns it
// into an error), and the pool works afterwards.
func TestParallelForReraisesAHelpersPanic(t *testing.T) {
	for _, bad := range []int{0, 5, 9} { // the caller's chunk, then helpers'
		for _, workers := range []int{2, 4} {
			got := func() (r any) {
				defer func() { r = recover() }()
				parallelFor(workers, 12, 1<<15, func(lo, hi int) {
					if lo <= bad && bad < hi {
						panic(fmt.Sprintf("item %d", bad))
					}
				})
				return nil
			}()
			if got != fmt.Sprintf("item %d", bad) {
				t.Fatalf("panic in item %d surfaced as %v", bad, got)
			}
			onceEach(t, covered(workers, 12))
		}
	}
}

// captured runs parallelFor with chunks that capture a new 16 MiB buffer
// and returns a weak pointer to it.
func captured() weak.Pointer[float32] {
	buf := make([]float32, 4<<20)
	parallelFor(2, 64, 1<<15, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			buf[i] = 1
		}
	})
	return weak.Make(&buf[0])
}

func collected(wp weak.Pointer[float32]) bool {
	for range 5 {
		goruntime.GC()
	}
	return wp.Value() == nil
}

// TestHelpersForgetTheirChunk: once parallelFor returns, nothing it
// captured stays reachable through an idle helper (in Program.run that
// is a step's inputs and output; found by review), as on the goroutine
// path (the control, with the pool held).
func TestHelpersForgetTheirChunk(t *testing.T) {
	if goruntime.GOMAXPROCS(0) < 2 {
		t.Skip("the pool needs two procs")
	}
	pool.busy.Lock()
	wp := captured()
	pool.busy.Unlock()
	if !collected(wp) {
		t.Fatal("control: the goroutine path kept the buffer")
	}
	if !collected(captured()) {
		t.Fatal("a helper keeps the last chunk's closure and what it captured")
	}
}
