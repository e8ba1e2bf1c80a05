package train

import (
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
)

// Config is everything that determines a trained model.
type Config struct {
	Model        string  `json:"model"`         // logreg, mlp or cnn
	Dataset      string  `json:"dataset"`       // a bench name: mnist-train, fashion-mnist-train, or a tabular set
	Seed         uint64  `json:"seed"`          // initial weights and example order
	Epochs       int     `json:"epochs"`        //
	BatchSize    int     `json:"batch_size"`    //
	LearningRate float32 `json:"learning_rate"` // plain SGD step
	Hidden       int     `json:"hidden"`        // mlp hidden units
	Limit        int     `json:"limit"`         // use only the first Limit examples (0: all)
}

// DefaultConfig returns settings that train one epoch in 1-5 s on two
// cores; on the MNIST test set logreg scores 91.7%, mlp 94.6%, cnn 96.8%
// (Fashion-MNIST: 82.0%, 83.0%, 85.6%).
func DefaultConfig(model, dataset string) Config {
	c := Config{Model: model, Dataset: dataset, Seed: 1, Epochs: 1, BatchSize: 32, LearningRate: 0.1, Hidden: 64}
	if model == "cnn" {
		c.LearningRate = 0.1
	}
	switch dataset {
	case "mnist-train", "fashion-mnist-train", "mnist", "fashion-mnist":
	default: // small tabular sets: many passes over few examples
		c.Epochs, c.BatchSize, c.LearningRate, c.Hidden = 100, 8, 0.05, 32
	}
	return c
}

// Record makes a model's provenance checkable: anyone holding the same data
// can retrain and compare the bytes.
type Record struct {
	Config        Config  `json:"config"`
	DatasetSHA256 string  `json:"dataset_sha256"`
	Examples      int     `json:"examples"`
	TrainAccuracy float64 `json:"train_accuracy_last_epoch"`
	WeightsRoot   string  `json:"weights_root"`
	ModelSHA256   string  `json:"model_sha256"`
	// RefereeStepBytes and RefereeStepFLOPs are the model's largest Verde
	// referee step, which its registration declares.
	RefereeStepBytes int64 `json:"referee_step_bytes"`
	RefereeStepFLOPs int64 `json:"referee_step_flops"`
}

// shards is fixed so gradients are summed identically on any machine.
const shards = 4

// Train trains a model and returns its ONNX bytes and training record.
func Train(cfg Config) ([]byte, Record, error) {
	if cfg.Epochs < 1 || cfg.Epochs > 1000 || cfg.BatchSize < 1 || cfg.BatchSize > 1<<16 || !(cfg.LearningRate > 0) {
		return nil, Record{}, fmt.Errorf("invalid training config %+v", cfg)
	}
	ds, err := bench.Load(cfg.Dataset)
	if err != nil {
		return nil, Record{}, err
	}
	n := ds.Len()
	if cfg.Limit > 0 && cfg.Limit < n {
		n = cfg.Limit
	}
	shape := ds.InputShape()
	in := 1
	for _, d := range shape {
		in *= d
	}
	var pre *prep
	switch {
	case len(shape) == 4 && in == pixels:
		pre = &prep{image: true}
	case len(shape) == 2:
		pre = standardize(func(i int) []float32 { x, _ := ds.Item(i); return x.F }, n, in)
	default:
		return nil, Record{}, fmt.Errorf("dataset %s: input shape %v is neither 28x28 images nor [1,F] features", cfg.Dataset, shape)
	}
	nt, err := newNet(cfg.Model, pre, in, ds.Classes(), cfg.Hidden, newStream(cfg.Seed, "init"))
	if err != nil {
		return nil, Record{}, err
	}
	ps := nt.params()
	grads := make([][][]float32, shards)
	workers := make([]worker, shards)
	for s := range grads {
		workers[s] = nt.worker()
		for _, p := range ps {
			grads[s] = append(grads[s], make([]float32, len(p.w)))
		}
	}
	var correct int
	for e := 0; e < cfg.Epochs; e++ {
		order, err := bench.Select(append(bench.SeedFromUint64(cfg.Seed), fmt.Sprintf("epoch-%d", e)...), n, n)
		if err != nil {
			return nil, Record{}, err
		}
		correct = 0
		for lo := 0; lo < n; lo += cfg.BatchSize {
			batch := order[lo:min(lo+cfg.BatchSize, n)]
			correct += step(ds, batch, workers, grads)
			eta := cfg.LearningRate / float32(len(batch))
			for pi, p := range ps {
				for i := range p.w {
					var g float32
					for s := 0; s < shards; s++ {
						g = g + grads[s][pi][i]
					}
					p.w[i] = p.w[i] - float32(eta*g)
				}
			}
		}
	}
	model, err := export(nt, pre, shape, ds.Classes(), cfg)
	if err != nil {
		return nil, Record{}, err
	}
	m, err := runtime.LoadModel(model, runtime.DefaultLimits())
	if err != nil {
		return nil, Record{}, fmt.Errorf("exported model does not load: %w", err)
	}
	dh, wr := ds.SHA256(), m.Weights().Root()
	step, err := m.RefereeStep()
	if err != nil {
		return nil, Record{}, err
	}
	rec := Record{
		Config: cfg, DatasetSHA256: hex.EncodeToString(dh[:]), Examples: n,
		TrainAccuracy: float64(correct) / float64(n),
		WeightsRoot:   hex.EncodeToString(wr[:]), ModelSHA256: m.SHA256Hex(),
		RefereeStepBytes: step.Bytes, RefereeStepFLOPs: step.FLOPs,
	}
	return model, rec, nil
}

// step computes one batch's gradient: the batch is cut into `shards`
// contiguous parts, each summed in example order by its own goroutine into
// its own buffers (zeroed first). It returns the number of correct
// predictions made before the update.
func step(ds *bench.Benchmark, batch []int, workers []worker, grads [][][]float32) int {
	var wg sync.WaitGroup
	counts := make([]int, shards)
	per := (len(batch) + shards - 1) / shards
	for s := 0; s < shards; s++ {
		for _, g := range grads[s] {
			clear(g)
		}
		lo, hi := min(s*per, len(batch)), min((s+1)*per, len(batch))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, idx := range batch[lo:hi] {
				x, label := ds.Item(idx)
				if workers[s].accumulate(x.F, label, grads[s]) {
					counts[s]++
				}
			}
		}()
	}
	wg.Wait()
	return counts[0] + counts[1] + counts[2] + counts[3]
}
