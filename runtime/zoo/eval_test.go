package zoo

import (
	"testing"
	"time"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
)

func loadZoo(t testing.TB) *runtime.Model {
	t.Helper()
	b, err := MNIST()
	if err != nil {
		t.Fatal(err)
	}
	m, err := runtime.LoadModel(b, runtime.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestZooMNISTAccuracy evaluates the zoo CNN on the whole MNIST test set.
func TestZooMNISTAccuracy(t *testing.T) {
	m := loadZoo(t)
	ds, err := bench.Load("mnist")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res, err := m.Evaluate(ds, bench.All(ds.Len()), runtime.EvalOptions{Trace: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("zoo CNN on mnist: %d/%d correct (%.2f%%), %d leaves, root %s, %v",
		res.Correct, res.Items, 100*res.Accuracy, res.Leaves, res.TraceRoot, time.Since(start))
	if res.Correct < 9880 {
		t.Fatalf("zoo CNN scored %d/10000, want >= 9880", res.Correct)
	}
	if res.Correct != pinnedCorrect || res.TraceRoot != pinnedRoot {
		t.Fatalf("result (%d, %s) differs from the pinned (%d, %s): determinism broken or kernels changed",
			res.Correct, res.TraceRoot, pinnedCorrect, pinnedRoot)
	}
	// Version 1's leaves (one per operator output) over the same run: an
	// evaluation recorded before the chain moved to version 2 keeps its root.
	m1, err := m.AtVersion(1)
	if err != nil {
		t.Fatal(err)
	}
	res1, err := m1.Evaluate(ds, bench.All(ds.Len()), runtime.EvalOptions{Trace: true})
	if err != nil {
		t.Fatal(err)
	}
	if res1.Correct != pinnedCorrect || res1.TraceRoot != pinnedRootV1 || res1.Leaves != 10000*(12+runtime.ScoreLeaves) {
		t.Fatalf("version 1: (%d, %s, %d leaves) differs from the pinned (%d, %s, %d)", res1.Correct, res1.TraceRoot, res1.Leaves,
			pinnedCorrect, pinnedRootV1, 10000*(12+runtime.ScoreLeaves))
	}
	// Version 3 declared at twice the smallest step (33,738 bytes,
	// 1,254,400 FLOPs): the whole CNN is one group, one leaf an image.
	m3, err := m.AtVersionDeclared(3, runtime.RefereeStep{Bytes: 67476, FLOPs: 2508800})
	if err != nil {
		t.Fatal(err)
	}
	res3, err := m3.Evaluate(ds, bench.All(ds.Len()), runtime.EvalOptions{Trace: true})
	if err != nil {
		t.Fatal(err)
	}
	if res3.Correct != pinnedCorrect || res3.TraceRoot != pinnedRootRoomy || res3.Leaves != 10000*(1+runtime.ScoreLeaves) {
		t.Fatalf("version 3 with room: (%d, %s, %d leaves) differs from the pinned (%d, %s, %d)", res3.Correct, res3.TraceRoot, res3.Leaves,
			pinnedCorrect, pinnedRootRoomy, 10000*(1+runtime.ScoreLeaves))
	}
}

// Pinned on linux/amd64 (with the score leaves of runtime/score.go after each
// item), at runtime version 3 declared at the smallest step, which is
// version 2's groups (pinnedRoot: 4 operator leaves per image), version 1
// (pinnedRootV1: all 12 operator outputs) and version 3 declared at twice
// the smallest step (pinnedRootRoomy: one group); the cross-architecture
// check (scripts/crossarch.sh) runs this same test under GOAMD64=v1, v3 and
// arm64.
const (
	pinnedCorrect   = 9891
	pinnedRoot      = "417c29469eb8071ae39dae9a3376aae32458c1aee6432bc10289f0df15290d40"
	pinnedRootV1    = "4def4d2755ad91a38cede8022d87ac57001171792dfac50dd6227c34d41d2f94"
	pinnedRootRoomy = "a91b1746de058bf4d2d82d1c7913e57068a9ea0a7c6322749dabafcd26459ec5"
)

// TestEvaluateIndependentOfWorkers: 1 worker and many give the same root,
// and a different item order gives a different root.
func TestEvaluateIndependentOfWorkers(t *testing.T) {
	m := loadZoo(t)
	ds, err := bench.Load("mnist")
	if err != nil {
		t.Fatal(err)
	}
	items, err := bench.Select(bench.SeedFromUint64(42), 64, ds.Len())
	if err != nil {
		t.Fatal(err)
	}
	r1, err := m.Evaluate(ds, items, runtime.EvalOptions{Trace: true, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	r8, err := m.Evaluate(ds, items, runtime.EvalOptions{Trace: true, Workers: 8})
	if err != nil {
		t.Fatal(err)
	}
	if r1.TraceRoot != r8.TraceRoot || r1.Correct != r8.Correct {
		t.Fatalf("workers changed the result: %+v vs %+v", r1, r8)
	}
	if r1.Leaves != 64*m.LeavesPerItem() {
		t.Fatalf("%d leaves", r1.Leaves)
	}
	items[0], items[1] = items[1], items[0]
	rs, _ := m.Evaluate(ds, items, runtime.EvalOptions{Trace: true, Workers: 2})
	if rs.TraceRoot == r1.TraceRoot {
		t.Fatal("item order must be part of the trace")
	}
	// proofs from a real trace verify
	for _, i := range []int{0, r1.Leaves / 3, r1.Leaves - 1} {
		leaf, p, err := r1.Trace.Prove(i)
		if err != nil {
			t.Fatal(err)
		}
		root := r1.Trace.Root()
		if err := runtime.VerifyLeaf(root, uint64(i), leaf, p); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRecomputeZooLeaves: every operator of the zoo CNN can be re-run alone
// from the sources LeafNode names, reproducing its trace leaf exactly (what
// the Verde referee does on chain).
func TestRecomputeZooLeaves(t *testing.T) {
	m := loadZoo(t)
	ds, err := bench.Load("mnist")
	if err != nil {
		t.Fatal(err)
	}
	x, _ := ds.Item(123)
	// Every version's leaves, and version 3's with a declaration of twice
	// the smallest step (the whole CNN is one group then).
	least, err := m.RefereeStep()
	if err != nil {
		t.Fatal(err)
	}
	declared := []runtime.RefereeStep{{}, {}, {}, {Bytes: 2 * least.Bytes, FLOPs: 2 * least.FLOPs}}
	for i, v := range append(runtime.SupportedVersions(), 3) {
		m, err := m.AtVersionDeclared(v, declared[i])
		if err != nil {
			t.Fatal(err)
		}
		var outs []*runtime.Tensor
		if _, err := m.Program.Run([]*runtime.Tensor{x}, 1, func(_ int, t *runtime.Tensor) { outs = append(outs, t) }); err != nil {
			t.Fatal(err)
		}
		for l := range outs {
			node, srcs, err := m.Program.LeafNode(l)
			if err != nil {
				t.Fatal(err)
			}
			var ins []*runtime.Tensor
			for _, s := range srcs {
				switch s.Kind {
				case runtime.FromLeaf:
					ins = append(ins, outs[s.Leaf])
				case runtime.FromWeight:
					ins = append(ins, m.Graph.Initializers[s.Name])
				case runtime.FromItem:
					ins = append(ins, x)
				}
			}
			got, err := m.Program.Recompute(l, ins)
			if err != nil {
				t.Fatal(err)
			}
			if runtime.OutputHash(got) != runtime.OutputHash(outs[l]) {
				t.Fatalf("leaf %d (%s) recomputes differently", l, node.OpType)
			}
		}
	}
}
