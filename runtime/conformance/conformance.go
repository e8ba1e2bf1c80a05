// Package conformance runs the ONNX backend node tests (Debian's
// libonnx-testdata, ONNX 1.12: one small model per operator form, with
// inputs and the outputs ONNX's reference implementation computed) through
// the runtime's public API — ParseONNX, Compile, Run; Specialize where a
// test's shapes follow its inputs' values or sizes — and says, for each,
// whether the runtime gives the expected outputs within the suite's own
// tolerance, refuses the model with a reason, gives a wrong answer, or
// crashes. A refusal is honest; a wrong answer or a crash is a bug.
//
// Every case runs with 1 and 4 workers and the two must agree bit for bit:
// the result may not depend on the parallelism.
package conformance

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
)

// Outcome is what one node test gave.
type Outcome int

const (
	// Pass: every output has the expected dtype and shape and its values
	// are within tolerance, with 1 and 4 workers alike.
	Pass Outcome = iota
	// Refused: the runtime declined the model or its inputs with an error
	// (an operator, dtype or form it does not support).
	Refused
	// Mismatch: the runtime ran and gave another answer, or its answers
	// with 1 and 4 workers differ.
	Mismatch
	// Crashed: the runtime panicked.
	Crashed
)

func (o Outcome) String() string {
	return [...]string{"pass", "refused", "mismatch", "crashed"}[o]
}

// Tolerance of the ONNX backend test runner (onnx/backend/test/runner):
// |actual − expected| ≤ atol + rtol·|expected|.
const (
	rtol = 1e-3
	atol = 1e-7
)

// Case is one node test's outcome. Stage says where a refusal or a
// mismatch happened: "parse", "compile", "input", "run" or "compare".
type Case struct {
	Name    string
	Outcome Outcome
	Stage   string
	Reason  string
}

// Root is the suite's node folder inside the data cache (make data
// extracts libonnx-testdata there), whether or not it exists.
func Root() string {
	return filepath.Join(bench.DataDir(), "libonnx-testdata", "usr/share/libonnx-testdata/data/node")
}

// RunAll runs every test folder under root, sorted by name.
func RunAll(root string) ([]Case, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("the ONNX node tests are not at %s (make data extracts libonnx-testdata): %w", root, err)
	}
	var out []Case
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), "test_") {
			out = append(out, RunOne(filepath.Join(root, e.Name())))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// RunOne runs one test folder: model.onnx and its test_data_set_* folders.
func RunOne(dir string) (c Case) {
	c.Name = filepath.Base(dir)
	defer func() {
		if r := recover(); r != nil {
			c.Outcome, c.Stage, c.Reason = Crashed, "run", fmt.Sprint(r)
		}
	}()
	refuse := func(stage string, err error) Case {
		c.Outcome, c.Stage, c.Reason = Refused, stage, err.Error()
		return c
	}
	lim := runtime.DefaultLimits()
	raw, err := os.ReadFile(filepath.Join(dir, "model.onnx"))
	if err != nil {
		return refuse("parse", err)
	}
	g, err := runtime.ParseONNX(raw, lim)
	if err != nil {
		return refuse("parse", err)
	}
	general, cerr := runtime.Compile(g, lim)
	sets, _ := filepath.Glob(filepath.Join(dir, "test_data_set_*"))
	sort.Strings(sets)
	if len(sets) == 0 {
		return refuse("input", fmt.Errorf("no test_data_set_* folder"))
	}
	for _, set := range sets {
		ins, err := readTensors(set, "input", lim)
		if err != nil {
			return refuse("input", err)
		}
		want, err := readTensors(set, "output", lim)
		if err != nil {
			return refuse("input", fmt.Errorf("expected output: %w", err))
		}
		// A graph whose shapes depend on its inputs' values or sizes is
		// compiled for this data set's inputs (runtime.Specialize).
		p, feed := general, ins
		if cerr != nil || !sameShapes(general, ins) {
			if p, feed, err = runtime.Specialize(g, lim, ins); err != nil {
				if cerr != nil {
					return refuse("compile", cerr)
				}
				return refuse("compile", err)
			}
		}
		ins = feed
		one, err := p.Run(ins, 1, nil)
		if err != nil {
			return refuse("run", err)
		}
		four, err := p.Run(ins, 4, nil)
		if err != nil {
			c.Outcome, c.Stage, c.Reason = Mismatch, "run", fmt.Sprintf("fails with 4 workers only: %v", err)
			return c
		}
		if err := identical(one, four); err != nil {
			c.Outcome, c.Stage, c.Reason = Mismatch, "compare", fmt.Sprintf("1 and 4 workers differ: %v", err)
			return c
		}
		if reason := uncomparable(one, want); reason != "" {
			return refuse("compare", fmt.Errorf("%s", reason))
		}
		if err := matches(one, want); err != nil {
			c.Outcome, c.Stage, c.Reason = Mismatch, "compare", fmt.Sprintf("%s: %v", filepath.Base(set), err)
			return c
		}
	}
	c.Outcome = Pass
	return c
}

// sameShapes reports whether the inputs have the shapes p was compiled for.
func sameShapes(p *runtime.Program, ins []*runtime.Tensor) bool {
	decl := p.Inputs()
	if len(decl) != len(ins) {
		return false
	}
	for i, v := range decl {
		if ins[i] == nil || !slices.Equal(v.Shape, ins[i].Shape) {
			return false
		}
	}
	return true
}

// readTensors reads prefix_0.pb, prefix_1.pb, ... of a data set.
func readTensors(set, prefix string, lim runtime.Limits) ([]*runtime.Tensor, error) {
	var out []*runtime.Tensor
	for i := 0; ; i++ {
		b, err := os.ReadFile(filepath.Join(set, fmt.Sprintf("%s_%d.pb", prefix, i)))
		if os.IsNotExist(err) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		t, err := runtime.ParseTensor(b, lim)
		if err != nil {
			return nil, fmt.Errorf("%s_%d: %w", prefix, i, err)
		}
		out = append(out, t)
	}
}

// uncomparable says why outputs cannot be held against the expected ones,
// or "": ONNX 1.12 stores its bfloat16 Cast results as uint16 bits, made by
// truncating float32, where the runtime (and onnxruntime) round to nearest
// even. Counted as not passing, with this reason, not as a pass.
func uncomparable(got, want []*runtime.Tensor) string {
	for k := range want {
		if k < len(got) && got[k].DType == runtime.BFloat16 && want[k].DType == runtime.UInt16 {
			return fmt.Sprintf("output %d: the expected bfloat16 values are uint16 bits truncated from float32; the runtime rounds to nearest even", k)
		}
	}
	return ""
}

// floats is a floating-point tensor's values as float64 (float64 ones
// are held as bits in I), or nil for integers and bools.
func floats(t *runtime.Tensor) []float64 {
	switch t.DType {
	case runtime.Float64:
		return t.Float64s()
	case runtime.Float32, runtime.Float16, runtime.BFloat16:
	default:
		return nil
	}
	out := make([]float64, len(t.F))
	for i, v := range t.F {
		out[i] = float64(v)
	}
	return out
}

// matches compares outputs with the expected ones within the tolerance
// (integers and booleans exactly; NaN only where NaN is expected).
func matches(got, want []*runtime.Tensor) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d outputs, want %d", len(got), len(want))
	}
	for k := range want {
		g, w := got[k], want[k]
		if g.DType != w.DType {
			return fmt.Errorf("output %d is %s, want %s", k, g.DType, w.DType)
		}
		if !slices.Equal(g.Shape, w.Shape) {
			return fmt.Errorf("output %d has shape %v, want %v", k, g.Shape, w.Shape)
		}
		gf, wf := floats(g), floats(w)
		if wf == nil {
			for i := range w.I {
				if g.I[i] != w.I[i] {
					return fmt.Errorf("output %d element %d is %d, want %d", k, i, g.I[i], w.I[i])
				}
			}
		}
		for i := range wf {
			a, e := gf[i], wf[i]
			switch {
			case math.IsNaN(e) || math.IsNaN(a):
				if !math.IsNaN(e) || !math.IsNaN(a) {
					return fmt.Errorf("output %d element %d is %v, want %v", k, i, a, e)
				}
			case math.IsInf(e, 0) || math.IsInf(a, 0):
				if a != e {
					return fmt.Errorf("output %d element %d is %v, want %v", k, i, a, e)
				}
			case math.Abs(a-e) > atol+float64(rtol*math.Abs(e)):
				return fmt.Errorf("output %d element %d is %v, want %v", k, i, a, e)
			}
		}
	}
	return nil
}

// identical compares two runs' outputs bit for bit.
func identical(a, b []*runtime.Tensor) error {
	if len(a) != len(b) {
		return fmt.Errorf("%d outputs against %d", len(a), len(b))
	}
	for k := range a {
		if a[k].DType != b[k].DType || !slices.Equal(a[k].Shape, b[k].Shape) || len(a[k].F) != len(b[k].F) || len(a[k].I) != len(b[k].I) {
			return fmt.Errorf("output %d differs in type or shape", k)
		}
		for i := range a[k].F {
			if math.Float32bits(a[k].F[i]) != math.Float32bits(b[k].F[i]) {
				return fmt.Errorf("output %d element %d: %08x against %08x", k, i, math.Float32bits(a[k].F[i]), math.Float32bits(b[k].F[i]))
			}
		}
		for i := range a[k].I {
			if a[k].I[i] != b[k].I[i] {
				return fmt.Errorf("output %d element %d: %d against %d", k, i, a[k].I[i], b[k].I[i])
			}
		}
	}
	return nil
}

// Summary counts outcomes.
func Summary(cases []Case) map[Outcome]int {
	m := map[Outcome]int{}
	for _, c := range cases {
		m[c.Outcome]++
	}
	return m
}
