package runtime_test

import (
	"slices"
	"testing"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
	"github.com/delphi-network/delphi/runtime/llm"
	"github.com/delphi-network/delphi/runtime/train"
	"github.com/delphi-network/delphi/runtime/zoo"
)

// leafModels are programs of the shapes Delphi evaluates: the zoo CNN,
// a trained MLP with its input normalisation, and a llama decoder's
// prompt graph.
func leafModels(t *testing.T) map[string]*runtime.Model {
	t.Helper()
	out := map[string]*runtime.Model{}
	cnn, err := zoo.MNIST()
	if err != nil {
		t.Fatal(err)
	}
	mlp, _, err := train.Train(train.DefaultConfig("mlp", "iris"))
	if err != nil {
		t.Fatal(err)
	}
	for name, raw := range map[string][]byte{"zoo-cnn": cnn, "iris-mlp": mlp} {
		m, err := runtime.LoadModel(raw, runtime.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		out[name] = m
	}
	cfg := llm.Sizes["nano"]
	w, err := llm.Init(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	g, _ := llm.Graph(w, cfg.Context)
	p, err := runtime.Compile(g, runtime.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	out["llama-nano"] = &runtime.Model{Graph: g, Program: p}
	return out
}

// leafNames lists each leaf's root node name, per version.
func leafNames(t *testing.T, p *runtime.Program) []string {
	t.Helper()
	var names []string
	for l := 0; l < p.LeavesPerItem(); l++ {
		n, _, err := p.LeafNode(l)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, n.Name)
	}
	return names
}

// TestVersion2LeavesAreVersion1Outputs: version 2 commits a subset of
// version 1's outputs, with the same bits — the arithmetic is version
// 1's, only fewer outputs are hashed — and its referee steps are never
// larger than version 1's largest, in FLOPs or in bytes.
func TestVersion2LeavesAreVersion1Outputs(t *testing.T) {
	for name, m := range leafModels(t) {
		t.Run(name, func(t *testing.T) {
			v1, err := m.AtVersion(1)
			if err != nil {
				t.Fatal(err)
			}
			v2, err := m.AtVersion(2)
			if err != nil {
				t.Fatal(err)
			}
			if v2.Program.Version() != 2 || v1.Program.Version() != 1 || v2.Program.LeavesPerItem() >= v1.Program.LeavesPerItem() {
				t.Fatalf("versions %d/%d with %d/%d leaves: version 2 fuses nothing", v1.Program.Version(), v2.Program.Version(),
					v1.Program.LeavesPerItem(), v2.Program.LeavesPerItem())
			}
			x := sampleInput(t, m.Program)
			hashes := func(p *runtime.Program) []runtime.Hash {
				var hs []runtime.Hash
				if _, err := p.Run([]*runtime.Tensor{x}, 1, func(_ int, t *runtime.Tensor) { hs = append(hs, runtime.OutputHash(t)) }); err != nil {
					t.Fatal(err)
				}
				return hs
			}
			h1, h2 := hashes(v1.Program), hashes(v2.Program)
			n1, n2 := leafNames(t, v1.Program), leafNames(t, v2.Program)
			var flops1, flops2 int64
			for l := range h1 {
				f, _ := v1.Program.LeafFLOPs(l)
				flops1 = max(flops1, f)
			}
			for l, name := range n2 {
				at := slices.Index(n1, name)
				if at < 0 || h1[at] != h2[l] {
					t.Fatalf("version 2 leaf %d (%s) is not version 1's output of that node", l, name)
				}
				f, _ := v2.Program.LeafFLOPs(l)
				flops2 = max(flops2, f)
			}
			if flops2 > flops1 {
				t.Fatalf("largest version 2 group costs %d FLOPs, version 1's largest operator %d", flops2, flops1)
			}
			if name != "llama-nano" { // a classifier's whole referee step (a language model's: llm TestVersion2StepsFitVersion1Declarations)
				s1, err := m.RefereeStepAt(1)
				if err != nil {
					t.Fatal(err)
				}
				s2, err := m.RefereeStepAt(2)
				if err != nil {
					t.Fatal(err)
				}
				all, _ := m.RefereeStep()
				if s2.Bytes > s1.Bytes || s2.FLOPs > s1.FLOPs || all != s1 {
					t.Fatalf("referee steps: version 1 %+v, version 2 %+v, declared %+v", s1, s2, all)
				}
			}
		})
	}
}

// sampleInput is a deterministic input of the program's one input.
func sampleInput(t *testing.T, p *runtime.Program) *runtime.Tensor {
	t.Helper()
	in := p.Inputs()[0]
	n := 1
	for _, d := range in.Shape {
		n *= d
	}
	if in.DType == runtime.Int64 {
		ids := make([]int64, n)
		for i := range ids {
			ids[i] = int64(i*7) % 50
		}
		x, err := runtime.FromInts(in.Shape, ids)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	x := runtime.NewTensor(in.Shape...)
	for i := range x.F {
		x.F[i] = float32(i%17) / 17
	}
	return x
}

// TestVersion2FusionRules pins what version 2 fuses in the zoo CNN (each
// conv with its bias, activation and pooling up to the program's largest
// operator; the head with its reshapes) and what it may never fuse: a
// graph output, and a value several operators read.
func TestVersion2FusionRules(t *testing.T) {
	models := leafModels(t)
	cnn := leafNames(t, models["zoo-cnn"].Program)
	if want := []string{"Pooling66", "Convolution110", "Times212", "Plus214"}; !slices.Equal(cnn, want) {
		t.Fatalf("zoo CNN version 2 leaves %v, want %v", cnn, want)
	}
	p := models["llama-nano"].Program
	names := leafNames(t, p)
	for _, must := range []string{"blk.0.attn_norm", "blk.0.attn_residual", "blk.0.ffn_residual"} {
		if !slices.Contains(names, must) {
			t.Fatalf("%s (read by several operators) is not a leaf: %v", must, names)
		}
	}
	if l, ok := p.OutputLeaf(0); !ok || names[l] != "logits" {
		t.Fatalf("the logits (the graph output) are not a leaf: %d %v", l, ok)
	}
}

// TestAtVersion: unknown versions are refused; the same version is the
// same program.
func TestAtVersion(t *testing.T) {
	m := leafModels(t)["iris-mlp"]
	for _, v := range []uint32{0, runtime.Version + 1} {
		if _, err := m.AtVersion(v); err == nil {
			t.Fatalf("version %d accepted", v)
		}
	}
	if m.Program.Version() != runtime.Version {
		t.Fatalf("a loaded model is at version %d, the default is %d", m.Program.Version(), runtime.Version)
	}
	same, err := m.AtVersion(runtime.Version)
	if err != nil || same != m {
		t.Fatalf("the same version gave another model (%v)", err)
	}
}

// TestGroupRecomputeRefusesBadInputs: a group's recomputation checks every
// input it is given, as a single operator's does, and never panics.
func TestGroupRecomputeRefusesBadInputs(t *testing.T) {
	m := leafModels(t)["zoo-cnn"]
	ds, err := bench.Load("mnist")
	if err != nil {
		t.Fatal(err)
	}
	x, _ := ds.Item(0)
	_, srcs, err := m.Program.LeafNode(0) // conv, bias, relu, pool: the item and two weights
	if err != nil || len(srcs) != 3 {
		t.Fatalf("%v %v", srcs, err)
	}
	good := []*runtime.Tensor{x, m.Graph.Initializers[srcs[1].Name], m.Graph.Initializers[srcs[2].Name]}
	if _, err := m.Program.Recompute(0, good); err != nil {
		t.Fatal(err)
	}
	for name, ins := range map[string][]*runtime.Tensor{
		"none":        nil,
		"one missing": good[:2],
		"one extra":   append(slices.Clone(good), x),
		"nil":         {x, nil, good[2]},
		"swapped":     {x, good[2], good[1]},
		"wrong shape": {runtime.NewTensor(1, 1, 28, 27), good[1], good[2]},
	} {
		if _, err := m.Program.Recompute(0, ins); err == nil {
			t.Fatalf("%s: accepted", name)
		}
	}
}
