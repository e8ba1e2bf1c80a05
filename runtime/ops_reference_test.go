package runtime

import (
	"math"
	"testing"
)

// specConv is the README's Conv reduction order written literally, one
// output element at a time. The production kernel must match it bit for bit;
// in float64 mode it is the high-precision reference.
func specConv(x, w *Tensor, b []float32, pad, stride, dil [2]int, group int, oh, ow int, f64 bool) ([]float32, []float64) {
	N, C, H, W := x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]
	M, Cg, kH, kW := w.Shape[0], w.Shape[1], w.Shape[2], w.Shape[3]
	out32 := make([]float32, N*M*oh*ow)
	out64 := make([]float64, N*M*oh*ow)
	_ = C
	for n := 0; n < N; n++ {
		for m := 0; m < M; m++ {
			g := m / (M / group)
			for i := 0; i < oh; i++ {
				for j := 0; j < ow; j++ {
					var acc float32
					var acc64 float64
					for c := 0; c < Cg; c++ {
						for a := 0; a < kH; a++ {
							for d := 0; d < kW; d++ {
								ih := i*stride[0] - pad[0] + a*dil[0]
								iw := j*stride[1] - pad[1] + d*dil[1]
								if ih < 0 || ih >= H || iw < 0 || iw >= W {
									continue
								}
								xv := x.F[((n*x.Shape[1]+g*Cg+c)*H+ih)*W+iw]
								wv := w.F[((m*Cg+c)*kH+a)*kW+d]
								acc = acc + float32(xv*wv)
								acc64 += float64(xv) * float64(wv)
							}
						}
					}
					if b != nil {
						acc = acc + b[m]
						acc64 += float64(b[m])
					}
					k := ((n*M+m)*oh+i)*ow + j
					out32[k], out64[k] = acc, acc64
				}
			}
		}
	}
	return out32, out64
}

func TestConvMatchesSpecAndFloat64(t *testing.T) {
	type cfg struct {
		n, c, h, w, m, k, group int
		pad, stride, dil        [2]int
	}
	cfgs := []cfg{
		{1, 1, 28, 28, 8, 5, 1, [2]int{2, 2}, [2]int{1, 1}, [2]int{1, 1}},
		{2, 8, 14, 14, 16, 5, 1, [2]int{2, 2}, [2]int{1, 1}, [2]int{1, 1}},
		{1, 6, 11, 9, 4, 3, 2, [2]int{1, 0}, [2]int{2, 3}, [2]int{2, 1}},
		{1, 4, 7, 7, 4, 3, 4, [2]int{0, 1}, [2]int{1, 2}, [2]int{1, 2}},
	}
	for ci, c := range cfgs {
		x := randT(uint64(ci)+10, c.n, c.c, c.h, c.w)
		w := randT(uint64(ci)+20, c.m, c.c/c.group, c.k, c.k)
		b := randT(uint64(ci)+30, c.m)
		node := &Node{Name: "conv", OpType: "Conv", Attrs: map[string]Attr{
			"pads":      ints(int64(c.pad[0]), int64(c.pad[1]), int64(c.pad[0]), int64(c.pad[1])),
			"strides":   ints(int64(c.stride[0]), int64(c.stride[1])),
			"dilations": ints(int64(c.dil[0]), int64(c.dil[1])),
			"group":     intA(int64(c.group)),
		}}
		var first *Tensor
		for _, workers := range []int{1, 2, 7} {
			got, err := runOp(t, node, []*Tensor{x, w, b}, workers)
			if err != nil {
				t.Fatal(err)
			}
			if first == nil {
				first = got
			}
			oh, ow := got.Shape[2], got.Shape[3]
			want32, want64 := specConv(x, w, b.F, c.pad, c.stride, c.dil, c.group, oh, ow, true)
			for i := range want32 {
				if math.Float32bits(got.F[i]) != math.Float32bits(want32[i]) {
					t.Fatalf("cfg %d workers %d: element %d = %v, spec order gives %v", ci, workers, i, got.F[i], want32[i])
				}
				if !near(float64(got.F[i]), want64[i], 1e-5) {
					t.Fatalf("cfg %d: element %d = %v, float64 reference %v", ci, i, got.F[i], want64[i])
				}
			}
		}
	}
}

func TestGemmMatchesSpecAndFloat64(t *testing.T) {
	for _, tb := range []int64{0, 1} {
		M, K, N := 7, 300, 33
		a := randT(1, M, K)
		var b *Tensor
		if tb == 1 {
			b = randT(2, N, K)
		} else {
			b = randT(2, K, N)
		}
		c := randT(3, N)
		node := &Node{Name: "gemm", OpType: "Gemm", Attrs: map[string]Attr{"transB": intA(tb), "alpha": {Kind: AttrFloat, F: 0.75}, "beta": {Kind: AttrFloat, F: 1.5}}}
		for _, workers := range []int{1, 3} {
			got, err := runOp(t, node, []*Tensor{a, b, c}, workers)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < M; i++ {
				for j := 0; j < N; j++ {
					var acc float32
					var acc64 float64
					for k := 0; k < K; k++ {
						bv := b.F[k*N+j]
						if tb == 1 {
							bv = b.F[j*K+k]
						}
						acc = acc + float32(a.F[i*K+k]*bv)
						acc64 += float64(a.F[i*K+k]) * float64(bv)
					}
					want := float32(0.75*acc) + float32(1.5*c.F[j])
					if got.F[i*N+j] != want {
						t.Fatalf("transB=%d (%d,%d) = %v, spec %v", tb, i, j, got.F[i*N+j], want)
					}
					if !near(float64(got.F[i*N+j]), 0.75*acc64+1.5*float64(c.F[j]), 1e-4) {
						t.Fatalf("transB=%d (%d,%d) far from float64", tb, i, j)
					}
				}
			}
		}
	}
}

// TestSoftmaxProperties: outputs are in [0,1], sum to 1 within float32
// rounding, are invariant to adding a constant (the max is subtracted), and
// LogSoftmax agrees with Log(Softmax).
func TestSoftmaxProperties(t *testing.T) {
	for seed := uint64(0); seed < 50; seed++ {
		x := randT(seed, 3, 17)
		for i := range x.F {
			x.F[i] *= 30
		}
		sm, err := runOp(t, &Node{OpType: "Softmax"}, []*Tensor{x}, 1)
		if err != nil {
			t.Fatal(err)
		}
		ls, err := runOp(t, &Node{OpType: "LogSoftmax"}, []*Tensor{x}, 1)
		if err != nil {
			t.Fatal(err)
		}
		for r := 0; r < 3; r++ {
			var sum, ref float64
			mx := math.Inf(-1)
			for j := 0; j < 17; j++ {
				mx = math.Max(mx, float64(x.F[r*17+j]))
			}
			for j := 0; j < 17; j++ {
				ref += math.Exp(float64(x.F[r*17+j]) - mx)
			}
			for j := 0; j < 17; j++ {
				v := sm.F[r*17+j]
				if v < 0 || v > 1 {
					t.Fatalf("softmax %v outside [0,1]", v)
				}
				sum += float64(v)
				want := math.Exp(float64(x.F[r*17+j])-mx) / ref
				if !near(float64(v), want, 1e-6) {
					t.Fatalf("softmax %v, float64 %v", v, want)
				}
				if !near(float64(ls.F[r*17+j]), math.Log(want), 1e-6) {
					t.Fatalf("logsoftmax %v, float64 %v", ls.F[r*17+j], math.Log(want))
				}
			}
			if math.Abs(sum-1) > 1e-5 {
				t.Fatalf("softmax row sums to %v", sum)
			}
		}
	}
}

// TestBroadcastProperty: Add over broadcast shapes equals Add over the
// explicitly expanded operands, for many shape pairs.
func TestBroadcastProperty(t *testing.T) {
	shapes := [][2][]int{
		{{2, 3, 4}, {4}}, {{2, 1, 4}, {3, 1}}, {{1}, {5, 2}}, {{3, 1, 1}, {1, 2, 5}}, {{}, {2, 2}},
	}
	for si, s := range shapes {
		a, b := randT(uint64(si), s[0]...), randT(uint64(si)+99, s[1]...)
		got, err := runOp(t, &Node{OpType: "Add"}, []*Tensor{a, b}, 1)
		if err != nil {
			t.Fatal(err)
		}
		st := strides(got.Shape)
		for o := range got.F {
			ia, ib := 0, 0
			for d := range got.Shape {
				idx := o / st[d] % got.Shape[d]
				if k := d - (len(got.Shape) - len(a.Shape)); k >= 0 && a.Shape[k] > 1 {
					ia += idx * strides(a.Shape)[k]
				}
				if k := d - (len(got.Shape) - len(b.Shape)); k >= 0 && b.Shape[k] > 1 {
					ib += idx * strides(b.Shape)[k]
				}
			}
			if got.F[o] != a.F[ia]+b.F[ib] {
				t.Fatalf("shapes %v+%v element %d", s[0], s[1], o)
			}
		}
	}
}
