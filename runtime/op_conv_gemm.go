package runtime

import "math"

// The vector path of Conv: the same terms in the same order as the
// reduction buildConv documents, computed by gemmAcc over a zero-padded copy
// of the input.
//
// Why padding changes no bit: the documented order skips a tap that falls
// in the padding; here it adds float32(+0 · w) instead. For a finite weight
// that product is ±0, and adding ±0 to an accumulator leaves it unchanged
// unless the accumulator is −0 — which it never is: it starts at +0, and a
// round-to-nearest sum is −0 only when both addends are −0. (A NaN
// accumulator stays NaN.) A weight that is ±Inf or NaN would turn a skipped
// tap into NaN, so a convolution whose weights are not all finite runs the
// scalar path instead.
//
// Rows of gemmAcc are a group's output channels (A = the weights, one row
// per channel), columns are outputs (B = padded input rows), terms the
// (channel, kh, kw) taps in order; strides of 1 let one call cover a whole
// output plane (runPlanes), else one output row.

// convGemm is a convolution's vector plan, fixed at compile time.
type convGemm struct {
	N, C, H, W, M, G, Cg, OH, OW int
	kH, kW, sH, sW, dH, dW       int
	padTop, padLeft              int
	Hp, Wp                       int     // the padded input plane
	Wq, pitch                    int     // a padded row split into sW phases of Wq, pitch sW·Wq
	aoff, boff                   []int32 // per (c, kh, kw) term
}

// newConvGemm plans the vector path, or returns nil where it does not apply
// (offsets beyond the int32 tables).
//
// A column stride sW > 1 would make each term's columns a strided read;
// the padded rows are stored split into sW phases instead (padded column
// q at phase q mod sW, position q div sW), where output column ow of tap
// kw is position ow + (kw·dW) div sW of phase (kw·dW) mod sW: contiguous
// again.
func newConvGemm(N, C, M, G int, wh, ww window, kH, kW int) *convGemm {
	if wh.out <= 0 || ww.out <= 0 {
		return nil
	}
	p := &convGemm{N: N, C: C, H: wh.in, W: ww.in, M: M, G: G, Cg: C / G, OH: wh.out, OW: ww.out,
		kH: kH, kW: kW, sH: wh.stride, sW: ww.stride, dH: wh.dil, dW: ww.dil, padTop: wh.padBegin, padLeft: ww.padBegin}
	p.Hp = (p.OH-1)*p.sH + (kH-1)*p.dH + 1
	p.Wp = (p.OW-1)*p.sW + (kW-1)*p.dW + 1
	p.Wq = (p.Wp + p.sW - 1) / p.sW
	p.pitch = p.sW * p.Wq
	if !offsetsFit(N*C*p.Hp*p.pitch) || !offsetsFit(M*p.Cg*kH*kW) {
		return nil
	}
	for c := 0; c < p.Cg; c++ {
		for kh := 0; kh < kH; kh++ {
			for kw := 0; kw < kW; kw++ {
				q := kw * p.dW
				p.aoff = append(p.aoff, int32((c*kH+kh)*kW+kw))
				p.boff = append(p.boff, int32((c*p.Hp+kh*p.dH)*p.pitch+q%p.sW*p.Wq+q/p.sW))
			}
		}
	}
	return p
}

// finite reports whether every weight is finite (see the file comment):
// no exponent field of all ones.
func finite(w []float32) bool {
	for _, v := range w {
		if math.Float32bits(v)&0x7f800000 == 0x7f800000 {
			return false
		}
	}
	return true
}

// pad copies X into zero-padded planes of Hp rows of pitch floats, each
// row split into its sW phases. The buffer comes from newFloats and goes
// back (recycleFloats) when the convolution is done: warm memory costs
// less to clear than fresh.
func (p *convGemm) pad(X []float32) []float32 {
	xp := newFloats(p.N * p.C * p.Hp * p.pitch)
	for plane := 0; plane < p.N*p.C; plane++ {
		src := X[plane*p.H*p.W : (plane+1)*p.H*p.W]
		dst := xp[plane*p.Hp*p.pitch : (plane+1)*p.Hp*p.pitch]
		for r := 0; r < p.Hp; r++ {
			ih := r - p.padTop
			if ih < 0 || ih >= p.H {
				continue
			}
			// padded column q holds input column q - padLeft
			q0, q1 := max(0, p.padLeft), min(p.Wp, p.W+p.padLeft)
			if q0 >= q1 {
				continue
			}
			row, in := dst[r*p.pitch:(r+1)*p.pitch], src[ih*p.W+q0-p.padLeft:]
			if p.sW == 1 {
				copy(row[q0:q1], in)
				continue
			}
			for q := q0; q < q1; q++ {
				row[q%p.sW*p.Wq+q/p.sW] = in[q-q0]
			}
		}
	}
	return xp
}

// run computes the convolution (without bias) into out, which is zeroed.
func (p *convGemm) run(X, W, out []float32, workers int) {
	xp := p.pad(X)
	defer recycleFloats(xp)
	if p.sH == 1 && p.sW == 1 {
		p.runPlanes(xp, W, out, workers)
		return
	}
	Mg, K := p.M/p.G, len(p.aoff)
	lda := p.Cg * p.kH * p.kW
	units := p.N * p.G * p.OH
	parallelFor(workers, units, Mg*p.OW*K, func(lo, hi int) {
		for u := lo; u < hi; u++ {
			oh := u % p.OH
			g := (u / p.OH) % p.G
			nn := u / (p.OH * p.G)
			m0 := g * Mg
			xBase := ((nn*p.C+g*p.Cg)*p.Hp + oh*p.sH) * p.pitch
			cBase := ((nn*p.M+m0)*p.OH + oh) * p.OW
			gemmAcc(Mg, p.OW, out[cBase:], p.OH*p.OW, W[m0*lda:], lda, p.aoff, xp[xBase:], p.boff)
		}
	})
}

// planeChunk is the columns one parallel unit of runPlanes takes.
const planeChunk = 256

// runPlanes is run for strides of 1 (pitch = Wp): output (oh, ow) reads the padded
// input at oh·Wp + ow plus the term's offset, so one gemmAcc covers a whole
// output plane as a row of (OH−1)·Wp + OW columns (the Wp − OW columns
// between output rows are computed and dropped). Wide rows keep every
// accumulator register busy where a single output row would be narrow.
func (p *convGemm) runPlanes(xp, W, out []float32, workers int) {
	Mg, K := p.M/p.G, len(p.aoff)
	lda := p.Cg * p.kH * p.kW
	cols := (p.OH-1)*p.Wp + p.OW
	wide := newFloats(p.N * p.M * cols)
	defer recycleFloats(wide)
	chunks := (cols + planeChunk - 1) / planeChunk
	parallelFor(workers, p.N*p.G*chunks, Mg*planeChunk*K, func(lo, hi int) {
		for u := lo; u < hi; u++ {
			j0 := u % chunks * planeChunk
			g := (u / chunks) % p.G
			nn := u / (chunks * p.G)
			m0 := g * Mg
			xBase := (nn*p.C+g*p.Cg)*p.Hp*p.Wp + j0
			cBase := (nn*p.M+m0)*cols + j0
			gemmAcc(Mg, min(planeChunk, cols-j0), wide[cBase:], cols, W[m0*lda:], lda, p.aoff, xp[xBase:], p.boff)
		}
	})
	for plane := 0; plane < p.N*p.M; plane++ {
		for oh := 0; oh < p.OH; oh++ {
			copy(out[(plane*p.OH+oh)*p.OW:(plane*p.OH+oh+1)*p.OW], wide[plane*cols+oh*p.Wp:])
		}
	}
}
