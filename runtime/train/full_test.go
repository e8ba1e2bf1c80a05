package train

import (
	"testing"
	"time"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
)

// TestTrainFull trains every architecture on the full training sets with
// the default configuration, checks test-set accuracy, and pins the model
// bytes (the cross-architecture check runs this test on amd64 v1/v3 and
// arm64: identical hashes there mean identical training everywhere). About
// 15 s on two cores; skipped under -short.
func TestTrainFull(t *testing.T) {
	if testing.Short() {
		t.Skip("full training skipped under -short")
	}
	pinned := map[string]struct {
		sha    string
		minAcc float64
	}{
		"logreg/mnist":         {"af6a6a8bfcc626bde2bd017dc94c7fcead1cc39520afa987be3357255b47c058", 0.91},
		"mlp/mnist":            {"af44c56aeaa28ff288c16046647ee8be549378160c2acf217529198dfbde7a56", 0.94},
		"cnn/mnist":            {"0f512e510d38ce2fd483a45116f7e5b68a34cd95e5543388e757f9bbc83ec3c4", 0.96},
		"logreg/fashion-mnist": {"13c8212e6a656d944c3009d444b26e0d1bfb2e394375f121c86b24cc7be56a48", 0.80},
		"mlp/fashion-mnist":    {"2ca1a9b68a969828a1acaee9eebb629df06af38656caa4648a4ae1ef5992f75a", 0.82},
		"cnn/fashion-mnist":    {"f767280ec8867bd3d74977e1c1361a47ed61fcda6194ff470fc282eded336819", 0.85},
	}
	for _, ds := range []string{"mnist", "fashion-mnist"} {
		test, err := bench.Load(ds)
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{"logreg", "mlp", "cnn"} {
			start := time.Now()
			model, rec, err := Train(DefaultConfig(kind, ds+"-train"))
			if err != nil {
				t.Fatal(err)
			}
			m, err := runtime.LoadModel(model, runtime.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			res, err := m.Evaluate(test, bench.All(test.Len()), runtime.EvalOptions{})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s on %s: train %v, test %d/%d (%.2f%%), model %s", kind, ds, time.Since(start).Round(time.Millisecond), res.Correct, res.Items, 100*res.Accuracy, rec.ModelSHA256)
			want := pinned[kind+"/"+ds]
			if rec.ModelSHA256 != want.sha {
				t.Errorf("%s/%s model sha256 %s, pinned %s", kind, ds, rec.ModelSHA256, want.sha)
			}
			if res.Accuracy < want.minAcc {
				t.Errorf("%s/%s test accuracy %.4f < %.2f", kind, ds, res.Accuracy, want.minAcc)
			}
		}
	}
}
