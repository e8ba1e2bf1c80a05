package runtime

// Gemm and MatMul.
//
// Reduction order: output (i, j) is
//
//	acc = +0; for k in 0..K-1 ascending: acc = acc + float32(a[i,k] * b[k,j])
//
// Gemm then computes y = float32(alpha*acc) + float32(beta*c[i,j]) when C is
// given, else y = float32(alpha*acc). (With alpha = 1 the product is exact.)
// MatMul's y is acc. The CPU kernels (gemmAcc: register tiles of 4 rows
// and 16 or 32 columns) give each element exactly this sequence of terms.

func init() {
	register("Gemm", buildGemm)
	register("MatMul", buildMatMul)
}

// matmulInto computes rows [i0, i1) of an M x N product into out, reading A
// as M x K (row stride lda, column stride 1 unless transA) and B as K x N.
type mm struct {
	M, N, K        int
	transA, transB bool
}

// row computes output row i into dst (length N, zeroed by the caller).
func (p mm) row(A, B []float32, i int, dst []float32) {
	if p.transB {
		// B is N x K: each element is a contiguous dot product over k.
		for j := 0; j < p.N; j++ {
			var acc float32
			bj := B[j*p.K : (j+1)*p.K]
			for k := 0; k < p.K; k++ {
				acc = acc + float32(p.a(A, i, k)*bj[k])
			}
			dst[j] = acc
		}
		return
	}
	for k := 0; k < p.K; k++ {
		a := p.a(A, i, k)
		bk := B[k*p.N : (k+1)*p.N]
		for j, b := range bk {
			dst[j] = dst[j] + float32(a*b)
		}
	}
}

func (p mm) a(A []float32, i, k int) float32 {
	if p.transA {
		return A[k*p.M+i]
	}
	return A[i*p.K+k]
}

// mmTables are a product's gemmAcc offset tables, built once per compiled
// step; nil when an offset would not fit the int32 tables (then the
// product runs row by row).
type mmTables struct{ aoff, boff []int32 }

func (p mm) tables() *mmTables {
	if p.K == 0 || !offsetsFit(p.K*max(p.M, p.N)) {
		return nil
	}
	astep := 1
	if p.transA {
		astep = p.M
	}
	return &mmTables{aoff: seqOffsets(p.K, astep), boff: seqOffsets(p.K, p.N)}
}

// rows computes output rows [i0, i1) of A·B into out (the whole M x N
// output, zeroed). B must be K x N here: a transposed B is packed first
// (packB), which moves values and changes no arithmetic.
func (p mm) rows(tb *mmTables, A, B, out []float32, i0, i1 int) {
	if tb == nil {
		for i := i0; i < i1; i++ {
			p.row(A, B, i, out[i*p.N:(i+1)*p.N])
		}
		return
	}
	lda, a0 := p.K, i0*p.K
	if p.transA {
		lda, a0 = 1, i0
	}
	gemmAcc(i1-i0, p.N, out[i0*p.N:], p.N, A[a0:], lda, tb.aoff, B, tb.boff)
}

// packB returns B as K x N: B itself, or a transposed B (N x K) copied.
func (p mm) packB(tb *mmTables, B []float32) []float32 {
	if !p.transB || tb == nil {
		return B
	}
	out := make([]float32, p.K*p.N)
	// eight rows of B at a time: eight read streams, one contiguous write
	for j0 := 0; j0 < p.N; j0 += 8 {
		j1 := min(j0+8, p.N)
		for k := 0; k < p.K; k++ {
			dst := out[k*p.N+j0 : k*p.N+j1]
			for jj := range dst {
				dst[jj] = B[(j0+jj)*p.K+k]
			}
		}
	}
	return out
}

func buildGemm(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 2, 3); err != nil {
		return nil, err
	}
	for i := range in {
		if err := wantFloat(n, in, i); err != nil {
			return nil, err
		}
	}
	as, bs := in[0].Shape, in[1].Shape
	if len(as) != 2 || len(bs) != 2 {
		return nil, n.errorf("inputs must be matrices, got %v and %v", as, bs)
	}
	ta, err1 := n.attrInt("transA", 0)
	tb, err2 := n.attrInt("transB", 0)
	alpha, err3 := n.attrFloat("alpha", 1)
	beta, err4 := n.attrFloat("beta", 1)
	for _, err := range []error{err1, err2, err3, err4} {
		if err != nil {
			return nil, err
		}
	}
	p := mm{M: as[0], K: as[1], N: bs[1], transA: ta != 0, transB: tb != 0}
	if p.transA {
		p.M, p.K = as[1], as[0]
	}
	kb := bs[0]
	if p.transB {
		p.N, kb = bs[0], bs[1]
	}
	if kb != p.K {
		return nil, n.errorf("inner dimensions differ: A %v, B %v (transA=%d transB=%d)", as, bs, ta, tb)
	}
	outShape := []int{p.M, p.N}
	var bc *broadcast
	if len(in) == 3 {
		var err error
		if bc, err = newBroadcast(in[2].Shape, outShape); err != nil || !sameShape(bc.out, outShape) {
			return nil, n.errorf("C shape %v does not broadcast to %v", in[2].Shape, outShape)
		}
	}
	flops := 2 * i64(p.M) * i64(p.N) * i64(p.K)
	tabs := p.tables()
	// A constant transposed B (an initializer the compiler sees, as in
	// `model run` and Specialize; registered classifiers' weights vary and
	// are packed per run) is packed once here; a run on other data packs
	// its own.
	var constB, packed []float32
	if p.transB && tabs != nil && in[1].Const != nil {
		constB = in[1].Const.F
		packed = p.packB(tabs, constB)
	}
	params := &GemmParams{M: p.M, N: p.N, K: p.K, TransA: p.transA, TransB: p.transB, Alpha: alpha, Beta: beta, HasC: bc != nil}
	if bc != nil {
		params.CStrideI, params.CStrideJ = bc.sa[0], bc.sa[1]
	}
	few := p.fewRows()
	return &step{outs: floatOut(outShape), flops: flops, params: params, fresh: true, run: func(x []*Tensor, workers int) []*Tensor {
		out := newFloatTensor(outShape)
		q, B, done := p, x[1].F, false
		switch {
		case sameData(x[1].F, constB):
			q.transB, B = false, packed // packed K x N at compile time
		case few != nil:
			few.run(p, x[0].F, x[1].F, out.F, workers)
			done = true
		case tabs != nil:
			q.transB, B = false, p.packB(tabs, x[1].F) // packed K x N here
		}
		parallelFor(workers, p.M, p.N*p.K, func(lo, hi int) {
			if !done {
				q.rows(tabs, x[0].F, B, out.F, lo, hi)
			}
			for i := lo; i < hi; i++ {
				dst := out.F[i*p.N : (i+1)*p.N]
				if bc == nil {
					for j := range dst {
						dst[j] = float32(alpha * dst[j])
					}
					continue
				}
				it := bc.at(i * p.N)
				for j := range dst {
					dst[j] = float32(alpha*dst[j]) + float32(beta*x[2].F[it.ia])
					it.next()
				}
			}
		})
		return []*Tensor{out}
	}}, nil
}

func buildMatMul(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 2, 2); err != nil {
		return nil, err
	}
	for i := range in {
		if err := wantFloat(n, in, i); err != nil {
			return nil, err
		}
	}
	as, bs := in[0].Shape, in[1].Shape
	if len(as) == 0 || len(bs) == 0 {
		return nil, n.errorf("MatMul of a scalar")
	}
	a2, b2 := as, bs
	if len(as) == 1 {
		a2 = []int{1, as[0]}
	}
	if len(bs) == 1 {
		b2 = []int{bs[0], 1}
	}
	p := mm{M: a2[len(a2)-2], K: a2[len(a2)-1], N: b2[len(b2)-1]}
	if b2[len(b2)-2] != p.K {
		return nil, n.errorf("inner dimensions differ: %v x %v", as, bs)
	}
	bc, err := newBroadcast(a2[:len(a2)-2], b2[:len(b2)-2])
	if err != nil {
		return nil, n.errorf("batch dimensions: %v", err)
	}
	outShape := append(append([]int(nil), bc.out...), p.M, p.N)
	if len(as) == 1 {
		outShape = append(outShape[:len(outShape)-2], p.N)
	}
	if len(bs) == 1 {
		outShape = outShape[:len(outShape)-1]
	}
	batches := numel(bc.out)
	flops := 2 * i64(batches) * i64(p.M) * i64(p.N) * i64(p.K)
	tabs := p.tables()
	params := &MatMulParams{M: p.M, N: p.N, K: p.K, Batch: bc.out, StrideA: bc.sa, StrideB: bc.sb}
	return &step{outs: floatOut(outShape), flops: flops, params: params, fresh: true, run: func(x []*Tensor, workers int) []*Tensor {
		// Each chunk zeroes its own rows (the products accumulate into
		// them), in parallel and just before it reads them.
		out := newUnclearedTensor(outShape)
		rows := batches * p.M
		parallelFor(workers, rows, p.N*p.K, func(lo, hi int) {
			clear(out.F[lo*p.N : hi*p.N])
			// the chunk's rows, one batch at a time
			for r := lo; r < hi; {
				bi, i := r/p.M, r%p.M
				end := min(hi-r, p.M-i) + i
				it := bc.at(bi)
				A := x[0].F[it.ia*p.M*p.K : (it.ia+1)*p.M*p.K]
				B := x[1].F[it.ib*p.K*p.N : (it.ib+1)*p.K*p.N]
				p.rows(tabs, A, B, out.F[bi*p.M*p.N:(bi+1)*p.M*p.N], i, end)
				r += end - i
			}
		})
		return []*Tensor{out}
	}}, nil
}

// sameData reports whether two slices are the same memory (a run reading
// the initializer the compiler packed).
func sameData(a, b []float32) bool {
	return len(a) > 0 && len(a) == len(b) && &a[0] == &b[0]
}

// fewT computes a Gemm with a transposed B and fewer than four rows of A
// (a classifier's dense layer on one item) as Cᵀ = B·Aᵀ: the rows of B (N
// x K, contiguous in k) are the tiles' rows and the M rows of A, packed
// K x M, their columns. Packing B instead would move N·K values for
// M·N·K products; Aᵀ is M·K. Every output keeps its terms in k order, the
// product a·b being b·a.
type fewT struct{ aoff, boff []int32 }

// fewRows returns the plan, or nil where it does not apply.
func (p mm) fewRows() *fewT {
	if !p.transB || p.M >= 4 || p.K == 0 || !offsetsFit(p.N*p.K) || !offsetsFit(p.K*p.M) {
		return nil
	}
	return &fewT{aoff: seqOffsets(p.K, 1), boff: seqOffsets(p.K, p.M)}
}

// run adds A·Bᵀ into out (M x N, zeroed).
func (f *fewT) run(p mm, A, Bt, out []float32, workers int) {
	at := make([]float32, p.K*p.M)
	for i := 0; i < p.M; i++ {
		for k := 0; k < p.K; k++ {
			at[k*p.M+i] = p.a(A, i, k)
		}
	}
	ct := out // with one row of A, Cᵀ (N x 1) is C
	if p.M > 1 {
		ct = make([]float32, p.N*p.M)
	}
	const chunk = 64 // rows of B per unit
	units := (p.N + chunk - 1) / chunk
	parallelFor(workers, units, chunk*p.M*p.K, func(lo, hi int) {
		j0, j1 := lo*chunk, min(hi*chunk, p.N)
		gemmAcc(j1-j0, p.M, ct[j0*p.M:], p.M, Bt[j0*p.K:], p.K, f.aoff, at, f.boff)
	})
	if p.M > 1 {
		for j := 0; j < p.N; j++ {
			for i := 0; i < p.M; i++ {
				out[i*p.N+j] = ct[j*p.M+i]
			}
		}
	}
}
