package thirdparty

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
)

// Tolerance the issue sets for agreement with onnxruntime.
const (
	atol = 1e-4
	rtol = 1e-3
)

// ortOutput is one output onnxruntime wrote.
type ortOutput struct {
	Name  string `json:"name"`
	DType string `json:"dtype"`
	Dims  []int  `json:"dims"`
	File  string `json:"file"`
}

// runORT runs the model with onnxruntime-node (CPU, one thread) through
// ort_run.mjs and returns its outputs by name.
func runORT(t *testing.T, m Model) map[string][]float64 {
	t.Helper()
	ortDir := filepath.Join(bench.DataDir(), "onnxruntime-node")
	if _, err := os.Stat(filepath.Join(ortDir, "node_modules", "onnxruntime-node", "package.json")); err != nil {
		t.Fatalf("onnxruntime-node is not installed at %s (make data installs it): %v", ortDir, err)
	}
	dir := t.TempDir()
	args := []string{"ort_run.mjs", ortDir, filepath.Join(bench.DataDir(), m.Path), dir}
	for i, in := range m.Inputs {
		x, err := in.Tensor()
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, fmt.Sprintf("in_%d.bin", i))
		if err := os.WriteFile(file, x.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		dims := make([]string, len(in.Shape))
		for d, v := range in.Shape {
			dims[d] = fmt.Sprint(v)
		}
		dtype := "float32"
		if in.Int64 {
			dtype = "int64"
		}
		args = append(args, strings.Join([]string{in.Name, dtype, strings.Join(dims, "x"), file}, ":"))
	}
	cmd := exec.Command("node", args...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("onnxruntime on %s: %v\n%s", m.Name, err, out)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var outs []ortOutput
	if err := json.Unmarshal(raw, &outs); err != nil {
		t.Fatal(err)
	}
	res := map[string][]float64{}
	for _, o := range outs {
		b, err := os.ReadFile(o.File)
		if err != nil {
			t.Fatal(err)
		}
		if o.DType != "float32" {
			t.Fatalf("%s output %s is %s: the comparison reads float32", m.Name, o.Name, o.DType)
		}
		v := make([]float64, len(b)/4)
		for i := range v {
			v[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:])))
		}
		res[o.Name] = v
	}
	return res
}

// TestModelsMatchOnnxruntime: each published model runs through the
// runtime and agrees with onnxruntime within 1e-4 absolute + 1e-3
// relative on every output element, and 1 and 2 workers give the same
// bits. Without the models or onnxruntime (make data) it fails.
func TestModelsMatchOnnxruntime(t *testing.T) {
	for _, m := range Models {
		t.Run(m.Name, func(t *testing.T) {
			raw, err := m.Load()
			if err != nil {
				t.Fatal(err)
			}
			one, err := m.Run(raw, 1)
			if err != nil {
				t.Fatalf("the runtime refuses %s: %v", m.Name, err)
			}
			two, err := m.Run(raw, 2)
			if err != nil {
				t.Fatal(err)
			}
			want := runORT(t, m)
			if len(want) != len(one) {
				t.Fatalf("%d outputs, onnxruntime has %d", len(one), len(want))
			}
			for name, w := range want {
				got, ok := one[name]
				if !ok {
					t.Fatalf("no output %q", name)
				}
				if runtime.OutputHash(got) != runtime.OutputHash(two[name]) {
					t.Fatalf("%s: 1 and 2 workers differ", name)
				}
				if got.Len() != len(w) {
					t.Fatalf("%s: %d elements %v, onnxruntime %d", name, got.Len(), got.Shape, len(w))
				}
				worst := 0.0
				for i, e := range w {
					a := float64(got.F[i])
					d := math.Abs(a - e)
					if d > atol+rtol*math.Abs(e) || a != a {
						t.Fatalf("%s element %d: %v, onnxruntime %v", name, i, a, e)
					}
					worst = max(worst, d)
				}
				t.Logf("%s (%s): %d elements, largest difference %.3g", name, m.Kind, len(w), worst)
			}
		})
	}
}

// TestRefereeRecomputesEveryLeaf: for each published model, every operator
// leaf of a traced run recomputes (Program.Recompute, what x/verde's
// referee calls) from the inputs LeafNode names — earlier leaves, weights,
// the item — to the same bits.
func TestRefereeRecomputesEveryLeaf(t *testing.T) {
	for _, m := range Models {
		t.Run(m.Name, func(t *testing.T) {
			raw, err := m.Load()
			if err != nil {
				t.Fatal(err)
			}
			compiled, feed, err := m.Compile(raw)
			if err != nil {
				t.Fatal(err)
			}
			// Every runtime version's leaves (version 2 recomputes groups),
			// and version 3's with room for larger groups.
			rooms := []runtime.RefereeStep{{}, {}, {}, {Bytes: 64 << 10, FLOPs: 4_000_000}}
			for i, v := range append(runtime.SupportedVersions(), 3) {
				p, err := compiled.AtVersionWithin(v, rooms[i])
				if err != nil {
					t.Fatal(err)
				}
				var outs []*runtime.Tensor
				if _, err := p.Run(feed, 2, func(_ int, t *runtime.Tensor) { outs = append(outs, t) }); err != nil {
					t.Fatal(err)
				}
				items := map[string]*runtime.Tensor{}
				for i, v := range p.Inputs() {
					items[v.Name] = feed[i]
				}
				ops := map[string]int{}
				for l := 0; l < p.LeavesPerItem(); l++ {
					node, srcs, err := p.LeafNode(l)
					if err != nil {
						t.Fatal(err)
					}
					var ins []*runtime.Tensor
					for _, s := range srcs {
						switch s.Kind {
						case runtime.FromLeaf:
							ins = append(ins, outs[s.Leaf])
						case runtime.FromWeight:
							ins = append(ins, p.Initializer(s.Name))
						case runtime.FromItem:
							ins = append(ins, items[s.Name])
						}
					}
					got, err := p.Recompute(l, ins)
					if err != nil {
						t.Fatalf("leaf %d (%s): %v", l, node.OpType, err)
					}
					if runtime.OutputHash(got) != runtime.OutputHash(outs[l]) {
						t.Fatalf("leaf %d (%s): the recomputation differs from the run", l, node.OpType)
					}
					ops[node.OpType]++
				}
				t.Logf("version %d, room %+v: %d leaves recomputed, %d operator types", v, rooms[i], p.LeavesPerItem(), len(ops))
			}
		})
	}
}
