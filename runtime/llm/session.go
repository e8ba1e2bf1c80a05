package llm

import (
	"fmt"
	"math"

	"github.com/delphi-network/delphi/runtime"
)

// Session runs the model one token at a time with a key/value cache. It
// follows the graph's canonical orders exactly, so the logits at position
// t equal row t of Graph's logits bit for bit (masked attention terms are
// exact zeros there, and adding zeros changes no sum); the tests hold it to
// that. It is the fast path for generation; Graph is what traces.
type Session struct {
	w        *Weights
	cfg      Config
	cos, sin *runtime.Tensor
	v        [][]float32 // per layer: positions × KVDim
	kT       [][]float32 // per layer: the keys transposed, (head, d) × kcap
	kcap     int         // positions kT has room for (grows by doubling)
	pos      int
	workers  int // goroutines for the matrix products (SetWorkers)
	layers   []sessionLayer
	output   sessionMat
	offs     map[[2]int][]int32 // SeqOffsets tables by (terms, step)
}

// sessionLayer is one block's weights, looked up once per session rather
// than by name for every token.
type sessionLayer struct {
	q, k, v, o, gate, up, down sessionMat
	attnNorm, ffnNorm          []float32
	qBias, kBias, vBias        []float32
	qNorm, kNorm               []float32
}

// SetWorkers lets the session's matrix products use up to n goroutines
// (1, the default, runs them inline). The logits do not depend on it.
func (s *Session) SetWorkers(n int) *Session {
	s.workers = max(1, n)
	return s
}

// NewSession starts an empty cache.
func NewSession(w *Weights) *Session {
	cfg := w.Config
	c, s := ropeTables(cfg.Context, cfg.HeadDim(), cfg.RopeTheta, cfg.RopeFreqs)
	W := func(name string) []float32 {
		if t := w.Tensors[name]; t != nil {
			return t.F
		}
		return nil
	}
	layers := make([]sessionLayer, cfg.Layers)
	for l := range layers {
		pre := fmt.Sprintf("blk.%d.", l)
		layers[l] = sessionLayer{
			q: mat(w, pre+"attn_q.weight"), k: mat(w, pre+"attn_k.weight"), v: mat(w, pre+"attn_v.weight"),
			o: mat(w, pre+"attn_output.weight"), gate: mat(w, pre+"ffn_gate.weight"), up: mat(w, pre+"ffn_up.weight"),
			down:     mat(w, pre+"ffn_down.weight"),
			attnNorm: W(pre + "attn_norm.weight"), ffnNorm: W(pre + "ffn_norm.weight"),
			qBias: W(pre + "attn_q.bias"), kBias: W(pre + "attn_k.bias"), vBias: W(pre + "attn_v.bias"),
			qNorm: W(pre + "attn_q_norm.weight"), kNorm: W(pre + "attn_k_norm.weight"),
		}
	}
	return &Session{w: w, cfg: cfg, cos: c, sin: s, v: make([][]float32, cfg.Layers),
		kT: make([][]float32, cfg.Layers), workers: 1, layers: layers, output: mat(w, "output.weight"), offs: map[[2]int][]int32{}}
}

// seq is runtime.SeqOffsets(k, step), built once per session.
func (s *Session) seq(k, step int) []int32 {
	key := [2]int{k, step}
	o, ok := s.offs[key]
	if !ok {
		o = runtime.SeqOffsets(k, step)
		s.offs[key] = o
	}
	return o
}

// Pos is the number of tokens seen.
func (s *Session) Pos() int { return s.pos }

// Step feeds one token and returns the logits for the next one.
func (s *Session) Step(token int) ([]float32, error) {
	cfg := s.cfg
	if token < 0 || token >= cfg.Vocab {
		return nil, fmt.Errorf("token %d outside the vocabulary of %d", token, cfg.Vocab)
	}
	if s.pos >= cfg.Context {
		return nil, fmt.Errorf("the context of %d tokens is full", cfg.Context)
	}
	D, H, hd, KVD := cfg.Dim, cfg.Heads, cfg.HeadDim(), cfg.KVDim()
	group := H / cfg.KV()
	x := append([]float32(nil), s.w.Tensors["token_embd.weight"].F[token*D:(token+1)*D]...)
	scale := 1 / runtime.Sqrt(float32(hd))
	p := s.pos
	s.growKeys(p + 1)
	// the attention sums' tables: positions 0..p of the cache
	aoffs, voffs := s.seq(cfg.Context, 1)[:p+1], s.seq(cfg.Context, KVD)[:p+1]
	for l := range s.layers {
		L := &s.layers[l]
		h := rmsNorm(x, L.attnNorm, cfg.NormEps)
		q := s.matVec(h, L.q, cfg.QDim())
		k := s.matVec(h, L.k, KVD)
		v := s.matVec(h, L.v, KVD)
		if cfg.QKVBias() {
			addInto(q, L.qBias)
			addInto(k, L.kBias)
			addInto(v, L.vBias)
		}
		for hh := 0; hh < H; hh++ {
			if cfg.QKNorm() {
				copy(q[hh*hd:(hh+1)*hd], rmsNorm(q[hh*hd:(hh+1)*hd], L.qNorm, cfg.NormEps))
			}
			s.rope(q[hh*hd:(hh+1)*hd], p)
		}
		for hh := 0; hh < cfg.KV(); hh++ {
			if cfg.QKNorm() {
				copy(k[hh*hd:(hh+1)*hd], rmsNorm(k[hh*hd:(hh+1)*hd], L.kNorm, cfg.NormEps))
			}
			s.rope(k[hh*hd:(hh+1)*hd], p)
		}
		s.v[l] = append(s.v[l], v...)
		for i, kd := range k {
			s.kT[l][i*s.kcap+p] = kd
		}
		a := make([]float32, cfg.QDim())
		probs := make([]float32, p+1)
		for hh := 0; hh < H; hh++ {
			qh := q[hh*hd : (hh+1)*hd]
			kv := (hh / group) * hd
			s.scores(probs, qh, s.kT[l][kv*s.kcap:], scale)
			softmax(probs)
			// a[d] = Σ_j probs[j]·v[j][d], j ascending (MatMul's order)
			runtime.GemmAcc(1, hd, a[hh*hd:(hh+1)*hd], hd, probs, 0, aoffs, s.v[l][kv:], voffs)
		}
		o := s.matVec(a, L.o, D)
		for i := range x {
			x[i] = x[i] + o[i]
		}
		h = rmsNorm(x, L.ffnNorm, cfg.NormEps)
		gate := s.matVec(h, L.gate, cfg.Hidden)
		up := s.matVec(h, L.up, cfg.Hidden)
		sig := make([]float32, len(gate))
		runtime.SigmoidRow(sig, gate)
		for i, g := range gate {
			gate[i] = float32(float32(g*sig[i]) * up[i])
		}
		down := s.matVec(gate, L.down, D)
		for i := range x {
			x[i] = x[i] + down[i]
		}
	}
	h := rmsNorm(x, s.w.Tensors["output_norm.weight"].F, cfg.NormEps)
	s.pos++
	return s.matVec(h, s.output, cfg.Vocab), nil
}

// growKeys makes room for n positions in the transposed key cache,
// doubling it (up to the context): the cache grows with the tokens seen,
// not with the context a file declares.
func (s *Session) growKeys(n int) {
	if n <= s.kcap {
		return
	}
	kcap := min(s.cfg.Context, max(16, 2*s.kcap, n))
	for l, old := range s.kT {
		nk := make([]float32, s.cfg.KVDim()*kcap)
		for r := range s.cfg.KVDim() {
			copy(nk[r*kcap:r*kcap+s.kcap], old[r*s.kcap:(r+1)*s.kcap])
		}
		s.kT[l] = nk
	}
	s.kcap = kcap
}

// scores sets probs[j] = float32((q·k_j)·scale) + 0 for the cached keys
// 0..p, each dot product in d order from +0 (the graph's MatMul; it adds
// the mask's +0 after scaling). keysT holds the head's keys transposed
// (d × Context), so the products run on the vector kernels with the keys
// across the lanes: one accumulator per key, its terms d ascending.
func (s *Session) scores(probs, q, keysT []float32, scale float32) {
	clear(probs)
	runtime.GemmAcc(1, len(probs), probs, len(probs), q, 0, s.seq(len(q), 1), keysT, s.seq(len(q), s.kcap))
	for j, a := range probs {
		probs[j] = float32(a*scale) + 0
	}
}

// rope rotates the pairs of one head's vector at position p, as the
// RotaryEmbedding operator does: adjacent pairs (interleaved = 1) for
// llama, halves (interleaved = 0) for the NeoX-style architectures.
func (s *Session) rope(x []float32, p int) {
	half := len(x) / 2
	c, sn := s.cos.F[p*half:(p+1)*half], s.sin.F[p*half:(p+1)*half]
	for i := 0; i < half; i++ {
		a, b := 2*i, 2*i+1
		if s.cfg.NeoX() {
			a, b = i, i+half
		}
		x1, x2 := x[a], x[b]
		x[a] = float32(x1*c[i]) - float32(x2*sn[i])
		x[b] = float32(x2*c[i]) + float32(x1*sn[i])
	}
}

// addInto adds b to a element by element, as the Add operator does.
func addInto(a, b []float32) {
	for i := range a {
		a[i] = a[i] + b[i]
	}
}

// matVec is y = x·W for W [len(x), out], in MatMul's order (the runtime's
// vector kernels), its columns split among the session's workers: over
// the Q8_0 blocks when the file stored W so, the same bits either way.
func (s *Session) matVec(x []float32, w sessionMat, out int) []float32 {
	y := make([]float32, out)
	if w.q8 != nil {
		runtime.MatVecQ8(s.workers, y, x, w.q8)
		return y
	}
	runtime.GemmAccWorkers(s.workers, 1, out, y, out, x, 0, s.seq(len(x), 1), w.f, s.seq(len(x), out))
	return y
}

// rmsNorm is the RMSNormalization operator's order.
func rmsNorm(x, scale []float32, eps float32) []float32 {
	var q float32
	for _, v := range x {
		q = q + float32(v*v)
	}
	inv := 1 / runtime.Sqrt(q/float32(len(x))+eps)
	y := make([]float32, len(x))
	for j, v := range x {
		y[j] = float32(float32(v*inv) * scale[j])
	}
	return y
}

// softmax in place, in the Softmax operator's order.
func softmax(x []float32) {
	m := float32(math.Inf(-1))
	for _, v := range x {
		if v > m || v != v {
			m = v
		}
	}
	runtime.ExpRow(x, x, m)
	var sum float32
	for _, t := range x {
		sum = sum + t
	}
	for j := range x {
		x[j] = x[j] / sum
	}
}

// Argmax returns the index of the largest logit, the lowest on ties (and
// NaN never wins): greedy decoding's choice.
func Argmax(logits []float32) int {
	best := -1
	for i, v := range logits {
		if v == v && (best < 0 || v > logits[best]) {
			best = i
		}
	}
	return max(best, 0) // all NaN: token 0
}

// Generate feeds the prompt, then decodes greedily until n tokens were
// produced, stop is produced (stop < 0: never), or the context is full.
func (s *Session) Generate(prompt []int, n, stop int) ([]int, error) {
	if len(prompt) == 0 {
		return nil, fmt.Errorf("empty prompt")
	}
	var logits []float32
	var err error
	for _, t := range prompt {
		if logits, err = s.Step(t); err != nil {
			return nil, err
		}
	}
	var out []int
	for len(out) < n {
		next := Argmax(logits)
		out = append(out, next)
		if next == stop || s.pos >= s.cfg.Context {
			break
		}
		if logits, err = s.Step(next); err != nil {
			return nil, err
		}
	}
	return out, nil
}
