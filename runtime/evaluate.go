package runtime

import (
	"encoding/hex"
	"fmt"
	"sync"
)

// Dataset is what Evaluate reads: labelled items in a fixed order. It is
// implemented by runtime/bench.Benchmark.
type Dataset interface {
	Name() string
	Len() int
	Item(i int) (*Tensor, int)
}

// EvalOptions control an evaluation run. None of them changes the result:
// Workers only changes how many items run at once.
type EvalOptions struct {
	Trace   bool // build the trace (output hashes, trace_root)
	Workers int  // concurrent items; <= 0 means DefaultWorkers()
}

// Result is one model's evaluation on a list of items. Correct and TraceRoot
// are the consensus values; Accuracy is for people.
type Result struct {
	ModelSHA256 string  `json:"model_sha256"`
	Benchmark   string  `json:"benchmark"`
	Items       int     `json:"items"`
	Correct     int     `json:"correct"`
	Accuracy    float64 `json:"accuracy"`
	TraceRoot   string  `json:"trace_root,omitempty"`
	Leaves      int     `json:"leaves"`
	// Trace holds every leaf when Trace was requested (for disputes).
	Trace *Trace `json:"-"`
}

// Evaluate runs the model on ds's items in the given order, counts correct
// predictions (argmax of the first output, lowest index on ties) and, with
// opts.Trace, commits to the operator leaves at the program's runtime
// version (every output at version 1, fused groups' outputs at 2) and to
// the scoring: leaves are ordered by position in items, then node in
// topological order, then output index, then the item's score leaves (score.go), so the last leaf
// commits to Correct. Items run concurrently, each single-threaded; results
// are merged in item order, so nothing depends on scheduling.
func (m *Model) Evaluate(ds Dataset, items []int, opts EvalOptions) (Result, error) {
	res := Result{ModelSHA256: m.SHA256Hex(), Benchmark: ds.Name(), Items: len(items)}
	for _, it := range items {
		if it < 0 || it >= ds.Len() {
			return res, fmt.Errorf("item %d outside benchmark %s [0,%d)", it, ds.Name(), ds.Len())
		}
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = DefaultWorkers()
	}
	ops, per := m.Program.LeavesPerItem(), m.LeavesPerItem()
	if _, err := m.logitsLeaf(); err != nil {
		return res, err
	}
	var hashes []Hash
	if opts.Trace {
		hashes = make([]Hash, len(items)*per)
	}
	label := make([]int, len(items))
	// Only each item's prediction is kept, not its output: a model's output
	// may be large, and items many.
	pred := make([]int64, len(items))
	errs := make([]error, len(items))
	var wg sync.WaitGroup
	next := make(chan int, len(items))
	for k := range items {
		next <- k
	}
	close(next)
	for w := 0; w < min(workers, max(len(items), 1)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				x, l := ds.Item(items[k])
				label[k] = l
				var observe func(int, *Tensor)
				if opts.Trace {
					base := k * per
					observe = func(l int, t *Tensor) {
						if h, ok := m.Program.ConstLeafHash(l); ok {
							hashes[base+l] = h
						} else {
							hashes[base+l] = OutputHash(t)
						}
					}
				}
				// The observer only hashes, and only the prediction is
				// kept: the item's buffers go to the next item.
				out, err := m.Program.RunRecycled([]*Tensor{x}, 1, observe)
				if err != nil {
					errs[k] = fmt.Errorf("item %d: %w", items[k], err)
					continue
				}
				pred[k] = Prediction(out[0])
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return res, err
		}
	}
	// The score leaves, in item order: each total reads the one before.
	var total int64
	for k := range items {
		s := Scores(pred[k], label[k], total)
		total = s[scoreTotal]
		if opts.Trace {
			for i, v := range s {
				hashes[k*per+ops+i] = OutputHash(ScoreTensor(v))
			}
		}
	}
	res.Correct = int(total)
	if len(items) > 0 {
		res.Accuracy = float64(res.Correct) / float64(len(items))
	}
	if opts.Trace {
		tr := &Trace{}
		for _, h := range hashes {
			tr.Append(h)
		}
		root := tr.Root()
		res.TraceRoot, res.Leaves, res.Trace = hex.EncodeToString(root[:]), tr.Len(), tr
	}
	return res, nil
}
