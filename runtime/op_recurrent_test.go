package runtime

import (
	"math"
	"strings"
	"testing"
)

// recurrentRef is ONNX's definition in float64 (layout 0), for one
// direction d stepping forward or backward over each row's length.
func recurrentRef(G int, X, W, R, B []float32, lens []int64, h0 []float32, S, Bt, I, H, D int, rev []bool, lbr, clip float64) ([]float64, []float64) {
	sig := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	cl := func(v float64) float64 {
		if clip > 0 {
			return math.Max(-clip, math.Min(clip, v))
		}
		return v
	}
	Y := make([]float64, S*D*Bt*H)
	Yh := make([]float64, D*Bt*H)
	for d := 0; d < D; d++ {
		for b := 0; b < Bt; b++ {
			h := make([]float64, H)
			c := make([]float64, H)
			if h0 != nil {
				for j := range h {
					h[j] = float64(h0[(d*Bt+b)*H+j])
				}
			}
			L := S
			if lens != nil {
				L = int(lens[b])
			}
			for s := 0; s < L; s++ {
				t := s
				if rev[d] {
					t = L - 1 - s
				}
				pre := make([]float64, G*H)
				rterm := make([]float64, G*H)
				for u := 0; u < G*H; u++ {
					for k := 0; k < I; k++ {
						pre[u] += float64(X[(t*Bt+b)*I+k]) * float64(W[(d*G*H+u)*I+k])
					}
					for k := 0; k < H; k++ {
						rterm[u] += h[k] * float64(R[(d*G*H+u)*H+k])
					}
					if B != nil {
						pre[u] += float64(B[d*2*G*H+u])
						rterm[u] += float64(B[d*2*G*H+G*H+u])
					}
				}
				switch G {
				case 1:
					for j := range h {
						h[j] = math.Tanh(cl(pre[j] + rterm[j]))
					}
				case 3:
					z, r, nh := make([]float64, H), make([]float64, H), make([]float64, H)
					for j := 0; j < H; j++ {
						z[j], r[j] = sig(cl(pre[j]+rterm[j])), sig(cl(pre[H+j]+rterm[H+j]))
					}
					for j := 0; j < H; j++ {
						u := 2*H + j
						if lbr == 1 {
							nh[j] = math.Tanh(cl(pre[u] + r[j]*rterm[u]))
						} else {
							acc := 0.0
							for k := 0; k < H; k++ {
								acc += r[k] * h[k] * float64(R[(d*G*H+u)*H+k])
							}
							if B != nil {
								acc += float64(B[d*2*G*H+G*H+u])
							}
							nh[j] = math.Tanh(cl(pre[u] + acc))
						}
					}
					for j := range h {
						h[j] = (1-z[j])*nh[j] + z[j]*h[j]
					}
				case 4:
					for j := 0; j < H; j++ {
						i := sig(cl(pre[j] + rterm[j]))
						o := sig(cl(pre[H+j] + rterm[H+j]))
						f := sig(cl(pre[2*H+j] + rterm[2*H+j]))
						g := math.Tanh(cl(pre[3*H+j] + rterm[3*H+j]))
						c[j] = f*c[j] + i*g
						h[j] = o * math.Tanh(c[j])
					}
				}
				for j := range h {
					Y[((t*D+d)*Bt+b)*H+j] = h[j]
				}
			}
			copy(Yh[(d*Bt+b)*H:], h)
		}
	}
	return Y, Yh
}

// TestRecurrentMatchesDefinition: RNN, GRU (both reset forms) and LSTM,
// forward, reverse and bidirectional, with bias, initial state, short
// sequences and clip, against float64, and 1 and 3 workers bit-equal.
func TestRecurrentMatchesDefinition(t *testing.T) {
	const S, Bt, I, H = 5, 3, 4, 3
	for _, op := range []struct {
		name string
		G    int
	}{{"RNN", 1}, {"GRU", 3}, {"LSTM", 4}} {
		for _, dir := range []string{"forward", "reverse", "bidirectional"} {
			for _, lbr := range []int64{0, 1} {
				if lbr == 1 && op.G != 3 {
					continue
				}
				D := 1
				rev := []bool{dir == "reverse"}
				if dir == "bidirectional" {
					D, rev = 2, []bool{false, true}
				}
				X := randT(31, S, Bt, I)
				W, R, B := randT(32, D, op.G*H, I), randT(33, D, op.G*H, H), randT(34, D, 2*op.G*H)
				h0 := randT(35, D, Bt, H)
				lens, _ := FromTyped(Int32, []int{Bt}, []int64{5, 2, 4})
				attrs := map[string]Attr{"hidden_size": intA(H), "direction": str(dir), "clip": {Kind: AttrFloat, F: 2.5}}
				if op.G == 3 {
					attrs["linear_before_reset"] = intA(lbr)
				}
				var outs [2]*Tensor
				for i, workers := range []int{1, 3} {
					n := node(op.name, attrs, "Y", "Yh")
					n.Opset = 14
					n.Inputs = []string{"X", "W", "R", "B", "lens", "h0"}
					g := &Graph{Initializers: map[string]*Tensor{"W": W, "R": R, "B": B, "lens": lens, "h0": h0}, Opset: 14,
						Inputs: []ValueInfo{{Name: "X", DType: Float32, Shape: X.Shape}}, Nodes: []*Node{n}, Outputs: []string{"Y", "Yh"}}
					p, err := Compile(g, DefaultLimits())
					if err != nil {
						t.Fatalf("%s %s: %v", op.name, dir, err)
					}
					res, err := p.Run([]*Tensor{X}, workers, nil)
					if err != nil {
						t.Fatalf("%s %s: %v", op.name, dir, err)
					}
					outs[i] = res[0]
					if i == 0 {
						y, yh := recurrentRef(op.G, X.F, W.F, R.F, B.F, lens.I, h0.F, S, Bt, I, H, D, rev, float64(lbr), 2.5)
						for k, want := range append(y, yh...) {
							got := res[0].F
							if k >= len(y) {
								got, k = res[1].F, k-len(y)
							}
							if math.Abs(float64(got[k])-want) > 1e-5 {
								t.Fatalf("%s %s lbr=%d: element %d is %v, want %v", op.name, dir, lbr, k, got[k], want)
							}
						}
					}
				}
				if OutputHash(outs[0]) != OutputHash(outs[1]) {
					t.Fatalf("%s %s: 1 and 3 workers differ", op.name, dir)
				}
			}
		}
	}
	x := randT(1, 2, 1, 3)
	for name, c := range map[string]struct {
		attrs map[string]Attr
		ins   []*Tensor
	}{
		"W shape":    {map[string]Attr{"hidden_size": intA(2)}, []*Tensor{x, randT(2, 1, 2, 4), randT(3, 1, 2, 2)}},
		"activation": {map[string]Attr{"activations": {Kind: AttrStrings, Strings: []string{"Gelu"}}}, []*Tensor{x, randT(2, 1, 2, 3), randT(3, 1, 2, 2)}},
		"direction":  {map[string]Attr{"direction": str("sideways")}, []*Tensor{x, randT(2, 1, 2, 3), randT(3, 1, 2, 2)}},
	} {
		if _, err := runOp(t, node("RNN", c.attrs), c.ins, 1); err == nil || !strings.Contains(err.Error(), "RNN") {
			t.Errorf("%s: %v, want a refusal naming RNN", name, err)
		}
	}
}
