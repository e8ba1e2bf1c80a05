package runtime

// RNN, GRU and LSTM (opset 7 on; layout from 14): forward, reverse or
// bidirectional, optional bias, sequence_lens, initial states and LSTM
// peepholes, clip, GRU's linear_before_reset, LSTM's input_forget, and the
// activations Sigmoid, Tanh, Relu, HardSigmoid, LeakyRelu, Elu, Softsign,
// Softplus (detmath's functions).
//
// The canonical order, float32 with every product rounded alone. At each
// step of a batch row, every gate unit u (gate g, unit j; W rows g·H+j)
// has the pre-activation
//
//	a = +0; a = a + float32(x_k·W[u,k]) for k ascending
//	r = +0; r = r + float32(h_k·R[u,k]) for k ascending   (h: the previous H)
//	pre = (a + r) + (Wb[u] + Rb[u])
//
// (GRU's candidate with linear_before_reset = 0 uses r⊙h for h; with 1 it
// is (a + float32(r_gate·(r + Rb))) + Wb), clipped to ±clip when given,
// then:
//
//	RNN:  H = f(pre)
//	GRU (z, r, h): z = f(pre_z), r = f(pre_r), h̃ = g(pre_h),
//	      H = float32((1 − z)·h̃) + float32(z·H)
//	LSTM (i, o, f, c): i = f(pre_i + float32(P_i·C)), f = f(pre_f + float32(P_f·C))
//	      (1 − i with input_forget), c̃ = g(pre_c), C = float32(f·C) + float32(i·c̃),
//	      o = f(pre_o + float32(P_o·C)), H = float32(o·h(C))
//
// A batch row with sequence length L runs steps 0..L−1 (reverse: L−1..0);
// Y is 0 beyond L; Y_h and Y_c are the state after the last step. Rows and
// directions are independent, so any number of workers gives the same bits.

func init() {
	register("RNN", recurrentBuilder(1))
	register("GRU", recurrentBuilder(3))
	register("LSTM", recurrentBuilder(4))
}

// activation is a recurrent net's gate function with its alpha and beta.
type activation func(float32) float32

func recurrentActivation(n *Node, name string, alpha, beta *[]float32) (activation, error) {
	take := func(list *[]float32, def float32) float32 {
		if len(*list) == 0 {
			return def
		}
		v := (*list)[0]
		*list = (*list)[1:]
		return v
	}
	switch name {
	case "Sigmoid":
		return Sigmoid, nil
	case "Tanh":
		return Tanh, nil
	case "Relu":
		return func(x float32) float32 { return max(x, 0) }, nil
	case "Softsign":
		return func(x float32) float32 { return x / float32(1+abs32(x)) }, nil
	case "Softplus":
		return Softplus, nil
	case "LeakyRelu":
		a := take(alpha, 0.01)
		return func(x float32) float32 {
			if x < 0 {
				return float32(a * x)
			}
			return x
		}, nil
	case "Elu":
		a := take(alpha, 1)
		return func(x float32) float32 {
			if x < 0 {
				return float32(a * float32(Exp(x)-1))
			}
			return x
		}, nil
	case "HardSigmoid":
		a, b := take(alpha, 0.2), take(beta, 0.5)
		return func(x float32) float32 { return min(1, max(0, float32(a*x)+b)) }, nil
	}
	return nil, n.errorf("activation %q is not supported", name)
}

// recurrentBuilder builds RNN (1 gate), GRU (3) or LSTM (4).
func recurrentBuilder(G int) builder {
	return func(n *Node, in []TensorInfo) (*step, error) {
		lstm, gru := G == 4, G == 3
		maxIn := 6
		if lstm {
			maxIn = 8
		}
		if err := wantInputs(n, in, 3, maxIn); err != nil {
			return nil, err
		}
		present := func(i int) bool { return i < len(in) && !in[i].absent() }
		for i := range in {
			if present(i) && i != 4 {
				if err := wantFloat(n, in, i); err != nil {
					return nil, err
				}
			}
		}
		layout, err := n.attrInt("layout", 0)
		if err != nil {
			return nil, err
		}
		if layout != 0 && (layout != 1 || n.Opset < 14) {
			return nil, n.errorf("layout %d (opset %d)", layout, n.Opset)
		}
		xs := in[0].Shape
		if len(xs) != 3 {
			return nil, n.errorf("X is %v: want rank 3", xs)
		}
		S, B, I := xs[0], xs[1], xs[2]
		if layout == 1 {
			S, B = xs[1], xs[0]
		}
		dir, err := n.attrString("direction", "forward")
		if err != nil {
			return nil, err
		}
		D := 1
		switch dir {
		case "forward", "reverse":
		case "bidirectional":
			D = 2
		default:
			return nil, n.errorf("direction %q", dir)
		}
		ws, rs := in[1].Shape, in[2].Shape
		if len(ws) != 3 || ws[0] != D || ws[1]%G != 0 || ws[2] != I {
			return nil, n.errorf("W is %v: want [%d, %d·hidden, %d]", ws, D, G, I)
		}
		H := ws[1] / G
		if hs, err := n.attrInt("hidden_size", int64(H)); err != nil {
			return nil, err
		} else if hs != int64(H) {
			return nil, n.errorf("hidden_size %d, W has %d", hs, H)
		}
		if !sameShape(rs, []int{D, G * H, H}) {
			return nil, n.errorf("R is %v: want [%d, %d, %d]", rs, D, G*H, H)
		}
		if present(3) && !sameShape(in[3].Shape, []int{D, 2 * G * H}) {
			return nil, n.errorf("B is %v: want [%d, %d]", in[3].Shape, D, 2*G*H)
		}
		if present(4) && (!indexType(in[4].DType) || !sameShape(in[4].Shape, []int{B})) {
			return nil, n.errorf("sequence_lens is %s %v: want int32 [%d]", in[4].DType, in[4].Shape, B)
		}
		state := []int{D, B, H}
		if layout == 1 {
			state = []int{B, D, H}
		}
		for _, i := range []int{5, 6} {
			if present(i) && !sameShape(in[i].Shape, state) {
				return nil, n.errorf("initial state %d is %v: want %v", i, in[i].Shape, state)
			}
		}
		if lstm && present(7) && !sameShape(in[7].Shape, []int{D, 3 * H}) {
			return nil, n.errorf("P is %v: want [%d, %d]", in[7].Shape, D, 3*H)
		}
		clip, err := n.attrFloat("clip", 0)
		if err != nil {
			return nil, err
		}
		if clip < 0 || clip != clip {
			return nil, n.errorf("clip %v", clip)
		}
		lbr, err := n.attrInt("linear_before_reset", 0)
		if err != nil {
			return nil, err
		}
		inputForget, err := n.attrInt("input_forget", 0)
		if err != nil {
			return nil, err
		}
		perDir := map[int]int{1: 1, 3: 2, 4: 3}[G]
		names := map[int][]string{1: {"Tanh"}, 3: {"Sigmoid", "Tanh"}, 4: {"Sigmoid", "Tanh", "Tanh"}}[G]
		if a, ok := n.Attrs["activations"]; ok {
			if a.Kind != AttrStrings || len(a.Strings) != perDir*D {
				return nil, n.errorf("activations: want %d names", perDir*D)
			}
			names = a.Strings
		} else if D == 2 {
			names = append(append([]string{}, names...), names...)
		}
		alpha, beta := attrFloatsOf(n, "activation_alpha"), attrFloatsOf(n, "activation_beta")
		acts := make([]activation, len(names))
		for i, name := range names {
			if acts[i], err = recurrentActivation(n, name, &alpha, &beta); err != nil {
				return nil, err
			}
		}
		outShapes := [][]int{{S, D, B, H}, state, state}
		if layout == 1 {
			outShapes[0] = []int{B, S, D, H}
		}
		nOut := len(n.Outputs)
		if nOut < 1 || nOut > 3 || (!lstm && nOut > 2) {
			return nil, n.errorf("has %d outputs", nOut)
		}
		outs := make([]TensorInfo, nOut)
		for i := range outs {
			outs[i] = TensorInfo{DType: Float32, Shape: outShapes[i]}
		}
		flops := 2 * i64(S) * i64(D) * i64(B) * i64(G*H) * i64(I+H+4)
		cfg := recurrent{G: G, S: S, B: B, I: I, H: H, D: D, layout: int(layout), reverse: dir == "reverse", acts: acts,
			perDir: perDir, clip: clip, lbr: lbr == 1, inputForget: inputForget == 1, lstm: lstm, gru: gru}
		return &step{outs: outs, flops: flops, run: func(x []*Tensor, workers int) []*Tensor {
			return cfg.run(x, nOut, outShapes, workers)
		}}, nil
	}
}

// attrFloatsOf is a floats attribute's values, copied (nil when absent).
func attrFloatsOf(n *Node, name string) []float32 {
	if a, ok := n.Attrs[name]; ok && a.Kind == AttrFloats {
		return append([]float32(nil), a.Floats...)
	}
	return nil
}

// recurrent is a compiled RNN, GRU or LSTM.
type recurrent struct {
	G, S, B, I, H, D, layout, perDir int
	reverse, lbr, inputForget        bool
	lstm, gru                        bool
	clip                             float32
	acts                             []activation
}

func (c *recurrent) run(x []*Tensor, nOut int, shapes [][]int, workers int) []*Tensor {
	at := func(i int) *Tensor {
		if i < len(x) {
			return x[i]
		}
		return nil
	}
	X, W, R, Bias, lens, h0, c0, P := x[0].F, x[1].F, x[2].F, at(3), at(4), at(5), at(6), at(7)
	G, S, B, I, H, D := c.G, c.S, c.B, c.I, c.H, c.D
	Y := make([]float32, S*D*B*H)
	Yh := make([]float32, D*B*H)
	Yc := make([]float32, D*B*H)
	// stateAt is the offset of (direction d, row b) in a state tensor.
	stateAt := func(d, b int) int {
		if c.layout == 1 {
			return (b*D + d) * H
		}
		return (d*B + b) * H
	}
	yAt := func(t, d, b int) int {
		if c.layout == 1 {
			return ((b*S+t)*D + d) * H
		}
		return ((t*D+d)*B + b) * H
	}
	xAt := func(t, b int) int {
		if c.layout == 1 {
			return (b*S + t) * I
		}
		return (t*B + b) * I
	}
	parallelFor(workers, D*B, S*G*H*(I+H), func(lo, hi int) {
		pre := make([]float32, G*H)
		hPrev := make([]float32, H)
		cPrev := make([]float32, H)
		rh := make([]float32, H)
		cands := make([]float32, H)
		for job := lo; job < hi; job++ {
			d, b := job/B, job%B
			act := c.acts[d*c.perDir : (d+1)*c.perDir]
			w, r := W[d*G*H*I:(d+1)*G*H*I], R[d*G*H*H:(d+1)*G*H*H]
			var wb, rb []float32 // Wb and Rb of this direction, or none
			if Bias != nil {
				wb, rb = Bias.F[d*2*G*H:d*2*G*H+G*H], Bias.F[d*2*G*H+G*H:(d+1)*2*G*H]
			}
			bias := func(u int) float32 {
				if wb == nil {
					return 0
				}
				return wb[u] + rb[u]
			}
			for j := range hPrev {
				hPrev[j], cPrev[j] = 0, 0
			}
			if h0 != nil {
				copy(hPrev, h0.F[stateAt(d, b):stateAt(d, b)+H])
			}
			if c0 != nil {
				copy(cPrev, c0.F[stateAt(d, b):stateAt(d, b)+H])
			}
			L := S
			if lens != nil {
				v := lens.I[b]
				if v < 0 || v > int64(S) {
					panic("sequence length out of range")
				}
				L = int(v)
			}
			for s := 0; s < L; s++ {
				t := s
				if c.reverse || d == 1 {
					t = L - 1 - s
				}
				xt := X[xAt(t, b) : xAt(t, b)+I]
				dot := func(row []float32, v []float32) float32 {
					var acc float32
					for k, e := range v {
						acc = acc + float32(e*row[k])
					}
					return acc
				}
				for u := 0; u < G*H; u++ {
					a := dot(w[u*I:(u+1)*I], xt)
					if c.gru && u >= 2*H { // the candidate: its recurrent term below
						pre[u] = a
						continue
					}
					rr := dot(r[u*H:(u+1)*H], hPrev)
					pre[u] = (a + rr) + bias(u)
				}
				clip := func(v float32) float32 {
					if c.clip > 0 {
						return min(max(v, -c.clip), c.clip)
					}
					return v
				}
				switch {
				case c.lstm:
					for j := 0; j < H; j++ {
						var pi, po, pf float32
						if P != nil {
							pp := P.F[d*3*H : (d+1)*3*H]
							pi, po, pf = pp[j], pp[H+j], pp[2*H+j]
						}
						ig := act[0](clip(pre[j] + float32(pi*cPrev[j])))
						fg := act[0](clip(pre[2*H+j] + float32(pf*cPrev[j])))
						if c.inputForget {
							fg = 1 - ig
						}
						cc := act[1](clip(pre[3*H+j]))
						cn := float32(fg*cPrev[j]) + float32(ig*cc)
						og := act[0](clip(pre[H+j] + float32(po*cn)))
						cPrev[j] = cn
						rh[j] = float32(og * act[2](cn))
					}
					copy(hPrev, rh)
				case c.gru:
					for j := 0; j < H; j++ {
						pre[j] = act[0](clip(pre[j]))     // z
						pre[H+j] = act[0](clip(pre[H+j])) // r
					}
					if !c.lbr {
						for k := 0; k < H; k++ {
							rh[k] = float32(pre[H+k] * hPrev[k])
						}
					}
					for j := 0; j < H; j++ {
						u := 2*H + j
						var cand float32
						if c.lbr {
							hr := dot(r[u*H:(u+1)*H], hPrev)
							var w0, r0 float32
							if wb != nil {
								w0, r0 = wb[u], rb[u]
							}
							cand = (pre[u] + float32(pre[H+j]*(hr+r0))) + w0
						} else {
							cand = (pre[u] + dot(r[u*H:(u+1)*H], rh)) + bias(u)
						}
						cands[j] = act[1](clip(cand))
					}
					for j := 0; j < H; j++ {
						z := pre[j]
						hPrev[j] = float32((1-z)*cands[j]) + float32(z*hPrev[j])
					}
				default:
					for j := 0; j < H; j++ {
						hPrev[j] = act[0](clip(pre[j]))
					}
				}
				copy(Y[yAt(t, d, b):yAt(t, d, b)+H], hPrev)
			}
			copy(Yh[stateAt(d, b):stateAt(d, b)+H], hPrev)
			copy(Yc[stateAt(d, b):stateAt(d, b)+H], cPrev)
		}
	})
	all := []*Tensor{{DType: Float32, Shape: shapes[0], F: Y}, {DType: Float32, Shape: shapes[1], F: Yh}, {DType: Float32, Shape: shapes[2], F: Yc}}
	return all[:nOut]
}
