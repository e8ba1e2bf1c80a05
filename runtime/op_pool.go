package runtime

import "math"

// MaxPool and AveragePool over NCHW inputs (2-D here, with backend
// parameters; any other spatial rank and MaxPool's Indices output in
// op_pool_nd.go, the CPU reference alone, in the same order).
//
// Order: for output (n, c, oh, ow) the taps are visited kh ascending, then kw
// ascending; taps outside the input (padding) are skipped.
//
//	MaxPool:     m = -Inf; for each tap v: if v > m or v is NaN: m = v
//	             (a NaN, once taken, is kept: v > NaN is false)
//	AveragePool: acc = +0; for each tap v: acc = acc + v; y = acc / count
//	             count = taps inside the input, or, with count_include_pad=1,
//	             taps inside the input plus its explicit/auto padding.

func init() {
	register("MaxPool", func(n *Node, in []TensorInfo) (*step, error) { return buildPool(n, in, true) })
	register("AveragePool", func(n *Node, in []TensorInfo) (*step, error) { return buildPool(n, in, false) })
}

func buildPool(n *Node, in []TensorInfo, isMax bool) (*step, error) {
	if err := wantInputs(n, in, 1, 1); err != nil {
		return nil, err
	}
	if err := wantFloat(n, in, 0); err != nil {
		return nil, err
	}
	xs := in[0].Shape
	if len(n.Outputs) > 1 || len(xs) != 4 {
		return buildPoolND(n, in, isMax) // 1-D, 3-D, ..., or MaxPool's Indices: CPU only
	}
	ks, err := n.attrInts("kernel_shape")
	if err != nil {
		return nil, err
	}
	if len(ks) != 2 || ks[0] < 1 || ks[1] < 1 || ks[0] > 1<<16 || ks[1] > 1<<16 {
		return nil, n.errorf("kernel_shape %v must be two positive ints", ks)
	}
	ceil, err := n.attrInt("ceil_mode", 0)
	if err != nil {
		return nil, err
	}
	cip, err := n.attrInt("count_include_pad", 0)
	if err != nil {
		return nil, err
	}
	if isMax {
		if so, err := n.attrInt("storage_order", 0); err != nil || so != 0 {
			return nil, n.errorf("storage_order must be 0")
		}
	} else if _, ok := n.Attrs["dilations"]; ok {
		return nil, n.errorf("AveragePool dilations are not supported")
	}
	win, err := spatialWindows(n, xs[2:], []int{int(ks[0]), int(ks[1])}, ceil != 0)
	if err != nil {
		return nil, err
	}
	wh, ww := win[0], win[1]
	outShape := []int{xs[0], xs[1], wh.out, ww.out}
	kh, kw := wh.k, ww.k
	flops := i64(numel(outShape)) * i64(kh*kw)
	params := &PoolParams{Max: isMax, N: xs[0], C: xs[1], H: wh.in, W: ww.in, KH: kh, KW: kw, OH: wh.out, OW: ww.out,
		StrideH: wh.stride, StrideW: ww.stride, DilH: wh.dil, DilW: ww.dil,
		PadTop: wh.padBegin, PadLeft: ww.padBegin, PadBottom: wh.padEnd, PadRight: ww.padEnd, IncludePad: cip != 0}
	ins := insideWindows(wh, ww)
	return &step{outs: floatOut(outShape), flops: flops, params: params, fresh: true, run: func(x []*Tensor, workers int) []*Tensor {
		out := newFloatTensor(outShape)
		X := x[0].F
		H, W := wh.in, ww.in
		planes := xs[0] * xs[1]
		parallelFor(workers, planes, wh.out*ww.out*kh*kw, func(lo, hi int) {
			for p := lo; p < hi; p++ {
				src := X[p*H*W : (p+1)*H*W]
				dst := out.F[p*wh.out*ww.out:]
				for oh := 0; oh < wh.out; oh++ {
					for ow := 0; ow < ww.out; ow++ {
						if oh >= ins.ohLo && oh < ins.ohHi && ow == ins.owLo && ins.owHi > ow {
							poolInsideRow(src, W, wh, ww, oh, ow, dst[oh*ww.out+ow:oh*ww.out+ins.owHi], isMax)
							ow = ins.owHi - 1
							continue
						}
						dst[oh*ww.out+ow] = poolOne(src, W, wh, ww, oh, ow, isMax, cip != 0)
					}
				}
			}
		})
		return []*Tensor{out}
	}}, nil
}

// poolOne reduces one output window in the documented order.
func poolOne(src []float32, W int, wh, ww window, oh, ow int, isMax, includePad bool) float32 {
	m := float32(math.Inf(-1))
	var acc float32
	count := 0
	for a := 0; a < wh.k; a++ {
		ih := oh*wh.stride - wh.padBegin + a*wh.dil
		rowPad := ih >= -wh.padBegin && ih < wh.in+wh.padEnd
		for b := 0; b < ww.k; b++ {
			iw := ow*ww.stride - ww.padBegin + b*ww.dil
			if ih < 0 || ih >= wh.in || iw < 0 || iw >= ww.in {
				if includePad && rowPad && iw >= -ww.padBegin && iw < ww.in+ww.padEnd {
					count++
				}
				continue
			}
			v := src[ih*W+iw]
			if isMax {
				if v > m || v != v {
					m = v
				}
			} else {
				acc = acc + v
				count++
			}
		}
	}
	if isMax {
		return m
	}
	if count == 0 {
		return float32(math.NaN())
	}
	return acc / float32(count)
}

// inside is the block of output positions whose whole window lies inside
// the input: there every tap is read, none is padding.
type inside struct{ ohLo, ohHi, owLo, owHi int }

func insideWindows(wh, ww window) inside {
	span := func(w window) (int, int) {
		lo, hi := 0, w.out
		for t := 0; t < w.k; t++ {
			l, h := w.validRange(t)
			lo, hi = max(lo, l), min(hi, h)
		}
		return lo, hi
	}
	var in inside
	in.ohLo, in.ohHi = span(wh)
	in.owLo, in.owHi = span(ww)
	return in
}

// poolInside is poolOne for a window inside the input: the same taps in
// the same order, without the bounds tests (an average divides by kH·kW,
// the count poolOne reaches there).
func poolInside(src []float32, W int, wh, ww window, oh, ow int, isMax bool) float32 {
	base := (oh*wh.stride-wh.padBegin)*W + ow*ww.stride - ww.padBegin
	if isMax {
		m := float32(math.Inf(-1))
		for a := 0; a < wh.k; a++ {
			row := src[base+a*wh.dil*W:]
			for b := 0; b < ww.k; b++ {
				m = maxTap(m, row[b*ww.dil])
			}
		}
		return m
	}
	var acc float32
	for a := 0; a < wh.k; a++ {
		row := src[base+a*wh.dil*W:]
		for b := 0; b < ww.k; b++ {
			acc = acc + row[b*ww.dil]
		}
	}
	return acc / float32(wh.k*ww.k)
}

// poolInsideRow is poolInside for the consecutive outputs (oh, ow0 …),
// four at a time: each keeps its own sequence of taps, and four
// independent chains of compares run side by side instead of one.
func poolInsideRow(src []float32, W int, wh, ww window, oh, ow0 int, dst []float32, isMax bool) {
	j := 0
	if isMax && wh.k == 2 && ww.k == 2 && ww.stride == 2 && ww.dil == 1 {
		// The common 2×2, stride-2 pool: a vector kernel where the level
		// has one (the same taps in the same order), the rest below.
		base := (oh*wh.stride-wh.padBegin)*W + ow0*2 - ww.padBegin
		r1 := base + wh.dil*W
		j = maxPool2Row(dst, src[base:min(len(src), base+2*len(dst))], src[r1:min(len(src), r1+2*len(dst))])
	}
	if isMax {
		step := ww.stride
		for ; j+4 <= len(dst); j += 4 {
			base := (oh*wh.stride-wh.padBegin)*W + (ow0+j)*step - ww.padBegin
			m0, m1, m2, m3 := float32(math.Inf(-1)), float32(math.Inf(-1)), float32(math.Inf(-1)), float32(math.Inf(-1))
			for a := 0; a < wh.k; a++ {
				row := src[base+a*wh.dil*W:]
				for b := 0; b < ww.k; b++ {
					o := b * ww.dil
					m0 = maxTap(m0, row[o])
					m1 = maxTap(m1, row[o+step])
					m2 = maxTap(m2, row[o+2*step])
					m3 = maxTap(m3, row[o+3*step])
				}
			}
			dst[j], dst[j+1], dst[j+2], dst[j+3] = m0, m1, m2, m3
		}
	}
	for ; j < len(dst); j++ {
		dst[j] = poolInside(src, W, wh, ww, oh, ow0+j, isMax)
	}
}

// maxTap is MaxPool's step: the tap replaces the running maximum when it
// is larger or NaN.
func maxTap(m, v float32) float32 {
	if v > m || v != v {
		return v
	}
	return m
}
