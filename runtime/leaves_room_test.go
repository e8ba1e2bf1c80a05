package runtime_test

import (
	"math"
	"slices"
	"testing"

	"github.com/delphi-network/delphi/runtime"
)

// bounds is the largest declaration the chain admits.
var bounds = runtime.RefereeStep{Bytes: runtime.MaxRefereeStepBytes, FLOPs: runtime.MaxRefereeStepFLOPs}

// TestVersion3GroupsGrowIntoTheDeclaredRoom: at version 3 a model declared
// at its smallest step has version 2's leaves; declaring more gives fewer
// leaves, each still one of version 1's outputs with the same bits, and
// every step stays within the declaration.
func TestVersion3GroupsGrowIntoTheDeclaredRoom(t *testing.T) {
	for name, m := range leafModels(t) {
		if name == "llama-nano" { // language models take no room (llm)
			continue
		}
		t.Run(name, func(t *testing.T) {
			least, err := m.RefereeStep()
			if err != nil {
				t.Fatal(err)
			}
			v1, _ := m.AtVersion(1)
			v2, _ := m.AtVersion(2)
			x := sampleInput(t, m.Program)
			h1 := leafHashes(t, v1.Program, x)
			n1 := leafNames(t, v1.Program)
			prev := len(h1) + 1
			for _, declared := range []runtime.RefereeStep{
				{}, // undeclared: no room
				least,
				{Bytes: least.Bytes + 4096, FLOPs: least.FLOPs + least.FLOPs/8},
				{Bytes: 2 * least.Bytes, FLOPs: 2 * least.FLOPs},
				bounds,
			} {
				at, err := m.AtVersionDeclared(3, declared)
				if err != nil {
					t.Fatal(err)
				}
				names := leafNames(t, at.Program)
				if declared == least || declared == (runtime.RefereeStep{}) {
					if !slices.Equal(names, leafNames(t, v2.Program)) || at.Program.Room() != (runtime.RefereeStep{}) {
						t.Fatalf("declared %+v (the smallest step, or none): leaves %v, version 2's %v", declared, names, leafNames(t, v2.Program))
					}
				} else if want := (runtime.RefereeStep{Bytes: declared.Bytes - least.Bytes, FLOPs: declared.FLOPs - least.FLOPs}); at.Program.Room() != want {
					t.Fatalf("declared %+v over %+v: room %+v, want %+v", declared, least, at.Program.Room(), want)
				}
				step, err := at.LargestStep()
				if err != nil {
					t.Fatal(err)
				}
				if step.Bytes > max(declared.Bytes, least.Bytes) || step.FLOPs > max(declared.FLOPs, least.FLOPs) {
					t.Fatalf("declared %+v: a step of %+v", declared, step)
				}
				if len(names) > prev {
					t.Fatalf("declared %+v: %d leaves, more than a smaller declaration's %d", declared, len(names), prev)
				}
				prev = len(names)
				h3 := leafHashes(t, at.Program, x)
				for l, name := range names {
					if i := slices.Index(n1, name); i < 0 || h1[i] != h3[l] {
						t.Fatalf("declared %+v: leaf %d (%s) is not version 1's output of that node", declared, l, name)
					}
				}
				t.Logf("declared %+v: %d leaves, largest step %+v", declared, len(names), step)
			}
		})
	}
}

// TestVersion3AtTheBoundsFusesTheZooCNN: declared at the chain's bounds,
// the zoo CNN (a chain of operators, each read once) is one group ending
// in its logits.
func TestVersion3AtTheBoundsFusesTheZooCNN(t *testing.T) {
	at, err := leafModels(t)["zoo-cnn"].AtVersionDeclared(3, bounds)
	if err != nil {
		t.Fatal(err)
	}
	if names := leafNames(t, at.Program); !slices.Equal(names, []string{"Plus214"}) {
		t.Fatalf("leaves %v", names)
	}
}

// TestRoomNeedsVersion3: versions 1 and 2 ignore a declaration (their
// evaluations were recorded before it shaped leaves), and a negative or
// oversized room is clamped rather than trusted.
func TestRoomNeedsVersion3(t *testing.T) {
	m := leafModels(t)["zoo-cnn"]
	for _, v := range []uint32{1, 2} {
		plain, _ := m.AtVersion(v)
		at, err := m.AtVersionDeclared(v, bounds)
		if err != nil {
			t.Fatal(err)
		}
		if at.Program.Room() != (runtime.RefereeStep{}) || !slices.Equal(leafNames(t, at.Program), leafNames(t, plain.Program)) {
			t.Fatalf("version %d took room %+v", v, at.Program.Room())
		}
	}
	huge, err := m.Program.AtVersionWithin(3, runtime.RefereeStep{Bytes: 1 << 62, FLOPs: 1 << 62})
	if err != nil {
		t.Fatal(err)
	}
	if huge.Room() != bounds {
		t.Fatalf("room %+v, want clamped to %+v", huge.Room(), bounds)
	}
	neg, err := m.Program.AtVersionWithin(3, runtime.RefereeStep{Bytes: -5, FLOPs: -1 << 62})
	if err != nil {
		t.Fatal(err)
	}
	if neg.Room() != (runtime.RefereeStep{}) || neg.LeavesPerItem() != 4 {
		t.Fatalf("a negative room gave room %+v and %d leaves", neg.Room(), neg.LeavesPerItem())
	}
}

// TestSkeletonAgreesOnTheRoom: the referee compiles the model from its
// skeleton and derives the room from the same declaration; its groups must
// be the sidecar's, leaf for leaf.
func TestSkeletonAgreesOnTheRoom(t *testing.T) {
	for _, name := range []string{"zoo-cnn", "iris-mlp"} {
		m := leafModels(t)[name]
		sk, err := runtime.LoadSkeleton(m.Skeleton(), runtime.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		least, _ := m.RefereeStep()
		if got, _ := sk.RefereeStep(); got != least {
			t.Fatalf("%s: the skeleton's smallest step %+v, the model's %+v", name, got, least)
		}
		declared := runtime.RefereeStep{Bytes: least.Bytes + 20000, FLOPs: 2 * least.FLOPs}
		a, err := m.AtVersionDeclared(3, declared)
		if err != nil {
			t.Fatal(err)
		}
		b, err := sk.AtVersionDeclared(3, declared)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(leafNames(t, a.Program), leafNames(t, b.Program)) {
			t.Fatalf("%s: model leaves %v, skeleton's %v", name, leafNames(t, a.Program), leafNames(t, b.Program))
		}
	}
}

// leafHashes runs the program on x and hashes each leaf.
func leafHashes(t *testing.T, p *runtime.Program, x *runtime.Tensor) []runtime.Hash {
	t.Helper()
	var hs []runtime.Hash
	if _, err := p.Run([]*runtime.Tensor{x}, 1, func(_ int, t *runtime.Tensor) { hs = append(hs, runtime.OutputHash(t)) }); err != nil {
		t.Fatal(err)
	}
	return hs
}

// TestADeclarationBelowTheSmallestStepGetsNoRoom: a declaration under the
// smallest step, however far (a uint64 above 2^63 read as negative, a CLI
// flag), gives no room; one above the chain's bounds gives the bounds'
// room, so no step ever exceeds them.
func TestADeclarationBelowTheSmallestStepGetsNoRoom(t *testing.T) {
	m := leafModels(t)["zoo-cnn"]
	least, _ := m.RefereeStep()
	for _, declared := range []runtime.RefereeStep{
		{Bytes: math.MinInt64, FLOPs: math.MinInt64},
		{Bytes: least.Bytes - 1, FLOPs: least.FLOPs - 1},
		{Bytes: -1, FLOPs: math.MaxInt64},
	} {
		at, err := m.AtVersionDeclared(3, declared)
		if err != nil {
			t.Fatal(err)
		}
		if room := at.Program.Room(); room.Bytes != 0 {
			t.Fatalf("declared %+v: room %+v", declared, room)
		}
	}
	at, err := m.AtVersionDeclared(3, runtime.RefereeStep{Bytes: math.MaxInt64, FLOPs: math.MaxInt64})
	if err != nil {
		t.Fatal(err)
	}
	if want := (runtime.RefereeStep{Bytes: bounds.Bytes - least.Bytes, FLOPs: bounds.FLOPs - least.FLOPs}); at.Program.Room() != want {
		t.Fatalf("declared above the bounds: room %+v, want %+v", at.Program.Room(), want)
	}
	if got := runtime.Declared(math.MaxUint64, 1<<40); got != bounds {
		t.Fatalf("Declared above the bounds: %+v", got)
	}
}
