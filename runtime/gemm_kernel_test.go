package runtime

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// levels are the kernel levels this CPU can run, portable Go first.
func levels() []KernelLevel {
	out := []KernelLevel{KernelsGo}
	best := cpuKernels()
	switch best {
	case KernelsAVX512:
		out = append(out, KernelsAVX2, KernelsAVX512)
	case KernelsAVX2, KernelsNEON:
		out = append(out, best)
	}
	return out
}

// withKernels runs f with the level set, restoring the old one.
func withKernels(l KernelLevel, f func()) {
	old := setKernels(l)
	defer setKernels(old)
	f()
}

// gemmScalar is the canonical order written out one element at a time.
func gemmScalar(m, n int, c []float32, ldc int, a []float32, lda int, aoff []int32, b []float32, boff []int32) {
	for i := range m {
		for j := range n {
			s := c[i*ldc+j]
			for t := range aoff {
				s = s + float32(a[i*lda+int(aoff[t])]*b[int(boff[t])+j])
			}
			c[i*ldc+j] = s
		}
	}
}

// firstDiff compares float32 slices bit for bit, any NaN equal to any NaN
// (hashing canonicalises NaNs); it returns the first differing index or -1.
func firstDiff(x, y []float32) int {
	for i := range x {
		if math.IsNaN(float64(x[i])) && math.IsNaN(float64(y[i])) {
			continue
		}
		if math.Float32bits(x[i]) != math.Float32bits(y[i]) {
			return i
		}
	}
	return -1
}

// gemmCase is one random call of gemmAcc: shapes with ragged edges, gather
// tables in any order (as a convolution's), values from the given source.
type gemmCase struct {
	m, n, ldc, lda int
	a, b, c        []float32
	aoff, boff     []int32
}

func randGemmCase(r *rand.Rand, val func() float32) gemmCase {
	g := gemmCase{m: 1 + r.IntN(11), n: 1 + r.IntN(75)}
	k := 1 + r.IntN(40)
	g.ldc = g.n + r.IntN(3)
	g.lda = r.IntN(50)
	arow := 1 + r.IntN(60)
	g.a = make([]float32, (g.m-1)*g.lda+arow)
	g.b = make([]float32, g.n+r.IntN(200))
	g.c = make([]float32, (g.m-1)*g.ldc+g.n)
	for _, s := range [][]float32{g.a, g.b, g.c} {
		for i := range s {
			s[i] = val()
		}
	}
	g.aoff, g.boff = make([]int32, k), make([]int32, k)
	for t := range k {
		g.aoff[t] = int32(r.IntN(arow))
		g.boff[t] = int32(r.IntN(len(g.b) - g.n + 1))
	}
	return g
}

func (g gemmCase) run(f func(m, n int, c []float32, ldc int, a []float32, lda int, aoff []int32, b []float32, boff []int32)) []float32 {
	c := append([]float32(nil), g.c...)
	f(g.m, g.n, c, g.ldc, g.a, g.lda, g.aoff, g.b, g.boff)
	return c
}

// TestGemmKernelsBitForBit: every kernel level gives the scalar order's
// bits on random ragged shapes (tails not divisible by any lane count,
// 1–3 leftover rows), with ordinary values and with zeros of both signs,
// infinities, NaNs, subnormals and values whose products overflow.
func TestGemmKernelsBitForBit(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 26))
	specials := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()),
		1e-45, -1e-40, 3e38, -3e38, 1, -1}
	plain := func() float32 { return float32(r.NormFloat64()) }
	wild := func() float32 {
		if r.IntN(4) == 0 {
			return specials[r.IntN(len(specials))]
		}
		return float32(r.NormFloat64() * math.Pow(10, float64(r.IntN(20)-10)))
	}
	for i := range 600 {
		val := plain
		if i%3 == 2 {
			val = wild
		}
		g := randGemmCase(r, val)
		want := g.run(gemmScalar)
		for _, l := range levels() {
			withKernels(l, func() {
				got := g.run(gemmAcc)
				if at := firstDiff(got, want); at >= 0 {
					t.Fatalf("case %d (%d×%d, %d terms) level %s: element %d = %v, canonical order %v", i, g.m, g.n, len(g.aoff), l, at, got[at], want[at])
				}
				split := g.run(func(m, n int, c []float32, ldc int, a []float32, lda int, aoff []int32, b []float32, boff []int32) {
					GemmAccWorkers(3, m, n, c, ldc, a, lda, aoff, b, boff)
				})
				if at := firstDiff(split, want); at >= 0 {
					t.Fatalf("case %d level %s, columns split: element %d differs", i, l, at)
				}
			})
		}
	}
}

// TestGemmKernelsNearFloat64: on ordinary values the canonical order stays
// within float32 accumulation error of an exact (float64) sum.
func TestGemmKernelsNearFloat64(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 26))
	for range 100 {
		g := randGemmCase(r, func() float32 { return float32(r.Float64()*2 - 1) })
		for _, l := range levels() {
			withKernels(l, func() {
				got := g.run(gemmAcc)
				for i := range g.m {
					for j := range g.n {
						exact, mag := float64(g.c[i*g.ldc+j]), math.Abs(float64(g.c[i*g.ldc+j]))
						for t := range g.aoff {
							p := float64(g.a[i*g.lda+int(g.aoff[t])]) * float64(g.b[int(g.boff[t])+j])
							exact += p
							mag += math.Abs(p)
						}
						bound := float64(len(g.aoff)+1) * 0x1p-23 * mag
						if d := math.Abs(float64(got[i*g.ldc+j]) - exact); d > bound {
							t.Fatalf("level %s: (%d,%d) %v, float64 %v: error %g over bound %g", l, i, j, got[i*g.ldc+j], exact, d, bound)
						}
					}
				}
			})
		}
	}
}

// TestGemmAccRefusesOutOfRange: an offset outside its slice panics before
// any kernel reads memory (the assembly does not check bounds).
func TestGemmAccRefusesOutOfRange(t *testing.T) {
	a, b, c := make([]float32, 8), make([]float32, 20), make([]float32, 16)
	for _, tc := range []struct {
		name       string
		aoff, boff []int32
		m, n, ldc  int
	}{
		{"A offset past the end", []int32{8}, []int32{0}, 1, 16, 16},
		{"negative A offset", []int32{-1}, []int32{0}, 1, 16, 16},
		{"B row past the end", []int32{0}, []int32{5}, 1, 16, 16},
		{"negative B offset", []int32{0}, []int32{-4}, 1, 16, 16},
		{"output past the end", []int32{0}, []int32{0}, 2, 16, 16},
		{"tables of different lengths", []int32{0, 1}, []int32{0}, 1, 4, 4},
	} {
		for _, l := range levels() {
			withKernels(l, func() {
				func() {
					defer func() {
						if recover() == nil {
							t.Errorf("%s (%s): no panic", tc.name, l)
						}
					}()
					gemmAcc(tc.m, tc.n, c, tc.ldc, a, 4, tc.aoff, b, tc.boff)
				}()
			})
		}
	}
}

// FuzzGemmAcc: any shape and any tables the checks accept give the
// canonical order's bits at every level.
func FuzzGemmAcc(f *testing.F) {
	f.Add(uint8(3), uint8(17), uint8(5), uint64(1))
	f.Add(uint8(1), uint8(33), uint8(1), uint64(2))
	f.Fuzz(func(t *testing.T, m, n, k uint8, seed uint64) {
		r := rand.New(rand.NewPCG(seed, 1))
		g := randGemmCase(r, func() float32 { return float32(r.NormFloat64()) })
		g.m, g.n = 1+int(m)%9, 1+int(n)%70
		g.ldc = g.n
		g.c = make([]float32, g.m*g.n)
		g.b = make([]float32, g.n+int(k))
		g.a = make([]float32, (g.m-1)*g.lda+64)
		for i := range g.b {
			g.b[i] = float32(r.NormFloat64())
		}
		for i := range g.a {
			g.a[i] = float32(r.NormFloat64())
		}
		for t := range g.aoff {
			g.aoff[t] = int32(r.IntN(64))
			g.boff[t] = int32(r.IntN(int(k) + 1))
		}
		want := g.run(gemmScalar)
		for _, l := range levels() {
			withKernels(l, func() {
				if at := firstDiff(g.run(gemmAcc), want); at >= 0 {
					t.Fatal(fmt.Sprintf("level %s differs at %d", l, at))
				}
			})
		}
	})
}

// TestGemmPackedConstantB: Gemm with a constant transposed B (packed once
// at compile time) gives the bits of the same Gemm fed B at run time
// (packed per run) and of the scalar order, and a run on other data than
// the compiled constant packs that data, not the constant.
func TestGemmPackedConstantB(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 26))
	for _, s := range [][3]int{{1, 784, 128}, {3, 17, 9}, {6, 5, 40}} {
		M, K, N := s[0], s[1], s[2]
		a, bt := make([]float32, M*K), make([]float32, N*K)
		for i := range a {
			a[i] = float32(r.NormFloat64())
		}
		for i := range bt {
			bt[i] = float32(r.NormFloat64())
		}
		want := make([]float32, M*N)
		for i := range M {
			for j := range N {
				var acc float32
				for k := range K {
					acc = acc + float32(a[i*K+k]*bt[j*K+k])
				}
				want[i*N+j] = acc
			}
		}
		n := &Node{Name: "g", OpType: "Gemm", Attrs: map[string]Attr{"transB": intA(1)}}
		B := &Tensor{DType: Float32, Shape: []int{N, K}, F: bt}
		A := &Tensor{DType: Float32, Shape: []int{M, K}, F: a}
		constSt, err := buildGemm(n, []TensorInfo{{DType: Float32, Shape: A.Shape}, {DType: Float32, Shape: B.Shape, Const: B}})
		if err != nil {
			t.Fatal(err)
		}
		runSt, err := buildGemm(n, []TensorInfo{{DType: Float32, Shape: A.Shape}, {DType: Float32, Shape: B.Shape}})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range levels() {
			withKernels(l, func() {
				for name, st := range map[string]*step{"constant B": constSt, "run-time B": runSt} {
					if at := firstDiff(st.run([]*Tensor{A, B}, 1)[0].F, want); at >= 0 {
						t.Fatalf("%v %s level %s: element %d differs", s, name, l, at)
					}
				}
				// other data than the compiled constant: its own product
				other := &Tensor{DType: Float32, Shape: B.Shape, F: make([]float32, len(bt))}
				if got := constSt.run([]*Tensor{A, other}, 1)[0].F; firstDiff(got, make([]float32, M*N)) >= 0 {
					t.Fatalf("%v level %s: a zero B gave the constant's product", s, l)
				}
			})
		}
	}
}

// TestSeqOffsetsRefusesWrap: a table whose offsets pass int32 panics
// instead of wrapping to small in-range offsets.
func TestSeqOffsetsRefusesWrap(t *testing.T) {
	for _, c := range [][2]int{{3, 1<<32 + 1}, {2, 1 << 31}, {1 << 20, 1 << 12}, {2, -1}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("SeqOffsets(%d, %d) did not panic", c[0], c[1])
				}
			}()
			SeqOffsets(c[0], c[1])
		}()
	}
	if o := SeqOffsets(3, 1<<29); o[2] != 1<<30 {
		t.Fatalf("SeqOffsets(3, 2^29) = %v", o)
	}
}
