package llm

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"sync"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/detrand"
)

// TrainConfig is everything that determines a trained language model,
// given its tokenized corpus.
type TrainConfig struct {
	Model        Config  `json:"model"`
	Seed         uint64  `json:"seed"`          // initial weights and window order
	Steps        int     `json:"steps"`         // optimizer steps
	Batch        int     `json:"batch"`         // windows per step (≤ 64: each holds a gradient buffer)
	Window       int     `json:"window"`        // tokens per window (≤ context)
	LearningRate float32 `json:"learning_rate"` // Adam step size
	ClipNorm     float32 `json:"clip_norm"`     // global gradient norm clip (0: none)
}

// Step reports one optimizer step.
type Step struct {
	Loss     float64 // mean nats per token over the batch
	Accuracy float64 // next-token argmax accuracy over the batch
}

// Trainer holds the model, Adam's moments and the corpus.
type Trainer struct {
	cfg      TrainConfig
	w        *Weights
	m, v     map[string][]float32
	tokens   []int
	rng      *detrand.Stream
	cos, sin []float32
	step     int
	b1p, b2p float32 // β1^t, β2^t
}

const (
	adamB1  = 0.9
	adamB2  = 0.99
	adamEps = 1e-8
)

// NewTrainer initialises the weights from the seed.
func NewTrainer(cfg TrainConfig, tokens []int) (*Trainer, error) {
	if cfg.Steps < 0 || cfg.Steps > 1<<24 || cfg.Batch < 1 || cfg.Batch > 64 || cfg.Window < 2 || cfg.Window > cfg.Model.Context ||
		!(cfg.LearningRate > 0) || cfg.ClipNorm < 0 {
		return nil, fmt.Errorf("invalid training config %+v", cfg)
	}
	if len(tokens) < cfg.Window+2 {
		return nil, fmt.Errorf("corpus of %d tokens is shorter than a window of %d", len(tokens), cfg.Window+1)
	}
	for i, t := range tokens {
		if t < 0 || t >= cfg.Model.Vocab {
			return nil, fmt.Errorf("corpus token %d at %d outside the vocabulary of %d", t, i, cfg.Model.Vocab)
		}
	}
	w, err := Init(cfg.Model, cfg.Seed)
	if err != nil {
		return nil, err
	}
	var sb [8]byte
	binary.BigEndian.PutUint64(sb[:], cfg.Seed)
	c, s := ropeTables(cfg.Model.Context, cfg.Model.HeadDim(), cfg.Model.RopeTheta, cfg.Model.RopeFreqs)
	tr := &Trainer{cfg: cfg, w: w, m: zeros(w), v: zeros(w), tokens: tokens,
		rng: detrand.New(append([]byte("delphi/llm/windows/"), sb[:]...)), cos: c.F, sin: s.F, b1p: 1, b2p: 1}
	return tr, nil
}

func zeros(w *Weights) map[string][]float32 {
	g := make(map[string][]float32, len(w.Tensors))
	for _, n := range Names(w.Config) {
		g[n] = make([]float32, len(w.Tensors[n].F))
	}
	return g
}

// Weights returns the current weights (shared, not copied).
func (tr *Trainer) Weights() *Weights { return tr.w }

// Step draws the batch's windows, computes every window's gradient
// concurrently into its own buffer, sums the buffers in window order (so
// the result is independent of the worker count and of scheduling), clips,
// and applies one Adam step.
func (tr *Trainer) Step(workers int) Step {
	cfg := tr.cfg
	span := uint64(len(tr.tokens) - cfg.Window - 1)
	windows := make([][]int, cfg.Batch)
	for i := range windows {
		start := int(tr.rng.Uintn(span + 1))
		windows[i] = tr.tokens[start : start+cfg.Window+1]
	}
	grads := make([]map[string][]float32, cfg.Batch)
	losses := make([]float64, cfg.Batch)
	correct := make([]int, cfg.Batch)
	scale := 1 / float32(cfg.Batch*cfg.Window)
	var wg sync.WaitGroup
	next := make(chan int)
	for k := 0; k < max(1, workers); k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				grads[i] = zeros(tr.w)
				losses[i], correct[i] = seqGrad(tr.w, tr.cos, tr.sin, windows[i], grads[i], scale)
			}
		}()
	}
	for i := range windows {
		next <- i
	}
	close(next)
	wg.Wait()
	names := Names(tr.w.Config)
	g := grads[0]
	for i := 1; i < cfg.Batch; i++ {
		for _, n := range names {
			dst, src := g[n], grads[i][n]
			for j := range dst {
				dst[j] = dst[j] + src[j]
			}
		}
	}
	clip := float32(1)
	if cfg.ClipNorm > 0 {
		var sq float64
		for _, n := range names {
			for _, x := range g[n] {
				sq = sq + float64(float64(x)*float64(x))
			}
		}
		if norm := math.Sqrt(sq); norm > float64(cfg.ClipNorm) {
			clip = float32(float64(cfg.ClipNorm) / norm)
		}
	}
	tr.step++
	tr.b1p = float32(tr.b1p * adamB1)
	tr.b2p = float32(tr.b2p * adamB2)
	c1, c2 := 1-tr.b1p, 1-tr.b2p
	lr := cfg.LearningRate
	for _, n := range names {
		wv, m, v := tr.w.Tensors[n].F, tr.m[n], tr.v[n]
		for j, gj := range g[n] {
			gj = float32(gj * clip)
			m[j] = float32(adamB1*m[j]) + float32((1-adamB1)*gj)
			v[j] = float32(adamB2*v[j]) + float32((1-adamB2)*float32(gj*gj))
			upd := (m[j] / c1) / (runtime.Sqrt(v[j]/c2) + adamEps)
			wv[j] = wv[j] - float32(lr*upd)
		}
	}
	var loss float64
	total := 0
	for i := range losses {
		loss += losses[i]
		total += correct[i]
	}
	n := float64(cfg.Batch * cfg.Window)
	return Step{Loss: loss / n, Accuracy: float64(total) / n}
}

// WeightsHash is the SHA-256 of every tensor's bytes in Names order: the
// fingerprint training records and cross-architecture checks compare.
func WeightsHash(w *Weights) string {
	h := sha256.New()
	for _, n := range Names(w.Config) {
		h.Write([]byte(n))
		h.Write(w.Tensors[n].Bytes())
	}
	return hex.EncodeToString(h.Sum(nil))
}
