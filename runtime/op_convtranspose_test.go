package runtime

import (
	"math"
	"strings"
	"testing"
)

// convTransposeRef is the definition in scatter form, in float64: every
// input element adds x·w to the outputs its kernel reaches.
func convTransposeRef(x, w *Tensor, bias []float32, G int, stride, dil, padBegin, out []int) []float64 {
	N, C := x.Shape[0], x.Shape[1]
	Mg := w.Shape[1]
	M, Cg := Mg*G, C/G
	r := len(out)
	y := make([]float64, N*M*numel(out))
	ws, ys := strides(w.Shape), strides(append([]int{N, M}, out...))
	k := w.Shape[2:]
	for e := range x.F {
		idx := make([]int, r+2)
		rest := e
		for d := r + 1; d >= 0; d-- {
			idx[d] = rest % x.Shape[d]
			rest /= x.Shape[d]
		}
		nn, c := idx[0], idx[1]
		g := c / Cg
		for mm := 0; mm < Mg; mm++ {
			for t := 0; t < numel(k); t++ {
				kk := make([]int, r)
				rt := t
				for d := r - 1; d >= 0; d-- {
					kk[d] = rt % k[d]
					rt /= k[d]
				}
				yOff, wOff, ok := nn*ys[0]+(g*Mg+mm)*ys[1], c*ws[0]+mm*ws[1], true
				for d := 0; d < r; d++ {
					o := idx[2+d]*stride[d] + kk[d]*dil[d] - padBegin[d]
					if o < 0 || o >= out[d] {
						ok = false
						break
					}
					yOff += o * ys[2+d]
					wOff += kk[d] * ws[2+d]
				}
				if ok {
					y[yOff] += float64(x.F[e]) * float64(w.F[wOff])
				}
			}
		}
	}
	if bias != nil {
		per := numel(out)
		for i := range y {
			y[i] += float64(bias[(i/per)%M])
		}
	}
	return y
}

// TestConvTransposeMatchesDefinition: 1-D, 2-D and 3-D, with groups,
// strides, dilations, pads and output padding, against the scatter-form
// definition in float64, and 1 and 3 workers bit-equal.
func TestConvTransposeMatchesDefinition(t *testing.T) {
	for _, c := range []struct {
		x, w                    []int
		G                       int
		stride, dil, pads, opad []int64
		wantOut                 []int
	}{
		{[]int{1, 2, 5}, []int{2, 3, 3}, 1, []int64{2}, []int64{1}, []int64{1, 0}, []int64{1}, []int{11}},
		{[]int{2, 4, 4, 3}, []int{4, 2, 3, 2}, 2, []int64{2, 1}, []int64{1, 2}, []int64{0, 1, 1, 0}, []int64{1, 0}, []int{9, 4}},
		{[]int{1, 1, 2, 3, 2}, []int{1, 2, 2, 2, 2}, 1, []int64{1, 2, 1}, []int64{1, 1, 2}, []int64{0, 0, 0, 0, 0, 0}, []int64{0, 1, 0}, []int{3, 7, 4}},
	} {
		x, w := randT(11, c.x...), randT(12, c.w...)
		b := randT(13, c.w[1]*c.G)
		n := node("ConvTranspose", map[string]Attr{"group": intA(int64(c.G)), "strides": ints(c.stride...), "dilations": ints(c.dil...),
			"pads": ints(c.pads...), "output_padding": ints(c.opad...)})
		y1, err := runOp(t, n, []*Tensor{x, w, b}, 1)
		if err != nil {
			t.Fatal(err)
		}
		n = node("ConvTranspose", n.Attrs)
		y3, err := runOp(t, n, []*Tensor{x, w, b}, 3)
		if err != nil {
			t.Fatal(err)
		}
		if string(y1.Bytes()) != string(y3.Bytes()) {
			t.Fatalf("%v: 1 and 3 workers differ", c.x)
		}
		if !sameShape(y1.Shape[2:], c.wantOut) {
			t.Fatalf("%v: output %v, want spatial %v", c.x, y1.Shape, c.wantOut)
		}
		r := len(c.wantOut)
		stride, dil, pb := make([]int, r), make([]int, r), make([]int, r)
		for d := 0; d < r; d++ {
			stride[d], dil[d], pb[d] = int(c.stride[d]), int(c.dil[d]), int(c.pads[d])
		}
		ref := convTransposeRef(x, w, b.F, c.G, stride, dil, pb, c.wantOut)
		for i, v := range ref {
			if math.Abs(float64(y1.F[i])-v) > 1e-5*(1+math.Abs(v)) {
				t.Fatalf("%v: element %d is %v, want %v", c.x, i, y1.F[i], v)
			}
		}
	}
	x, w := randT(1, 1, 2, 3, 3), randT(2, 2, 1, 2, 2)
	for name, attrs := range map[string]map[string]Attr{
		"output padding not below stride": {"output_padding": ints(1, 1)},
		"group not dividing":              {"group": intA(3)},
		"kernel_shape mismatch":           {"kernel_shape": ints(3, 3)},
		"auto_pad":                        {"auto_pad": str("SIDEWAYS")},
		"output_shape length":             {"output_shape": ints(5)},
		"huge output_shape":               {"output_shape": ints(1<<31, 4)},
	} {
		if _, err := runOp(t, node("ConvTranspose", attrs), []*Tensor{x, w}, 1); err == nil || !strings.Contains(err.Error(), "ConvTranspose") {
			t.Errorf("%s: %v, want a refusal naming the node", name, err)
		}
	}
}
