package llm

import "github.com/delphi-network/delphi/runtime"

// The training kernels: the forward pass over one sequence with every
// activation kept, and its exact backward pass. float32 throughout, every
// product wrapped (no FMA), every sum in one fixed order, so a gradient is
// the same bits on every machine. The forward orders are the graph's, so a
// trained model's training-time logits are its evaluation-time logits.

// mm is y = x·W for x [n, in], W [in, out]: y[i][j] sums k ascending.
func mm(x, w []float32, n, in, out int) []float32 {
	y := make([]float32, n*out)
	for i := 0; i < n; i++ {
		yi := y[i*out : (i+1)*out]
		for k := 0; k < in; k++ {
			xik := x[i*in+k]
			wk := w[k*out : (k+1)*out]
			for j := range yi {
				yi[j] = yi[j] + float32(xik*wk[j])
			}
		}
	}
	return y
}

// mmBackX is dx = dy·Wᵀ: dx[i][k] sums j ascending.
func mmBackX(dy, w []float32, n, in, out int) []float32 {
	dx := make([]float32, n*in)
	for i := 0; i < n; i++ {
		dyi := dy[i*out : (i+1)*out]
		for k := 0; k < in; k++ {
			wk := w[k*out : (k+1)*out]
			var acc float32
			for j, d := range dyi {
				acc = acc + float32(d*wk[j])
			}
			dx[i*in+k] = acc
		}
	}
	return dx
}

// mmBackW adds xᵀ·dy into gw: gw[k][j] gains terms i ascending.
func mmBackW(x, dy, gw []float32, n, in, out int) {
	for i := 0; i < n; i++ {
		dyi := dy[i*out : (i+1)*out]
		for k := 0; k < in; k++ {
			xik := x[i*in+k]
			gk := gw[k*out : (k+1)*out]
			for j, d := range dyi {
				gk[j] = gk[j] + float32(xik*d)
			}
		}
	}
}

// rmsRows normalises each row (the RMSNormalization order) and returns the
// rows' 1/rms.
func rmsRows(x, g []float32, n, d int, eps float32) (y, inv []float32) {
	y, inv = make([]float32, n*d), make([]float32, n)
	for i := 0; i < n; i++ {
		xs := x[i*d : (i+1)*d]
		var q float32
		for _, v := range xs {
			q = q + float32(v*v)
		}
		inv[i] = 1 / runtime.Sqrt(q/float32(d)+eps)
		for j, v := range xs {
			y[i*d+j] = float32(float32(v*inv[i]) * g[j])
		}
	}
	return y, inv
}

// rmsBack returns dx for y = x·inv·g and adds dg:
// dx_j = inv·(dy_j·g_j) − x_j·inv³/d · Σ_k dy_k·g_k·x_k.
func rmsBack(x, g, inv, dy, dg []float32, n, d int) []float32 {
	dx := make([]float32, n*d)
	for i := 0; i < n; i++ {
		xs, dys, r := x[i*d:(i+1)*d], dy[i*d:(i+1)*d], inv[i]
		var dot float32
		for j, v := range xs {
			dg[j] = dg[j] + float32(dys[j]*float32(v*r))
			dot = dot + float32(float32(dys[j]*g[j])*v)
		}
		c := float32(float32(float32(r*r)*r)*dot) / float32(d)
		for j, v := range xs {
			dx[i*d+j] = float32(r*float32(dys[j]*g[j])) - float32(v*c)
		}
	}
	return dx
}

// ropeRows rotates every head of every row at its position; sign −1 applies
// the inverse rotation (the backward pass).
func ropeRows(x, cosT, sinT []float32, n, heads, hd int, sign float32) {
	half := hd / 2
	for t := 0; t < n; t++ {
		c, s := cosT[t*half:(t+1)*half], sinT[t*half:(t+1)*half]
		for h := 0; h < heads; h++ {
			v := x[(t*heads+h)*hd : (t*heads+h+1)*hd]
			for i := 0; i < half; i++ {
				sn := float32(sign * s[i])
				x1, x2 := v[2*i], v[2*i+1]
				v[2*i] = float32(x1*c[i]) - float32(x2*sn)
				v[2*i+1] = float32(x2*c[i]) + float32(x1*sn)
			}
		}
	}
}

type layerAct struct {
	xIn, h1, inv1, q, k, v, p, a, xMid, h2, inv2, gate, sig, up, m []float32
}

// seqGrad runs one sequence (tokens[:T] predicting tokens[1:]), adds its
// gradients (scaled by `scale`) into g, and returns the summed loss in nats
// and the number of correct argmax predictions.
func seqGrad(w *Weights, cosT, sinT []float32, tokens []int, g map[string][]float32, scale float32) (float64, int) {
	cfg := w.Config
	T, D, H, hd, F, V := len(tokens)-1, cfg.Dim, cfg.Heads, cfg.HeadDim(), cfg.Hidden, cfg.Vocab
	KVD, group := cfg.KVDim(), cfg.Heads/cfg.KV()
	W := func(n string) []float32 { return w.Tensors[n].F }
	names := layerNames(cfg)
	x := make([]float32, T*D)
	emb := W("token_embd.weight")
	for t := 0; t < T; t++ {
		copy(x[t*D:(t+1)*D], emb[tokens[t]*D:(tokens[t]+1)*D])
	}
	att := 1 / runtime.Sqrt(float32(hd))
	acts := make([]layerAct, cfg.Layers)
	for l := range acts {
		n, a := names[l], &acts[l]
		a.xIn = append([]float32(nil), x...)
		a.h1, a.inv1 = rmsRows(x, W(n.attnNorm), T, D, cfg.NormEps)
		a.q, a.k, a.v = mm(a.h1, W(n.q), T, D, D), mm(a.h1, W(n.k), T, D, KVD), mm(a.h1, W(n.v), T, D, KVD)
		ropeRows(a.q, cosT, sinT, T, H, hd, 1)
		ropeRows(a.k, cosT, sinT, T, cfg.KV(), hd, 1)
		a.p = make([]float32, H*T*T)
		a.a = make([]float32, T*D)
		for h := 0; h < H; h++ {
			kv := (h / group) * hd
			for t := 0; t < T; t++ {
				row := a.p[(h*T+t)*T : (h*T+t)*T+t+1]
				for j := range row {
					var acc float32
					for d := 0; d < hd; d++ {
						acc = acc + float32(a.q[t*D+h*hd+d]*a.k[j*KVD+kv+d])
					}
					row[j] = float32(acc*att) + 0
				}
				softmax(row)
				for d := 0; d < hd; d++ {
					var acc float32
					for j, pj := range row {
						acc = acc + float32(pj*a.v[j*KVD+kv+d])
					}
					a.a[t*D+h*hd+d] = acc
				}
			}
		}
		o := mm(a.a, W(n.o), T, D, D)
		for i := range x {
			x[i] = x[i] + o[i]
		}
		a.xMid = append([]float32(nil), x...)
		a.h2, a.inv2 = rmsRows(x, W(n.ffnNorm), T, D, cfg.NormEps)
		a.gate, a.up = mm(a.h2, W(n.gate), T, D, F), mm(a.h2, W(n.up), T, D, F)
		a.sig, a.m = make([]float32, T*F), make([]float32, T*F)
		for i, gv := range a.gate {
			a.sig[i] = runtime.Sigmoid(gv)
			a.m[i] = float32(float32(gv*a.sig[i]) * a.up[i])
		}
		d := mm(a.m, W(n.down), T, F, D)
		for i := range x {
			x[i] = x[i] + d[i]
		}
	}
	hN, invN := rmsRows(x, W("output_norm.weight"), T, D, cfg.NormEps)
	logits := mm(hN, W("output.weight"), T, D, V)
	var loss float64
	correct := 0
	for t := 0; t < T; t++ {
		row := logits[t*V : (t+1)*V]
		if Argmax(row) == tokens[t+1] {
			correct++
		}
		softmax(row) // row now holds the probabilities
		loss -= float64(runtime.Log(row[tokens[t+1]]))
		row[tokens[t+1]] = row[tokens[t+1]] - 1
		for j := range row {
			row[j] = float32(row[j] * scale)
		}
	}
	// Backward.
	mmBackW(hN, logits, g["output.weight"], T, D, V)
	dx := rmsBack(x, W("output_norm.weight"), invN, mmBackX(logits, W("output.weight"), T, D, V), g["output_norm.weight"], T, D)
	for l := cfg.Layers - 1; l >= 0; l-- {
		n, a := names[l], &acts[l]
		mmBackW(a.m, dx, g[n.down], T, F, D)
		dm := mmBackX(dx, W(n.down), T, F, D)
		dgate, dup := make([]float32, T*F), make([]float32, T*F)
		for i, dmi := range dm {
			s := float32(a.gate[i] * a.sig[i])
			dup[i] = float32(dmi * s)
			ds := float32(dmi * a.up[i])
			// d/dg g·σ(g) = σ(g)·(1 + g·(1 − σ(g)))
			dgate[i] = float32(ds * float32(a.sig[i]*(1+float32(a.gate[i]*(1-a.sig[i])))))
		}
		mmBackW(a.h2, dgate, g[n.gate], T, D, F)
		mmBackW(a.h2, dup, g[n.up], T, D, F)
		dh2 := mmBackX(dgate, W(n.gate), T, D, F)
		du := mmBackX(dup, W(n.up), T, D, F)
		for i := range dh2 {
			dh2[i] = dh2[i] + du[i]
		}
		dmid := rmsBack(a.xMid, W(n.ffnNorm), a.inv2, dh2, g[n.ffnNorm], T, D)
		for i := range dx {
			dx[i] = dx[i] + dmid[i]
		}
		mmBackW(a.a, dx, g[n.o], T, D, D)
		da := mmBackX(dx, W(n.o), T, D, D)
		dq, dk, dv := make([]float32, T*D), make([]float32, T*KVD), make([]float32, T*KVD)
		dp := make([]float32, T)
		for h := 0; h < H; h++ {
			kv := (h / group) * hd
			for t := 0; t < T; t++ {
				row := a.p[(h*T+t)*T : (h*T+t)*T+t+1]
				dat := da[t*D+h*hd : t*D+(h+1)*hd]
				var sum float32
				for j, pj := range row {
					var acc float32
					for d, dd := range dat {
						acc = acc + float32(dd*a.v[j*KVD+kv+d])
						dv[j*KVD+kv+d] = dv[j*KVD+kv+d] + float32(pj*dd)
					}
					dp[j] = acc
					sum = sum + float32(pj*acc)
				}
				for j, pj := range row {
					ds := float32(float32(pj*(dp[j]-sum)) * att)
					for d := 0; d < hd; d++ {
						dq[t*D+h*hd+d] = dq[t*D+h*hd+d] + float32(ds*a.k[j*KVD+kv+d])
						dk[j*KVD+kv+d] = dk[j*KVD+kv+d] + float32(ds*a.q[t*D+h*hd+d])
					}
				}
			}
		}
		ropeRows(dq, cosT, sinT, T, H, hd, -1)
		ropeRows(dk, cosT, sinT, T, cfg.KV(), hd, -1)
		mmBackW(a.h1, dq, g[n.q], T, D, D)
		mmBackW(a.h1, dk, g[n.k], T, D, KVD)
		mmBackW(a.h1, dv, g[n.v], T, D, KVD)
		dh1 := mmBackX(dq, W(n.q), T, D, D)
		for _, part := range [][]float32{mmBackX(dk, W(n.k), T, D, KVD), mmBackX(dv, W(n.v), T, D, KVD)} {
			for i := range dh1 {
				dh1[i] = dh1[i] + part[i]
			}
		}
		din := rmsBack(a.xIn, W(n.attnNorm), a.inv1, dh1, g[n.attnNorm], T, D)
		for i := range dx {
			dx[i] = dx[i] + din[i]
		}
	}
	ge := g["token_embd.weight"]
	for t := 0; t < T; t++ {
		row := ge[tokens[t]*D : (tokens[t]+1)*D]
		for j := range row {
			row[j] = row[j] + dx[t*D+j]
		}
	}
	return loss, correct
}

type layerNameSet struct{ attnNorm, q, k, v, o, ffnNorm, gate, up, down string }

func layerNames(cfg Config) []layerNameSet {
	out := make([]layerNameSet, cfg.Layers)
	for l := range out {
		p := "blk." + itoa(l) + "."
		out[l] = layerNameSet{p + "attn_norm.weight", p + "attn_q.weight", p + "attn_k.weight", p + "attn_v.weight",
			p + "attn_output.weight", p + "ffn_norm.weight", p + "ffn_gate.weight", p + "ffn_up.weight", p + "ffn_down.weight"}
	}
	return out
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
