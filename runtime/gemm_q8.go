package runtime

import (
	"fmt"
	"math"
)

// Q8Matrix is a K×N matrix of Q8_0 weights laid out for a matrix-vector
// product with the outputs across vector lanes: Q[t·N+j] is the quant of
// weight (t, j) and D[(t/32)·N+j] the scale of its block of 32 terms. The
// weight it stands for is float32(Q)·D, exactly (an 8-bit integer times a
// scale with binary16's 11-bit significand fits float32's 24 bits), which
// is the dequantized float a Q8_0 file's tensor holds. So MatVecQ8
// computes the same bits as the float product over the dequantized matrix
// — one accumulator per output, terms ascending, acc + float32(x·w) —
// while reading a quarter of the bytes: what makes generation, which
// reads every weight once per token, faster.
type Q8Matrix struct {
	K, N int
	Q    []int8
	D    []float32
}

// NewQ8Matrix checks a layout: K a positive multiple of 32, the slices
// their sizes, every scale finite (a non-finite scale makes dequantized
// NaNs, which the float path canonicalises: such a matrix stays float).
func NewQ8Matrix(k, n int, q []int8, d []float32) (*Q8Matrix, error) {
	m := &Q8Matrix{K: k, N: n, Q: q, D: d}
	if err := m.check(); err != nil {
		return nil, err
	}
	for _, s := range d {
		if math.IsInf(float64(s), 0) || s != s {
			return nil, fmt.Errorf("q8 matrix %d×%d: a scale is not finite", k, n)
		}
	}
	return m, nil
}

// check is the layout's arithmetic: what the tiles rely on before they
// read memory (the fields are exported, so MatVecQ8 checks again).
func (m *Q8Matrix) check() error {
	k, n := m.K, m.N
	if k <= 0 || k%32 != 0 || n <= 0 || k > math.MaxInt32 || n > math.MaxInt32 || k > math.MaxInt/n {
		return fmt.Errorf("q8 matrix %d×%d: want a positive multiple of 32 terms and some columns, k·n within int", k, n)
	}
	if len(m.Q) != k*n || len(m.D) != k/32*n {
		return fmt.Errorf("q8 matrix %d×%d: %d quants and %d scales, want %d and %d", k, n, len(m.Q), len(m.D), k*n, k/32*n)
	}
	return nil
}

// At is the weight (t, j) as a float, what the float path multiplies.
func (m *Q8Matrix) At(t, j int) float32 {
	return float32(float32(m.Q[t*m.N+j]) * m.D[t/32*m.N+j])
}

// MatVecQ8 adds x·W to y: y[j] = y[j] + Σ_t float32(x[t]·w[t][j]), t
// ascending, its columns split among up to workers goroutines.
func MatVecQ8(workers int, y, x []float32, m *Q8Matrix) {
	if err := m.check(); err != nil {
		panic(err.Error())
	}
	if len(x) != m.K || len(y) != m.N {
		panic(fmt.Sprintf("q8 product: x has %d terms and y %d outputs, the matrix is %d×%d", len(x), len(y), m.K, m.N))
	}
	const chunk = 128 // columns per unit: whole vector tiles
	units := (m.N + chunk - 1) / chunk
	parallelFor(workers, units, chunk*m.K, func(lo, hi int) {
		q8Columns(y, x, m, lo*chunk, min(hi*chunk, m.N))
	})
}

// q8Columns computes columns [j0, j1): the level's vector tiles as far as
// they reach (q8Vector), the last few columns in Go.
func q8Columns(y, x []float32, m *Q8Matrix, j0, j1 int) {
	q8Go(y, x, m, q8Vector(y, x, m, j0, j1), j1)
}

// q8Go is the portable tile: four columns at a time, each its own
// accumulator in the canonical order.
func q8Go(y, x []float32, m *Q8Matrix, j0, j1 int) {
	n := m.N
	j := j0
	for ; j+4 <= j1; j += 4 {
		s0, s1, s2, s3 := y[j], y[j+1], y[j+2], y[j+3]
		for t, xt := range x {
			q := m.Q[t*n+j : t*n+j+4]
			d := m.D[t/32*n+j : t/32*n+j+4]
			s0 = s0 + float32(xt*float32(float32(q[0])*d[0]))
			s1 = s1 + float32(xt*float32(float32(q[1])*d[1]))
			s2 = s2 + float32(xt*float32(float32(q[2])*d[2]))
			s3 = s3 + float32(xt*float32(float32(q[3])*d[3]))
		}
		y[j], y[j+1], y[j+2], y[j+3] = s0, s1, s2, s3
	}
	for ; j < j1; j++ {
		s := y[j]
		for t, xt := range x {
			s = s + float32(xt*m.At(t, j))
		}
		y[j] = s
	}
}
