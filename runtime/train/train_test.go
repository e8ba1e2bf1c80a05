package train

import (
	"bytes"
	"testing"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
)

// TestTrainReproducibleAndLoadable trains each architecture on a slice of
// MNIST twice: the bytes must be identical, the model must load in the
// runtime, and it must have learned something real on the test set.
func TestTrainReproducibleAndLoadable(t *testing.T) {
	test, err := bench.Load("mnist")
	if err != nil {
		t.Fatal(err)
	}
	items, _ := bench.Select(bench.SeedFromUint64(7), 1000, test.Len())
	for _, c := range []struct {
		model  string
		limit  int
		minAcc float64
	}{{"logreg", 6000, 0.80}, {"mlp", 6000, 0.85}, {"cnn", 6000, 0.80}} {
		t.Run(c.model, func(t *testing.T) {
			cfg := DefaultConfig(c.model, "mnist-train")
			cfg.Limit = c.limit
			a, rec, err := Train(cfg)
			if err != nil {
				t.Fatal(err)
			}
			b, rec2, err := Train(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) || rec != rec2 {
				t.Fatal("training twice gave different models")
			}
			m, err := runtime.LoadModel(a, runtime.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			res, err := m.Evaluate(test, items, runtime.EvalOptions{})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d bytes, train acc %.3f, test acc %.3f on 1000, sha %s", c.model, len(a), rec.TrainAccuracy, res.Accuracy, rec.ModelSHA256)
			if res.Accuracy < c.minAcc {
				t.Fatalf("test accuracy %.3f < %.2f", res.Accuracy, c.minAcc)
			}
			cfg.Seed++
			other, _, err := Train(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(a, other) {
				t.Fatal("a different seed gave the same model")
			}
		})
	}
}

// TestTrainingMatchesRuntime: a trained model's forward pass in the trainer
// (which reports train accuracy) and in the runtime agree exactly, checked
// through the logits argmax on training items after one more zero-LR pass.
func TestTrainingForwardMatchesRuntime(t *testing.T) {
	for _, kind := range []string{"logreg", "mlp", "cnn"} {
		nt, err := newNet(kind, 16, newStream(3, "init"))
		if err != nil {
			t.Fatal(err)
		}
		model, err := export(nt, DefaultConfig(kind, "mnist-train"))
		if err != nil {
			t.Fatal(err)
		}
		m, err := runtime.LoadModel(model, runtime.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		ds, err := bench.Load("mnist")
		if err != nil {
			t.Fatal(err)
		}
		w := nt.worker()
		var g [][]float32
		for _, p := range nt.params() {
			g = append(g, make([]float32, len(p.w)))
		}
		for i := 0; i < 20; i++ {
			x, _ := ds.Item(i)
			out, err := m.Predict(x, 1)
			if err != nil {
				t.Fatal(err)
			}
			want := runtime.Argmax(out.F)
			if !w.accumulate(x.F, want, g) {
				t.Fatalf("%s item %d: trainer and runtime disagree on the argmax", kind, i)
			}
		}
	}
}
