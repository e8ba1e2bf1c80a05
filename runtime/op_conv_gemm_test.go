package runtime

import (
	"math"
	"math/rand/v2"
	"testing"
)

// convReference is buildConv's documented order, one output at a time.
func convReference(X, W, B []float32, N, C, H, Wd, M, G, kH, kW int, wh, ww window) []float32 {
	Cg := C / G
	out := make([]float32, N*M*wh.out*ww.out)
	for nn := 0; nn < N; nn++ {
		for m := 0; m < M; m++ {
			g := m / (M / G)
			for oh := 0; oh < wh.out; oh++ {
				for ow := 0; ow < ww.out; ow++ {
					var acc float32
					for c := 0; c < Cg; c++ {
						for kh := 0; kh < kH; kh++ {
							for kw := 0; kw < kW; kw++ {
								ih := oh*wh.stride - wh.padBegin + kh*wh.dil
								iw := ow*ww.stride - ww.padBegin + kw*ww.dil
								if ih < 0 || ih >= H || iw < 0 || iw >= Wd {
									continue
								}
								acc = acc + float32(X[((nn*C+g*Cg+c)*H+ih)*Wd+iw]*W[((m*Cg+c)*kH+kh)*kW+kw])
							}
						}
					}
					if B != nil {
						acc = acc + B[m]
					}
					out[((nn*M+m)*wh.out+oh)*ww.out+ow] = acc
				}
			}
		}
	}
	return out
}

// TestConvVectorPathBitForBit: random convolutions — padding of every
// side, row and column strides (phase-split rows), dilations, groups, ragged widths, inputs holding zeros of
// both signs, infinities and NaN, and weights that are not finite (which
// take the scalar path) — give the documented order's bits at every kernel
// level and any worker count.
func TestConvVectorPathBitForBit(t *testing.T) {
	r := rand.New(rand.NewPCG(26, 3))
	specials := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), 1e-45, 3e38}
	val := func(wild bool) float32 {
		if wild && r.IntN(6) == 0 {
			return specials[r.IntN(len(specials))]
		}
		return float32(r.NormFloat64())
	}
	vectorRuns := 0
	for i := range 300 {
		G := 1 + r.IntN(3)
		N, C, M := 1+r.IntN(2), G*(1+r.IntN(3)), G*(1+r.IntN(6))
		kH, kW := 1+r.IntN(4), 1+r.IntN(4)
		H, Wd := kH+r.IntN(12), kW+r.IntN(40)
		sH, sW := 1+r.IntN(2), 1
		if i%5 == 4 {
			sW = 2 + r.IntN(2) // rows split into phases
		}
		dH, dW := 1+r.IntN(2), 1+r.IntN(2)
		pads := []int64{int64(r.IntN(3)), int64(r.IntN(3)), int64(r.IntN(3)), int64(r.IntN(3))}
		attrs := map[string]Attr{"pads": ints(pads...), "strides": ints(int64(sH), int64(sW)),
			"dilations": ints(int64(dH), int64(dW)), "group": {Kind: AttrInt, I: int64(G)}}
		n := &Node{Name: "c", OpType: "Conv", Attrs: attrs}
		xs, ws := []int{N, C, H, Wd}, []int{M, C / G, kH, kW}
		win, err := spatialWindows(n, xs[2:], ws[2:], false)
		if err != nil || win[0].out <= 0 || win[1].out <= 0 {
			continue
		}
		wild := i%4 == 3
		X, W, Bv := make([]float32, N*C*H*Wd), make([]float32, numel(ws)), make([]float32, M)
		for _, s := range [][]float32{X, W, Bv} {
			for j := range s {
				s[j] = val(wild)
			}
		}
		if i%7 != 6 { // most cases: finite weights, the vector path
			for j := range W {
				if math.IsInf(float64(W[j]), 0) || W[j] != W[j] {
					W[j] = 0.5
				}
			}
			vectorRuns++
		}
		var B []float32
		in := []TensorInfo{{DType: Float32, Shape: xs}, {DType: Float32, Shape: ws}}
		args := []*Tensor{{DType: Float32, Shape: xs, F: X}, {DType: Float32, Shape: ws, F: W}}
		if i%2 == 0 {
			B = Bv
			in = append(in, TensorInfo{DType: Float32, Shape: []int{M}})
			args = append(args, &Tensor{DType: Float32, Shape: []int{M}, F: B})
		}
		st, err := buildConv(n, in)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		want := convReference(X, W, B, N, C, H, Wd, M, G, kH, kW, win[0], win[1])
		for _, l := range levels() {
			for _, workers := range []int{1, 3} {
				withKernels(l, func() {
					got := st.run(args, workers)[0].F
					if at := firstDiff(got, want); at >= 0 {
						t.Fatalf("case %d (x %v w %v pads %v s %d,%d d %d,%d g %d) level %s workers %d: element %d = %v, documented order %v",
							i, xs, ws, pads, sH, sW, dH, dW, G, l, workers, at, got[at], want[at])
					}
				})
			}
		}
	}
	if vectorRuns < 150 {
		t.Fatalf("only %d cases took the vector path", vectorRuns)
	}
}
