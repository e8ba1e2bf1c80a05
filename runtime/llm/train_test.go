package llm

import (
	"math"
	"testing"

	"github.com/delphi-network/delphi/runtime"
)

func corpus(n, vocab int) []int {
	// A learnable stream: mostly t+1 mod vocab, with a period-7 twist.
	out := make([]int, n)
	for i := range out {
		out[i] = (i + i/7) % vocab
	}
	return out
}

// The training forward pass is the evaluation forward pass: the loss it
// reports equals the loss computed from the session's logits, bit for bit.
func TestTrainingForwardMatchesSession(t *testing.T) {
	w, _ := Init(tiny, 3)
	toks := []int{4, 9, 9, 1, 30, 2, 7}
	c, s := ropeTables(tiny.Context, tiny.HeadDim(), tiny.RopeTheta, nil)
	loss, _ := seqGrad(w, c.F, s.F, toks, zeros(w), 1)
	sess := NewSession(w)
	var want float64
	for i := 0; i+1 < len(toks); i++ {
		row, _ := sess.Step(toks[i])
		softmax(row)
		want -= float64(runtime.Log(row[toks[i+1]]))
	}
	if loss != want {
		t.Fatalf("training loss %v, session loss %v", loss, want)
	}
}

// Analytic gradients against central differences of the loss.
func TestGradientsMatchFiniteDifferences(t *testing.T) {
	gqa := tiny
	gqa.Heads, gqa.KVHeads = 4, 1
	for _, cfg := range []Config{tiny, gqa} {
		gradientsMatch(t, cfg)
	}
}

func gradientsMatch(t *testing.T, cfg Config) {
	cfg.Vocab, cfg.Context = 12, 6
	w, _ := Init(cfg, 5)
	toks := []int{1, 5, 11, 0, 3, 7}
	c, s := ropeTables(cfg.Context, cfg.HeadDim(), cfg.RopeTheta, nil)
	g := zeros(w)
	seqGrad(w, c.F, s.F, toks, g, 1)
	lossAt := func() float64 {
		l, _ := seqGrad(w, c.F, s.F, toks, zeros(w), 1)
		return l
	}
	checked := 0
	for _, name := range Names(cfg) {
		data := w.Tensors[name].F
		for _, j := range []int{0, len(data) / 3, len(data) - 1} {
			orig := data[j]
			const h = 1e-2
			data[j] = orig + h
			up := lossAt()
			data[j] = orig - h
			down := lossAt()
			data[j] = orig
			num := (up - down) / (2 * h)
			got := float64(g[name][j])
			if math.Abs(num) < 1e-3 && math.Abs(got) < 1e-3 {
				continue
			}
			if math.Abs(got-num) > 0.05*math.Abs(num)+2e-3 {
				t.Errorf("%s[%d]: analytic %.5f, numeric %.5f", name, j, got, num)
			}
			checked++
		}
	}
	if checked < 15 {
		t.Fatalf("only %d gradients were large enough to check", checked)
	}
}

func TestTrainingLearnsAndIsDeterministic(t *testing.T) {
	cfg := TrainConfig{Model: tiny, Seed: 1, Steps: 60, Batch: 4, Window: 10, LearningRate: 0.01, ClipNorm: 1}
	run := func(workers int) (*Trainer, []Step) {
		tr, err := NewTrainer(cfg, corpus(2000, tiny.Vocab))
		if err != nil {
			t.Fatal(err)
		}
		var steps []Step
		for i := 0; i < cfg.Steps; i++ {
			steps = append(steps, tr.Step(workers))
		}
		return tr, steps
	}
	a, steps := run(1)
	b, _ := run(3)
	if WeightsHash(a.Weights()) != WeightsHash(b.Weights()) {
		t.Fatal("training with 1 and 3 workers gives different weights")
	}
	first, last := steps[0], steps[len(steps)-1]
	if !(last.Loss < first.Loss*0.6) || last.Accuracy <= first.Accuracy {
		t.Fatalf("loss %.3f → %.3f, accuracy %.2f → %.2f: not learning", first.Loss, last.Loss, first.Accuracy, last.Accuracy)
	}
	other := cfg
	other.Seed = 2
	c, _ := NewTrainer(other, corpus(2000, tiny.Vocab))
	c.Step(1)
	if WeightsHash(c.Weights()) == WeightsHash(a.Weights()) {
		t.Fatal("another seed gave the same model")
	}
	if _, err := NewTrainer(cfg, []int{1, 2}); err == nil {
		t.Fatal("a corpus shorter than a window was accepted")
	}
	bad := corpus(100, tiny.Vocab)
	bad[50] = tiny.Vocab
	if _, err := NewTrainer(cfg, bad); err == nil {
		t.Fatal("a token outside the vocabulary was accepted")
	}
}
