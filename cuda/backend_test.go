//go:build cuda

package cuda

import (
	"testing"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
	"github.com/delphi-network/delphi/runtime/zoo"
)

// These tests need a GPU: they run the same programs on the CPU reference and
// on the CUDA backend and require identical bits for every operator output.

func openCUDA(t *testing.T) runtime.Backend {
	t.Helper()
	b, err := runtime.OpenBackend("cuda")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestZooCNNTraceRoot evaluates the zoo CNN on 500 seeded MNIST items on both
// backends: same correct count, same trace_root, and, leaf by leaf, the same
// output hashes (so a mismatch names the operator).
func TestZooCNNTraceRoot(t *testing.T) {
	b, err := zoo.MNIST()
	if err != nil {
		t.Fatal(err)
	}
	cpu, err := runtime.LoadModel(b, runtime.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	gpu, err := cpu.WithBackend(openCUDA(t))
	if err != nil {
		t.Fatal(err)
	}
	ds, err := bench.Load("mnist")
	if err != nil {
		t.Fatal(err)
	}
	items, err := bench.Select(bench.SeedFromUint64(7), 500, ds.Len())
	if err != nil {
		t.Fatal(err)
	}
	want, err := cpu.Evaluate(ds, items, runtime.EvalOptions{Trace: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := gpu.Evaluate(ds, items, runtime.EvalOptions{Trace: true})
	if err != nil {
		t.Fatal(err)
	}
	ops, per := cpu.Program.LeavesPerItem(), cpu.LeavesPerItem()
	nodes := cpu.Program.Nodes()
	for i := 0; i < want.Trace.Len(); i++ {
		if want.Trace.Leaf(i) != got.Trace.Leaf(i) {
			what := "score leaf"
			if i%per < ops {
				what = nodes[min(i%per, len(nodes)-1)].OpType
			}
			t.Fatalf("first differing leaf %d: item %d, %s", i, items[i/per], what)
		}
	}
	if got.TraceRoot != want.TraceRoot || got.Correct != want.Correct || got.Leaves != want.Leaves {
		t.Fatalf("cuda (%d correct, %s, %d leaves) != cpu (%d, %s, %d)",
			got.Correct, got.TraceRoot, got.Leaves, want.Correct, want.TraceRoot, want.Leaves)
	}
	t.Logf("zoo CNN, 500 items: %d correct, trace_root %s on both backends", got.Correct, got.TraceRoot)
}

// TestZooCNNFullMNISTPinned reproduces the CPU's pinned full-test-set result
// (runtime/zoo) on the GPU.
func TestZooCNNFullMNISTPinned(t *testing.T) {
	if testing.Short() {
		t.Skip("full MNIST test set")
	}
	b, err := zoo.MNIST()
	if err != nil {
		t.Fatal(err)
	}
	m, err := runtime.LoadModel(b, runtime.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if m, err = m.WithBackend(openCUDA(t)); err != nil {
		t.Fatal(err)
	}
	ds, err := bench.Load("mnist")
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Evaluate(ds, bench.All(ds.Len()), runtime.EvalOptions{Trace: true})
	if err != nil {
		t.Fatal(err)
	}
	const pinnedCorrect, pinnedRoot = 9891, "417c29469eb8071ae39dae9a3376aae32458c1aee6432bc10289f0df15290d40" // runtime version 2 (runtime/zoo)
	if res.Correct != pinnedCorrect || res.TraceRoot != pinnedRoot {
		t.Fatalf("cuda gives (%d, %s), the CPU reference pins (%d, %s)", res.Correct, res.TraceRoot, pinnedCorrect, pinnedRoot)
	}
}

// TestOperatorsBitExact runs each operator case on both backends and
// compares every output element's bits.
func TestOperatorsBitExact(t *testing.T) {
	be := openCUDA(t)
	for ci, c := range opCases() {
		t.Run(c.name, func(t *testing.T) {
			cpu, feed := compileCase(t, ci, c)
			gpu, err := cpu.WithBackend(be)
			if err != nil {
				t.Fatal(err)
			}
			sameBits(t, cpu, gpu, feed)
		})
	}
}
