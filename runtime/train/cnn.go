package train

// cnn: Mul(1/255) -> Conv(16 filters 5x5, stride 2, pad 2, bias) -> Relu ->
// MaxPool(2x2, stride 2) -> Flatten -> Gemm(784 -> 10).
//
// The forward pass follows the runtime's Conv order (kh then kw ascending
// over in-bounds taps, then + bias) and MaxPool rule (first strictly greater
// tap wins), so training predictions equal runtime predictions.
const (
	cnnChannels = 16
	cnnConv     = 14 // conv output side: (28 + 4 - 5)/2 + 1
	cnnPool     = 7
	cnnFlat     = cnnChannels * cnnPool * cnnPool
)

type cnn struct{ K, kb, W, b *param }

func newCNN() *cnn {
	return &cnn{
		K:  &param{"K", []int{cnnChannels, 1, 5, 5}, make([]float32, cnnChannels*25)},
		kb: &param{"Kb", []int{cnnChannels}, make([]float32, cnnChannels)},
		W:  &param{"W", []int{10, cnnFlat}, make([]float32, 10*cnnFlat)},
		b:  &param{"b", []int{10}, make([]float32, 10)},
	}
}

func (n *cnn) params() []*param { return []*param{n.K, n.kb, n.W, n.b} }

func (n *cnn) nodes() []node {
	return []node{
		{op: "Mul", in: []string{"input", "scale"}, out: []string{"x"}},
		{op: "Conv", in: []string{"x", "K", "Kb"}, out: []string{"c"},
			ints: map[string][]int64{"kernel_shape": {5, 5}, "strides": {2, 2}, "pads": {2, 2, 2, 2}}},
		{op: "Relu", in: []string{"c"}, out: []string{"r"}},
		{op: "MaxPool", in: []string{"r"}, out: []string{"p"},
			ints: map[string][]int64{"kernel_shape": {2, 2}, "strides": {2, 2}}},
		{op: "Flatten", in: []string{"p"}, out: []string{"f"}},
		{op: "Gemm", in: []string{"f", "W", "b"}, out: []string{"logits"}, int1: map[string]int64{"transB": 1}},
	}
}

type cnnWorker struct {
	n        *cnn
	x, r     []float32 // scaled input, relu(conv) [16,14,14]
	p, dp, z []float32 // pooled [784], its gradient, logits
	arg      []int32   // index into r of each pooled max
}

func (n *cnn) worker() worker {
	return &cnnWorker{n: n, x: make([]float32, pixels), r: make([]float32, cnnChannels*cnnConv*cnnConv),
		p: make([]float32, cnnFlat), dp: make([]float32, cnnFlat), z: make([]float32, 10), arg: make([]int32, cnnFlat)}
}

// tap reports the input index of output (oh, ow) at kernel tap (kh, kw),
// or -1 in the padding.
func tap(oh, ow, kh, kw int) int {
	ih, iw := oh*2-2+kh, ow*2-2+kw
	if ih < 0 || ih >= 28 || iw < 0 || iw >= 28 {
		return -1
	}
	return ih*28 + iw
}

func (w *cnnWorker) accumulate(img []float32, label int, g [][]float32) bool {
	n := w.n
	scaleInput(img, w.x) // the cnn always reads images: prep is the 1/255 scale
	for m := 0; m < cnnChannels; m++ {
		k := n.K.w[m*25 : (m+1)*25]
		for oh := 0; oh < cnnConv; oh++ {
			for ow := 0; ow < cnnConv; ow++ {
				var acc float32
				for kh := 0; kh < 5; kh++ {
					for kw := 0; kw < 5; kw++ {
						if i := tap(oh, ow, kh, kw); i >= 0 {
							acc = acc + float32(w.x[i]*k[kh*5+kw])
						}
					}
				}
				acc = acc + n.kb.w[m]
				if acc <= 0 {
					acc = 0
				}
				w.r[(m*cnnConv+oh)*cnnConv+ow] = acc
			}
		}
		for ph := 0; ph < cnnPool; ph++ {
			for pw := 0; pw < cnnPool; pw++ {
				best := int32((m*cnnConv+2*ph)*cnnConv + 2*pw)
				for a := 0; a < 2; a++ {
					for b := 0; b < 2; b++ {
						i := int32((m*cnnConv+2*ph+a)*cnnConv + 2*pw + b)
						if w.r[i] > w.r[best] {
							best = i
						}
					}
				}
				j := (m*cnnPool+ph)*cnnPool + pw
				w.arg[j], w.p[j] = best, w.r[best]
			}
		}
	}
	dense(n.W.w, n.b.w, w.p, w.z)
	ok := softmaxGrad(w.z, label)
	denseBack(n.W.w, w.p, w.z, g[2], g[3], w.dp)
	gK, gkb := g[0], g[1]
	for j, d := range w.dp {
		i := int(w.arg[j])
		if d == 0 || w.r[i] <= 0 { // relu gate
			continue
		}
		m, rem := i/(cnnConv*cnnConv), i%(cnnConv*cnnConv)
		oh, ow := rem/cnnConv, rem%cnnConv
		for kh := 0; kh < 5; kh++ {
			for kw := 0; kw < 5; kw++ {
				if t := tap(oh, ow, kh, kw); t >= 0 {
					gK[m*25+kh*5+kw] = gK[m*25+kh*5+kw] + float32(d*w.x[t])
				}
			}
		}
		gkb[m] = gkb[m] + d
	}
	return ok
}
