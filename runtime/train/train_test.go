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

// TestTrainingForwardMatchesRuntime: the trainer's forward pass and the
// runtime's agree exactly on the exported graph: with the runtime's argmax
// as the label, the trainer must call every prediction correct.
func TestTrainingForwardMatchesRuntime(t *testing.T) {
	for _, c := range []struct{ kind, data string }{
		{"logreg", "mnist"}, {"mlp", "mnist"}, {"cnn", "mnist"}, {"logreg", "wine"}, {"mlp", "breast-cancer"},
	} {
		ds, err := bench.Load(c.data)
		if err != nil {
			t.Fatal(err)
		}
		shape := ds.InputShape()
		in := 1
		for _, d := range shape {
			in *= d
		}
		pre := &prep{image: true}
		if len(shape) == 2 {
			pre = standardize(func(i int) []float32 { x, _ := ds.Item(i); return x.F }, ds.Len(), in)
		}
		nt, err := newNet(c.kind, pre, in, ds.Classes(), 16, newStream(3, "init"))
		if err != nil {
			t.Fatal(err)
		}
		model, err := export(nt, pre, shape, ds.Classes(), DefaultConfig(c.kind, c.data))
		if err != nil {
			t.Fatal(err)
		}
		m, err := runtime.LoadModel(model, runtime.DefaultLimits())
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
			if !w.accumulate(x.F, runtime.Argmax(out.F), g) {
				t.Fatalf("%s on %s item %d: trainer and runtime disagree on the argmax", c.kind, c.data, i)
			}
		}
	}
}

// TestTrainTabular trains on the scikit-learn sets (in-graph
// standardisation) and checks the models learned the training data.
func TestTrainTabular(t *testing.T) {
	for _, c := range []struct {
		kind, data string
		minAcc     float64
		sha        string
	}{
		{"logreg", "iris", 0.9, "386deefc3ecb22162425b83f1f0bf9a96b608bb9756f664dcdbc73a0f84a82a4"},
		{"mlp", "wine", 0.95, "e25ee6727759bbe99cea016e6e41fe89e7cffd77dc4b2aff6565c12e86eb8022"},
		{"logreg", "breast-cancer", 0.95, "158e13f31a51cbcbeee41fd895131f8b8c3f41fc34b1f20d3e78009ed7e4dae8"},
		{"mlp", "digits", 0.95, "ad6361dbad377af701f4004ef4a987cf19e9f0388119cb28501202562fb5bd87"},
	} {
		cfg := DefaultConfig(c.kind, c.data)
		model, rec, err := Train(cfg)
		if err != nil {
			t.Fatal(err)
		}
		again, _, err := Train(cfg)
		if err != nil || string(again) != string(model) {
			t.Fatalf("%s/%s: retraining differs (%v)", c.kind, c.data, err)
		}
		m, err := runtime.LoadModel(model, runtime.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		ds, _ := bench.Load(c.data)
		res, err := m.Evaluate(ds, bench.All(ds.Len()), runtime.EvalOptions{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s on %s: %d/%d, model %s", c.kind, c.data, res.Correct, res.Items, rec.ModelSHA256)
		if res.Accuracy < c.minAcc {
			t.Fatalf("%s on %s: accuracy %.3f < %.2f", c.kind, c.data, res.Accuracy, c.minAcc)
		}
		if rec.ModelSHA256 != c.sha {
			t.Fatalf("%s on %s: model sha256 %s, pinned %s", c.kind, c.data, rec.ModelSHA256, c.sha)
		}
	}
}
