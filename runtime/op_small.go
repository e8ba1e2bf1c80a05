package runtime

import "math"

// Small operators:
//
//	HannWindow, HammingWindow, BlackmanWindow (opset 17): w[n] = a0 −
//	  a1·cos(2πn/N) + a2·cos(4πn/N) with N = size (periodic) or size − 1
//	  (symmetric), computed in float64 with detmath_trig's sincos64, one
//	  rounding to the output type (float32 by default); size known at
//	  compile time. Hann a0 = a1 = 0.5; Hamming a0 = 25/46, a1 = 21/46;
//	  Blackman a0 = 0.42, a1 = 0.5, a2 = 0.08.
//	ReverseSequence: data movement; each batch row's first seq_len
//	  elements along the time axis reversed, the rest as they were.
//	Det: the determinant of each trailing square matrix by Gaussian
//	  elimination with partial pivoting (the first largest |pivot| down
//	  the column) in float64, products rounded alone, one rounding to
//	  float32 at the end.

func init() {
	register("HannWindow", windowBuilder(0.5, 0.5, 0))
	register("HammingWindow", windowBuilder(25.0/46, 21.0/46, 0))
	register("BlackmanWindow", windowBuilder(0.42, 0.5, 0.08))
	register("ReverseSequence", buildReverseSequence)
	register("Det", buildDet)
}

func windowBuilder(a0, a1, a2 float64) builder {
	return func(n *Node, in []TensorInfo) (*step, error) {
		if err := wantInputs(n, in, 1, 1); err != nil {
			return nil, err
		}
		if !in[0].DType.integer() {
			return nil, n.errorf("size is %s: want an integer", in[0].DType)
		}
		sz, err := scalarConst(n, in, 0, "size")
		if err != nil {
			return nil, err
		}
		size := sz.I[0]
		if size < 0 || size > 1<<24 {
			return nil, n.errorf("size %d out of range", size)
		}
		periodic, err := n.attrInt("periodic", 1)
		if err != nil {
			return nil, err
		}
		odt, err := n.attrInt("output_datatype", int64(Float32))
		if err != nil {
			return nil, err
		}
		dt := DType(odt)
		if odt < 0 || odt > 255 || (dt != Float32 && dt != Float64 && !dt.half()) {
			return nil, n.errorf("output_datatype %d: want a float type", odt)
		}
		N := float64(size)
		if periodic == 0 {
			N = float64(size - 1)
		}
		out := []int{int(size)}
		return &step{outs: []TensorInfo{{DType: dt, Shape: out}}, flops: 20 * i64(int(size)), run: func([]*Tensor, int) []*Tensor {
			t := newOf(dt, out)
			for k := 0; k < int(size); k++ {
				var w float64
				if N == 0 {
					w = a0 - a1 + a2 // cos 0 = 1
				} else {
					x := float64(float64(2*math.Pi)*float64(k)) / N
					_, c1 := sincos64(x)
					_, c2 := sincos64(2 * x)
					w = (a0 - float64(a1*c1)) + float64(a2*c2)
				}
				switch {
				case dt == Float64:
					t.I[k] = f64bits(w)
				case dt.half():
					t.F[k] = roundHalf(dt, f64ToF32Odd(w))
				default:
					t.F[k] = float32(w)
				}
			}
			return []*Tensor{t}
		}}, nil
	}
}

func buildReverseSequence(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 2, 2); err != nil {
		return nil, err
	}
	shape := in[0].Shape
	if len(shape) < 2 {
		return nil, n.errorf("input %v: want rank 2 or more", shape)
	}
	ta, err := n.attrInt("time_axis", 0)
	if err != nil {
		return nil, err
	}
	ba, err := n.attrInt("batch_axis", 1)
	if err != nil {
		return nil, err
	}
	if !(ta == 0 && ba == 1 || ta == 1 && ba == 0) {
		return nil, n.errorf("time_axis %d and batch_axis %d: want 0 and 1 in some order", ta, ba)
	}
	B, T := shape[ba], shape[ta]
	if !indexType(in[1].DType) || !sameShape(in[1].Shape, []int{B}) {
		return nil, n.errorf("sequence_lens is %s %v: want int64 [%d]", in[1].DType, in[1].Shape, B)
	}
	st := strides(shape)
	size := numel(shape)
	inner := numel(shape[2:])
	return &step{outs: []TensorInfo{{DType: in[0].DType, Shape: shape}}, flops: i64(size), run: func(x []*Tensor, _ int) []*Tensor {
		t := newOf(in[0].DType, shape)
		for b := 0; b < B; b++ {
			L := x[1].I[b]
			if L < 0 || L > int64(T) {
				panic("sequence length out of range")
			}
			for s := 0; s < T; s++ {
				src := s
				if int64(s) < L {
					src = int(L) - 1 - s
				}
				for k := 0; k < inner; k++ {
					t.put(b*st[ba]+s*st[ta]+k, x[0], b*st[ba]+src*st[ta]+k)
				}
			}
		}
		return []*Tensor{t}
	}}, nil
}

func buildDet(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 1, 1); err != nil {
		return nil, err
	}
	if err := wantFloat(n, in, 0); err != nil {
		return nil, err
	}
	shape := in[0].Shape
	r := len(shape)
	if r < 2 || shape[r-1] != shape[r-2] {
		return nil, n.errorf("input %v: want [..., M, M]", shape)
	}
	M := shape[r-1]
	out := append([]int{}, shape[:r-2]...)
	count := numel(out)
	return &step{outs: floatOut(out), flops: i64(count) * i64(M*M*M+1), run: func(x []*Tensor, _ int) []*Tensor {
		t := &Tensor{DType: Float32, Shape: out, F: make([]float32, count)}
		a := make([]float64, M*M)
		for m := 0; m < count; m++ {
			for i := range a {
				a[i] = float64(x[0].F[m*M*M+i])
			}
			det := 1.0
			for c := 0; c < M && det != 0; c++ {
				p := c
				for r := c + 1; r < M; r++ {
					if math.Abs(a[r*M+c]) > math.Abs(a[p*M+c]) {
						p = r
					}
				}
				if a[p*M+c] == 0 {
					det = 0
					break
				}
				if p != c {
					for k := 0; k < M; k++ {
						a[c*M+k], a[p*M+k] = a[p*M+k], a[c*M+k]
					}
					det = -det
				}
				piv := a[c*M+c]
				det = float64(det * piv)
				for r := c + 1; r < M; r++ {
					f := a[r*M+c] / piv
					for k := c; k < M; k++ {
						a[r*M+k] = a[r*M+k] - float64(f*a[c*M+k])
					}
				}
			}
			t.F[m] = float32(det)
		}
		return []*Tensor{t}
	}}, nil
}
