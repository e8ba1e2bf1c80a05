package compare

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/owulveryck/onnx-go"
	"github.com/owulveryck/onnx-go/backend/x/gorgonnx"
	"gorgonia.org/tensor"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
	"github.com/delphi-network/delphi/runtime/zoo"
)

const images = 2000

func setup(tb testing.TB) ([]byte, *runtime.Model, *bench.Benchmark) {
	tb.Helper()
	b, err := zoo.MNIST()
	if err != nil {
		tb.Fatal(err)
	}
	m, err := runtime.LoadModel(b, runtime.DefaultLimits())
	if err != nil {
		tb.Fatal(err)
	}
	ds, err := bench.Load("mnist")
	if err != nil {
		tb.Fatal(err)
	}
	return b, m, ds
}

// gorgoniaEval classifies items [lo, hi) with one gorgonnx backend.
func gorgoniaEval(tb testing.TB, model []byte, ds *bench.Benchmark, lo, hi int) int {
	backend := gorgonnx.NewGraph()
	m := onnx.NewModel(backend)
	if err := m.UnmarshalBinary(model); err != nil {
		tb.Fatal(err)
	}
	correct := 0
	for i := lo; i < hi; i++ {
		x, label := ds.Item(i)
		in := tensor.New(tensor.WithShape(1, 1, 28, 28), tensor.WithBacking(append([]float32(nil), x.F...)))
		if err := m.SetInput(0, in); err != nil {
			tb.Fatal(err)
		}
		if err := backend.Run(); err != nil {
			tb.Fatal(err)
		}
		out, err := m.GetOutputTensors()
		if err != nil {
			tb.Fatal(err)
		}
		if runtime.Argmax(out[0].Data().([]float32)) == label {
			correct++
		}
	}
	return correct
}

// gorgoniaParallel splits the items over `workers` backends, one goroutine each.
func gorgoniaParallel(tb testing.TB, model []byte, ds *bench.Benchmark, workers int) int {
	var wg sync.WaitGroup
	counts := make([]int, workers)
	per := (images + workers - 1) / workers
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts[w] = gorgoniaEval(tb, model, ds, w*per, min((w+1)*per, images))
		}()
	}
	wg.Wait()
	total := 0
	for _, c := range counts {
		total += c
	}
	return total
}

// TestSameAnswers: both engines classify the first 2000 test images alike
// (the counts match; gorgonia is not bit-exact, but argmax agrees).
func TestSameAnswers(t *testing.T) {
	model, m, ds := setup(t)
	res, err := m.Evaluate(ds, bench.All(images), runtime.EvalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	g := gorgoniaEval(t, model, ds, 0, images)
	t.Logf("delphi %d/%d, gorgonia %d/%d", res.Correct, images, g, images)
	if g != res.Correct {
		t.Fatalf("correct counts differ: delphi %d, gorgonia %d", res.Correct, g)
	}
}

func report(b *testing.B) {
	b.ReportMetric(float64(images)*float64(b.N)/b.Elapsed().Seconds(), "images/s")
}

// BenchmarkZooMNIST runs the same 2000 images through each engine, single
// goroutine and two goroutines (this machine's core count).
func BenchmarkZooMNIST(b *testing.B) {
	model, m, ds := setup(b)
	items := bench.All(images)
	roomy := declaredTwice(b, m)
	for _, w := range []int{1, 2} {
		ws := string(rune('0' + w))
		b.Run("delphi/workers="+ws, func(b *testing.B) {
			for b.Loop() {
				if _, err := m.Evaluate(ds, items, runtime.EvalOptions{Workers: w}); err != nil {
					b.Fatal(err)
				}
			}
			report(b)
		})
		b.Run("delphi-trace/workers="+ws, func(b *testing.B) {
			for b.Loop() {
				if _, err := m.Evaluate(ds, items, runtime.EvalOptions{Workers: w, Trace: true}); err != nil {
					b.Fatal(err)
				}
			}
			report(b)
		})
		b.Run("delphi-trace-room/workers="+ws, func(b *testing.B) {
			for b.Loop() {
				if _, err := roomy.Evaluate(ds, items, runtime.EvalOptions{Workers: w, Trace: true}); err != nil {
					b.Fatal(err)
				}
			}
			report(b)
		})
		b.Run("gorgonia/workers="+ws, func(b *testing.B) {
			for b.Loop() {
				gorgoniaParallel(b, model, ds, w)
			}
			report(b)
		})
		b.Run("onnxruntime/workers="+ws, func(b *testing.B) {
			var rate float64
			for b.Loop() {
				r, correct := onnxruntimeRun(b, model, ds, w)
				if want := delphiCorrect(b, m, ds); correct != want {
					b.Fatalf("onnxruntime classified %d images right, delphi %d", correct, want)
				}
				rate = r
			}
			b.ReportMetric(rate, "images/s")
		})
	}
}

// declaredTwice is the model as a registration declaring twice its
// smallest referee step shapes its trace at the default runtime version
// (room for larger groups: runtime/leaves.go).
func declaredTwice(tb testing.TB, m *runtime.Model) *runtime.Model {
	least, err := m.RefereeStep()
	if err != nil {
		tb.Fatal(err)
	}
	roomy, err := m.AtVersionDeclared(runtime.Version, runtime.RefereeStep{Bytes: 2 * least.Bytes, FLOPs: 2 * least.FLOPs})
	if err != nil {
		tb.Fatal(err)
	}
	return roomy
}

// delphiCorrect is the number of the images the runtime classifies right.
func delphiCorrect(tb testing.TB, m *runtime.Model, ds *bench.Benchmark) int {
	res, err := m.Evaluate(ds, bench.All(images), runtime.EvalOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	return res.Correct
}

// onnxruntimeRun times onnxruntime-node (npm, CPU; make data installs it)
// on the same images with `threads` intra-op threads, through
// ort_bench.mjs: its images/s counts only the run calls, timed inside
// node, and its correct count proves it classified them.
func onnxruntimeRun(tb testing.TB, model []byte, ds *bench.Benchmark, threads int) (float64, int) {
	ortDir := filepath.Join(bench.DataDir(), "onnxruntime-node")
	if _, err := os.Stat(filepath.Join(ortDir, "node_modules", "onnxruntime-node", "package.json")); err != nil {
		tb.Fatalf("onnxruntime-node is not installed at %s (make data installs it): %v", ortDir, err)
	}
	dir := tb.TempDir()
	pix := make([]byte, 0, images*784*4)
	labels := make([]byte, images)
	for i := range images {
		x, label := ds.Item(i)
		for _, v := range x.F {
			pix = binary.LittleEndian.AppendUint32(pix, math.Float32bits(v))
		}
		labels[i] = byte(label)
	}
	files := map[string][]byte{"model.onnx": model, "images.bin": pix, "labels.bin": labels}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	out, err := exec.Command("node", "ort_bench.mjs", ortDir, filepath.Join(dir, "model.onnx"), filepath.Join(dir, "images.bin"),
		filepath.Join(dir, "labels.bin"), itoa(images), itoa(threads)).CombinedOutput()
	if err != nil {
		tb.Fatalf("onnxruntime: %v\n%s", err, out)
	}
	var res struct {
		ImagesPerSec float64
		Correct      int
	}
	if err := json.Unmarshal(out, &res); err != nil {
		tb.Fatalf("onnxruntime printed %q: %v", out, err)
	}
	return res.ImagesPerSec, res.Correct
}

func itoa(n int) string { return strconv.Itoa(n) }

// BenchmarkTrainedMNIST runs the runtime on the demo's trained MNIST models
// (DELPHI_TRAINED_MODELS names their directory; `make bench` prepares it
// with delphid demo --models-only) over the same 2000 test images, without
// and with tracing (declared at the smallest referee step, and at twice
// it), on one goroutine.
func BenchmarkTrainedMNIST(b *testing.B) {
	dir := os.Getenv("DELPHI_TRAINED_MODELS")
	if dir == "" {
		b.Skip("DELPHI_TRAINED_MODELS is not set")
	}
	ds, err := bench.Load("mnist")
	if err != nil {
		b.Fatal(err)
	}
	items := bench.All(images)
	for _, name := range []string{"delphi-cnn", "delphi-mlp", "delphi-logreg"} {
		raw, err := os.ReadFile(filepath.Join(dir, name+".onnx"))
		if err != nil {
			b.Fatal(err)
		}
		m, err := runtime.LoadModel(raw, runtime.DefaultLimits())
		if err != nil {
			b.Fatal(err)
		}
		roomy := declaredTwice(b, m)
		for _, run := range []struct {
			label string
			m     *runtime.Model
			trace bool
		}{{"delphi", m, false}, {"delphi-trace", m, true}, {"delphi-trace-room", roomy, true}} {
			b.Run(name+"/"+run.label, func(b *testing.B) {
				for b.Loop() {
					if _, err := run.m.Evaluate(ds, items, runtime.EvalOptions{Workers: 1, Trace: run.trace}); err != nil {
						b.Fatal(err)
					}
				}
				report(b)
			})
		}
	}
}
