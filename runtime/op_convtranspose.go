package runtime

// ConvTranspose: the transposed convolution of any spatial rank (1-D,
// 2-D, 3-D, ...), input [N, C, D1..Dr], weights [C, M/group, k1..kr],
// optional bias [M]; attributes strides, dilations, pads, output_padding,
// output_shape, auto_pad, group, kernel_shape as ONNX defines them.
//
// Reduction order (gather form, one accumulator per output element): for
// output (n, m, o1..or), g = m / (M/group), Cg = C/group,
//
//	acc = +0
//	for c in 0..Cg-1, then k1..kr row-major (c outermost, kr innermost):
//	    i_d = (o_d + padBegin_d − k_d·dil_d) / stride_d when that divides exactly
//	    if every i_d is inside the input: acc = acc + float32(x[n, g·Cg+c, i] · w[g·Cg+c, m − g·M/group, k])
//	y = acc + b[m]        (only when a bias is given)
//
// Output elements are independent, so any number of workers gives the
// same bits.

func init() { register("ConvTranspose", buildConvTranspose) }

// convTGeometry is one spatial axis of a transposed convolution.
type convTGeometry struct {
	in, k, stride, dil, padBegin, out int
}

func buildConvTranspose(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 2, 3); err != nil {
		return nil, err
	}
	for i := range in {
		if err := wantFloat(n, in, i); err != nil {
			return nil, err
		}
	}
	xs, ws := in[0].Shape, in[1].Shape
	r := len(xs) - 2
	if r < 1 || len(ws) != len(xs) {
		return nil, n.errorf("input %v and weights %v: want [N, C, spatial...] and [C, M/group, kernel...] of one rank", xs, ws)
	}
	group, err := n.attrInt("group", 1)
	if err != nil {
		return nil, err
	}
	N, C := xs[0], xs[1]
	if group < 1 || group > int64(C) || int64(C)%group != 0 || ws[0] != C {
		return nil, n.errorf("group %d with %d input channels and weights %v", group, C, ws)
	}
	G := int(group)
	Cg, Mg := C/G, ws[1]
	M := Mg * G
	if ks, err := n.attrInts("kernel_shape"); err != nil {
		return nil, err
	} else if ks != nil {
		if len(ks) != r {
			return nil, n.errorf("kernel_shape %v does not match weights %v", ks, ws)
		}
		for d := range ks {
			if int(ks[d]) != ws[2+d] {
				return nil, n.errorf("kernel_shape %v does not match weights %v", ks, ws)
			}
		}
	}
	if len(in) == 3 && (len(in[2].Shape) != 1 || in[2].Shape[0] != M) {
		return nil, n.errorf("bias shape %v, want [%d]", in[2].Shape, M)
	}
	geo, err := convTGeometries(n, xs[2:], ws[2:])
	if err != nil {
		return nil, err
	}
	outShape := []int{N, M}
	kTotal := 1
	for _, a := range geo {
		outShape = append(outShape, a.out)
		kTotal *= a.k
	}
	if err := checkShape(outShape); err != nil {
		return nil, n.errorf("output %v: %v", outShape, err)
	}
	size := numel(outShape)
	hasBias := len(in) == 3
	inStr, wStr := strides(xs), strides(ws)
	spatialOut := numel(outShape[2:])
	return &step{outs: floatOut(outShape), flops: 2 * i64(size) * i64(Cg*kTotal), run: func(x []*Tensor, workers int) []*Tensor {
		out := &Tensor{DType: Float32, Shape: outShape, F: make([]float32, size)}
		X, W := x[0].F, x[1].F
		parallelFor(workers, size, Cg*kTotal, func(lo, hi int) {
			o := make([]int, r)
			k := make([]int, r)
			for e := lo; e < hi; e++ {
				rest := e % spatialOut
				for d := r - 1; d >= 0; d-- {
					o[d] = rest % geo[d].out
					rest /= geo[d].out
				}
				m := (e / spatialOut) % M
				nn := e / (spatialOut * M)
				g := m / Mg
				var acc float32
				for c := 0; c < Cg; c++ {
					ic := g*Cg + c
					xBase := nn*inStr[0] + ic*inStr[1]
					wBase := ic*wStr[0] + (m-g*Mg)*wStr[1]
					for d := range k {
						k[d] = 0
					}
					for t := 0; t < kTotal; t++ {
						xOff, wOff, inside := xBase, wBase, true
						for d := 0; d < r && inside; d++ {
							a := geo[d]
							p := o[d] + a.padBegin - k[d]*a.dil
							if p < 0 || p%a.stride != 0 || p/a.stride >= a.in {
								inside = false
								break
							}
							xOff += (p / a.stride) * inStr[2+d]
							wOff += k[d] * wStr[2+d]
						}
						if inside {
							acc = acc + float32(X[xOff]*W[wOff])
						}
						for d := r - 1; d >= 0; d-- {
							if k[d]++; k[d] < geo[d].k {
								break
							}
							k[d] = 0
						}
					}
				}
				if hasBias {
					acc = acc + x[2].F[m]
				}
				out.F[e] = acc
			}
		})
		return []*Tensor{out}
	}}, nil
}

// convTGeometries reads strides, dilations, pads, output_padding,
// output_shape and auto_pad for each spatial axis, as ONNX's
// ConvTranspose defines them: out = stride·(in − 1) + output_padding +
// (k − 1)·dil + 1 − padBegin − padEnd, or pads derived from output_shape
// (or from in·stride under auto_pad SAME_*), the odd unit at the end for
// SAME_UPPER and at the beginning otherwise (halves rounded down).
func convTGeometries(n *Node, in, k []int) ([]convTGeometry, error) {
	r := len(in)
	stride, err := n.attrIntsLen("strides", r, 1, 1)
	if err != nil {
		return nil, err
	}
	dil, err := n.attrIntsLen("dilations", r, 1, 1)
	if err != nil {
		return nil, err
	}
	pads, err := n.attrIntsLen("pads", 2*r, 0, 0)
	if err != nil {
		return nil, err
	}
	outPad, err := n.attrIntsLen("output_padding", r, 0, 0)
	if err != nil {
		return nil, err
	}
	outShape, err := n.attrInts("output_shape")
	if err != nil {
		return nil, err
	}
	autoPad, err := n.attrString("auto_pad", "NOTSET")
	if err != nil {
		return nil, err
	}
	switch autoPad {
	case "NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER":
	default:
		return nil, n.errorf("unknown auto_pad %q", autoPad)
	}
	if outShape != nil && len(outShape) != r && len(outShape) != r+2 {
		return nil, n.errorf("output_shape %v: want %d spatial sizes", outShape, r)
	}
	geo := make([]convTGeometry, r)
	for d := range geo {
		a := convTGeometry{in: in[d], k: k[d], stride: stride[d], dil: dil[d]}
		if outPad[d] >= max(a.stride, a.dil) {
			return nil, n.errorf("output_padding %d must be smaller than the stride or the dilation", outPad[d])
		}
		full := a.stride*(a.in-1) + outPad[d] + (a.k-1)*a.dil + 1
		target := -1
		switch {
		case outShape != nil:
			target = int(outShape[len(outShape)-r+d])
		case autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER":
			target = a.in * a.stride
		}
		if target >= 0 {
			if target < 1 || target > 1<<30 {
				return nil, n.errorf("output size %d on axis %d out of range", target, d)
			}
			// A negative total (an output_shape beyond the full
			// output) pads negatively: the extra elements get no
			// input terms. Halves round down, as ONNX's reference does.
			total := full - target
			half := total >> 1
			if autoPad == "SAME_UPPER" {
				a.padBegin = half
			} else {
				a.padBegin = total - half
			}
			a.out = target
		} else {
			if autoPad == "VALID" {
				pads[d], pads[d+r] = 0, 0
			}
			a.padBegin = pads[d]
			a.out = full - pads[d] - pads[d+r]
		}
		if a.in < 1 || a.out < 1 {
			return nil, n.errorf("output dimension %d would be %d", d, a.out)
		}
		geo[d] = a
	}
	return geo, nil
}
