package zoo

import (
	"testing"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
)

// BenchmarkMNISTEval evaluates the zoo CNN on the full 10k MNIST test set,
// with and without the trace; images/s is the headline figure.
func BenchmarkMNISTEval(b *testing.B) {
	m := loadZoo(b)
	ds, err := bench.Load("mnist")
	if err != nil {
		b.Fatal(err)
	}
	items := bench.All(ds.Len())
	for _, trace := range []bool{false, true} {
		name := "notrace"
		if trace {
			name = "trace"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := m.Evaluate(ds, items, runtime.EvalOptions{Trace: trace}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(items))*float64(b.N)/b.Elapsed().Seconds(), "images/s")
		})
	}
}
