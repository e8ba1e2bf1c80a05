package llm

import (
	"fmt"
	"math"

	"github.com/delphi-network/delphi/runtime"
)

// Graph builds the runtime graph of the model over a window of T tokens:
// input "tokens" int64 [1, T], output "logits" float32 [1, T, vocab].
// Row t of the logits predicts token t+1 from tokens 0..t (a causal mask),
// so one run scores a whole window. Every operator output is a trace leaf.
//
//	x = Gather(token_embd, tokens)
//	per layer: h = RMSNorm(x)·attn_norm; q, k, v = h·Wq, h·Wk, h·Wv
//	           (+ bq, bk, bv: qwen2); per head q, k = RMSNorm·q_norm, k_norm (qwen3)
//	           q, k = RotaryEmbedding per head (interleaved: llama; halves: qwen)
//	           a = Softmax(q·kᵀ · 1/√d + causal mask)·v;  x = x + a·Wo
//	           h = RMSNorm(x)·ffn_norm;  x = x + (SiLU(h·Wg) ⊙ h·Wu)·Wd
//	logits = RMSNorm(x)·output_norm · Wout
func Graph(w *Weights, T int) (*runtime.Graph, error) {
	cfg := w.Config
	if T < 1 || T > cfg.Context {
		return nil, fmt.Errorf("window %d outside [1, context %d]", T, cfg.Context)
	}
	// The attention mask and scores are T×T per head: bound them before
	// anything is allocated (the runtime's limits apply only at Compile).
	if lim := runtime.DefaultLimits(); int64(T)*int64(T)*int64(cfg.Heads) > lim.MaxTensorElements {
		return nil, fmt.Errorf("a window of %d tokens over %d heads exceeds the runtime's tensor limit", T, cfg.Heads)
	}
	b := &builder{g: &runtime.Graph{Initializers: map[string]*runtime.Tensor{}, Opset: 23}}
	for name, t := range w.Tensors {
		b.g.Initializers[name] = t
	}
	H, hd, KVH := cfg.Heads, cfg.HeadDim(), cfg.KV()
	cosT, sinT := ropeTables(cfg.Context, hd, cfg.RopeTheta, cfg.RopeFreqs)
	b.init("rope.cos", cosT)
	b.init("rope.sin", sinT)
	pos := make([]int64, T)
	for i := range pos {
		pos[i] = int64(i)
	}
	b.initInts("rope.positions", []int{1, T}, pos)
	mask := runtime.NewTensor(T, T)
	for i := 0; i < T; i++ {
		for j := i + 1; j < T; j++ {
			mask.F[i*T+j] = float32(math.Inf(-1))
		}
	}
	b.init("attn.mask", mask)
	scale := runtime.NewTensor()
	scale.F[0] = 1 / runtime.Sqrt(float32(hd))
	b.init("attn.scale", scale)
	b.initInts("shape.heads", []int{4}, []int64{1, int64(T), int64(H), int64(hd)})
	b.initInts("shape.kvheads", []int{4}, []int64{1, int64(T), int64(KVH), int64(hd)})
	if KVH != H { // grouped-query attention: query head h reads key/value head h / (H/KVH)
		kvOf := make([]int64, H)
		for h := range kvOf {
			kvOf[h] = int64(h / (H / KVH))
		}
		b.initInts("attn.kv_of_head", []int{H}, kvOf)
	}
	b.initInts("shape.model", []int{3}, []int64{1, int64(T), int64(cfg.QDim())})
	interleaved := int64(1)
	if cfg.NeoX() {
		interleaved = 0
	}

	b.g.Inputs = []runtime.ValueInfo{{Name: "tokens", DType: runtime.Int64, Shape: []int{1, T}}}
	x := b.op("Gather", "embed", nil, "token_embd.weight", "tokens")
	for l := 0; l < cfg.Layers; l++ {
		p := fmt.Sprintf("blk.%d.", l)
		h := b.op("RMSNormalization", p+"attn_norm", map[string]runtime.Attr{"epsilon": {Kind: runtime.AttrFloat, F: cfg.NormEps}}, x, p+"attn_norm.weight")
		heads := func(name, weight string, rope, kv bool) string {
			shape := "shape.heads"
			if kv {
				shape = "shape.kvheads"
			}
			v := b.op("MatMul", p+name, nil, h, p+weight+".weight")
			if cfg.QKVBias() {
				v = b.op("Add", p+name+".bias", nil, v, p+weight+".bias")
			}
			v = b.op("Reshape", p+name+".split", nil, v, shape)
			if rope && cfg.QKNorm() {
				v = b.op("RMSNormalization", p+name+".norm", map[string]runtime.Attr{"epsilon": {Kind: runtime.AttrFloat, F: cfg.NormEps}}, v, p+weight+"_norm.weight")
			}
			v = b.op("Transpose", p+name+".heads", map[string]runtime.Attr{"perm": ints(0, 2, 1, 3)}, v)
			if rope {
				v = b.op("RotaryEmbedding", p+name+".rope", map[string]runtime.Attr{"interleaved": {Kind: runtime.AttrInt, I: interleaved}},
					v, "rope.cos", "rope.sin", "rope.positions")
			}
			if kv && KVH != H {
				v = b.op("Gather", p+name+".share", map[string]runtime.Attr{"axis": {Kind: runtime.AttrInt, I: 1}}, v, "attn.kv_of_head")
			}
			return v
		}
		q, k, v := heads("q", "attn_q", true, false), heads("k", "attn_k", true, true), heads("v", "attn_v", false, true)
		kt := b.op("Transpose", p+"kT", map[string]runtime.Attr{"perm": ints(0, 1, 3, 2)}, k)
		s := b.op("MatMul", p+"scores", nil, q, kt)
		s = b.op("Mul", p+"scaled", nil, s, "attn.scale")
		s = b.op("Add", p+"masked", nil, s, "attn.mask")
		s = b.op("Softmax", p+"probs", map[string]runtime.Attr{"axis": {Kind: runtime.AttrInt, I: -1}}, s)
		a := b.op("MatMul", p+"attend", nil, s, v)
		a = b.op("Transpose", p+"merge", map[string]runtime.Attr{"perm": ints(0, 2, 1, 3)}, a)
		a = b.op("Reshape", p+"concat", nil, a, "shape.model")
		a = b.op("MatMul", p+"attn_out", nil, a, p+"attn_output.weight")
		x = b.op("Add", p+"attn_residual", nil, x, a)
		h = b.op("RMSNormalization", p+"ffn_norm", map[string]runtime.Attr{"epsilon": {Kind: runtime.AttrFloat, F: cfg.NormEps}}, x, p+"ffn_norm.weight")
		gate := b.op("MatMul", p+"gate", nil, h, p+"ffn_gate.weight")
		sig := b.op("Sigmoid", p+"gate_sigmoid", nil, gate)
		gate = b.op("Mul", p+"silu", nil, gate, sig)
		up := b.op("MatMul", p+"up", nil, h, p+"ffn_up.weight")
		f := b.op("Mul", p+"swiglu", nil, gate, up)
		f = b.op("MatMul", p+"down", nil, f, p+"ffn_down.weight")
		x = b.op("Add", p+"ffn_residual", nil, x, f)
	}
	x = b.op("RMSNormalization", "output_norm", map[string]runtime.Attr{"epsilon": {Kind: runtime.AttrFloat, F: cfg.NormEps}}, x, "output_norm.weight")
	logits := b.op("MatMul", "logits", nil, x, "output.weight")
	b.g.Outputs = []string{logits}
	return b.g, nil
}

type builder struct{ g *runtime.Graph }

func (b *builder) init(name string, t *runtime.Tensor) { b.g.Initializers[name] = t }

func (b *builder) initInts(name string, shape []int, v []int64) {
	t, err := runtime.FromInts(shape, v)
	if err != nil {
		panic(err) // shapes are built here, never from input
	}
	b.g.Initializers[name] = t
}

// op appends a node whose single output is named after the node.
func (b *builder) op(op, name string, attrs map[string]runtime.Attr, inputs ...string) string {
	if attrs == nil {
		attrs = map[string]runtime.Attr{}
	}
	b.g.Nodes = append(b.g.Nodes, &runtime.Node{Name: name, OpType: op, Inputs: inputs, Outputs: []string{name}, Attrs: attrs, Opset: 23})
	return name
}

func ints(v ...int64) runtime.Attr { return runtime.Attr{Kind: runtime.AttrInts, Ints: v} }
