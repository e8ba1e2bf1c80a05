package runtime

// Conv: 2-D convolution (NCHW input, MCkHkW weights, optional bias M).
//
// Reduction order (the spec a CUDA kernel must match): for output element
// (n, m, oh, ow), with g = m / (M/group) and Cg = C/group input channels per
// group,
//
//	acc = +0
//	for c in 0..Cg-1, kh in 0..kH-1, kw in 0..kW-1 (c outermost, kw innermost):
//	    ih = oh*sH - padTop + kh*dH; iw = ow*sW - padLeft + kw*dW
//	    if (ih, iw) inside the input: acc = acc + float32(x[n, g*Cg+c, ih, iw] * w[m, c, kh, kw])
//	y = acc + b[m]        (only when a bias is given)
//
// The CPU kernels (the vector path in op_conv_gemm.go, and the scalar one
// below for non-finite weights) evaluate
// many outputs at once, but each accumulator sees exactly these terms in
// this order.

func init() { register("Conv", buildConv) }

// buildConv1D is the 1-D Conv ([N, C, L], weights [M, C/g, k]) as the 2-D
// one over a height of 1 — the same terms in the same order — on the CPU
// reference (no backend parameters: the shapes a backend would see differ).
func buildConv1D(n *Node, in []TensorInfo) (*step, error) {
	two := &Node{Name: n.Name, OpType: n.OpType, Inputs: n.Inputs, Outputs: n.Outputs, Opset: n.Opset, Attrs: map[string]Attr{}}
	for k, a := range n.Attrs {
		two.Attrs[k] = a
	}
	widen := func(name string, def int64) error {
		a, ok := n.Attrs[name]
		if !ok {
			return nil
		}
		if a.Kind != AttrInts {
			return n.errorf("attribute %s must be ints", name)
		}
		switch len(a.Ints) {
		case 1:
			two.Attrs[name] = Attr{Kind: AttrInts, Ints: []int64{def, a.Ints[0]}}
		case 2: // pads: begin, end
			two.Attrs[name] = Attr{Kind: AttrInts, Ints: []int64{0, a.Ints[0], 0, a.Ints[1]}}
		default:
			return n.errorf("attribute %s has %d values for a 1-D convolution", name, len(a.Ints))
		}
		return nil
	}
	for _, a := range []struct {
		name string
		def  int64
	}{{"strides", 1}, {"dilations", 1}, {"kernel_shape", 1}, {"pads", 0}} {
		if err := widen(a.name, a.def); err != nil {
			return nil, err
		}
	}
	lift := func(t TensorInfo) TensorInfo {
		s := append(append([]int{}, t.Shape[:2]...), 1, t.Shape[2])
		r := TensorInfo{DType: t.DType, Shape: s}
		if t.Const != nil {
			r.Const = &Tensor{DType: t.DType, Shape: s, F: t.Const.F}
		}
		return r
	}
	in2 := []TensorInfo{lift(in[0]), lift(in[1])}
	if len(in) == 3 {
		in2 = append(in2, in[2])
	}
	st, err := buildConv(two, in2)
	if err != nil {
		return nil, err
	}
	o := st.outs[0].Shape
	out := []int{o[0], o[1], o[3]}
	run := st.run
	return &step{outs: floatOut(out), flops: st.flops, run: func(x []*Tensor, workers int) []*Tensor {
		args := []*Tensor{
			{DType: Float32, Shape: in2[0].Shape, F: x[0].F},
			{DType: Float32, Shape: in2[1].Shape, F: x[1].F},
		}
		if len(x) == 3 {
			args = append(args, x[2])
		}
		y := run(args, workers)[0]
		return []*Tensor{{DType: Float32, Shape: out, F: y.F}}
	}}, nil
}

func buildConv(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 2, 3); err != nil {
		return nil, err
	}
	for i := range in {
		if err := wantFloat(n, in, i); err != nil {
			return nil, err
		}
	}
	xs, ws := in[0].Shape, in[1].Shape
	if len(xs) == 3 && len(ws) == 3 {
		return buildConv1D(n, in)
	}
	if len(xs) != 4 || len(ws) != 4 {
		return nil, n.errorf("only 2-D convolution is supported: input %v, weights %v", xs, ws)
	}
	group, err := n.attrInt("group", 1)
	if err != nil {
		return nil, err
	}
	N, C, M := xs[0], xs[1], ws[0]
	if group < 1 || int64(C)%group != 0 || int64(M)%group != 0 {
		return nil, n.errorf("group %d does not divide %d input and %d output channels", group, C, M)
	}
	G := int(group)
	Cg := C / G
	if ws[1] != Cg {
		return nil, n.errorf("weights %v need %d channels per group, input has %d", ws, ws[1], Cg)
	}
	if ks, err := n.attrInts("kernel_shape"); err != nil {
		return nil, err
	} else if ks != nil && (len(ks) != 2 || int(ks[0]) != ws[2] || int(ks[1]) != ws[3]) {
		return nil, n.errorf("kernel_shape %v does not match weights %v", ks, ws)
	}
	if len(in) == 3 && (len(in[2].Shape) != 1 || in[2].Shape[0] != M) {
		return nil, n.errorf("bias shape %v, want [%d]", in[2].Shape, M)
	}
	win, err := spatialWindows(n, xs[2:], ws[2:], false)
	if err != nil {
		return nil, err
	}
	wh, ww := win[0], win[1]
	outShape := []int{N, M, wh.out, ww.out}
	flops := 2 * i64(numel(outShape)) * i64(Cg*ws[2]*ws[3])
	hasBias := len(in) == 3
	params := &ConvParams{N: N, C: C, H: wh.in, W: ww.in, M: M, Group: G, KH: ws[2], KW: ws[3], OH: wh.out, OW: ww.out,
		StrideH: wh.stride, StrideW: ww.stride, DilH: wh.dil, DilW: ww.dil, PadTop: wh.padBegin, PadLeft: ww.padBegin, Bias: hasBias}
	vec := newConvGemm(N, C, M, G, wh, ww, ws[2], ws[3])
	return &step{outs: floatOut(outShape), flops: flops, params: params, fresh: true, run: func(x []*Tensor, workers int) []*Tensor {
		out := newFloatTensor(outShape)
		X, W := x[0].F, x[1].F
		var B []float32
		if hasBias {
			B = x[2].F
		}
		if vec != nil && finite(W) {
			vec.run(X, W, out.F, workers)
			if hasBias {
				plane := wh.out * ww.out
				for r := 0; r < N*M; r++ {
					b := B[r%M]
					acc := out.F[r*plane : (r+1)*plane]
					for i := range acc {
						acc[i] = acc[i] + b
					}
				}
			}
			return []*Tensor{out}
		}
		H, Wd := wh.in, ww.in
		kH, kW := ws[2], ws[3]
		OH, OW := wh.out, ww.out
		rows := N * M * OH
		// the valid output range of each kernel column depends only on kw
		type span struct{ lo, hi, iw0 int }
		spans := make([]span, kW)
		for kw := range spans {
			lo, hi := ww.validRange(kw)
			spans[kw] = span{lo, hi, lo*ww.stride - ww.padBegin + kw*ww.dil}
		}
		parallelFor(workers, rows, OW*Cg*kH*kW, func(lo, hi int) {
			for r := lo; r < hi; r++ {
				oh := r % OH
				m := (r / OH) % M
				nn := r / (OH * M)
				g := m / (M / G)
				acc := out.F[r*OW : (r+1)*OW]
				for c := 0; c < Cg; c++ {
					xPlane := X[(nn*C+g*Cg+c)*H*Wd : (nn*C+g*Cg+c+1)*H*Wd]
					wBase := ((m*Cg + c) * kH) * kW
					for kh := 0; kh < kH; kh++ {
						ih := oh*wh.stride - wh.padBegin + kh*wh.dil
						if ih < 0 || ih >= H {
							continue
						}
						xRow := xPlane[ih*Wd : (ih+1)*Wd]
						wRow := W[wBase+kh*kW : wBase+(kh+1)*kW]
						for kw, wv := range wRow {
							sp := spans[kw]
							if sp.hi <= sp.lo {
								continue
							}
							a := acc[sp.lo:sp.hi]
							if ww.stride == 1 {
								xs := xRow[sp.iw0 : sp.iw0+len(a)]
								for j := range a {
									a[j] = a[j] + float32(xs[j]*wv)
								}
								continue
							}
							iw := sp.iw0
							for j := range a {
								a[j] = a[j] + float32(xRow[iw]*wv)
								iw += ww.stride
							}
						}
					}
				}
				if hasBias {
					for ow := range acc {
						acc[ow] = acc[ow] + B[m]
					}
				}
			}
		})
		return []*Tensor{out}
	}}, nil
}
