package runtime

import "math"

// buildPoolND is MaxPool or AveragePool over any spatial rank (1-D, 3-D,
// ...), and MaxPool with its Indices output, on the CPU reference: the
// taps of an output element in row-major order of the kernel (as the 2-D
// kernel visits kh then kw), padding skipped; max takes v when v > m or v
// is NaN; average adds in float32 and divides by the count (taps inside the
// input, or with count_include_pad the input plus its padding). Indices
// are int64 offsets into the whole input (storage_order 0), of the element
// taken.
func buildPoolND(n *Node, in []TensorInfo, isMax bool) (*step, error) {
	xs := in[0].Shape
	r := len(xs) - 2
	if r < 1 {
		return nil, n.errorf("input %v: want [N, C, spatial...]", xs)
	}
	if len(n.Outputs) > 2 || (!isMax && len(n.Outputs) > 1) {
		return nil, n.errorf("has %d outputs", len(n.Outputs))
	}
	ks, err := n.attrInts("kernel_shape")
	if err != nil {
		return nil, err
	}
	if len(ks) != r {
		return nil, n.errorf("kernel_shape %v for %d spatial axes", ks, r)
	}
	k := make([]int, r)
	for i, v := range ks {
		if v < 1 || v > 1<<16 {
			return nil, n.errorf("kernel_shape %v must be positive", ks)
		}
		k[i] = int(v)
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
	win, err := spatialWindows(n, xs[2:], k, ceil != 0)
	if err != nil {
		return nil, err
	}
	out := []int{xs[0], xs[1]}
	taps := 1
	for _, w := range win {
		out = append(out, w.out)
		taps *= w.k
	}
	if err := checkShape(out); err != nil {
		return nil, n.errorf("output %v: %v", out, err)
	}
	outs := []TensorInfo{{DType: Float32, Shape: out}}
	if len(n.Outputs) == 2 {
		outs = append(outs, TensorInfo{DType: Int64, Shape: out})
	}
	planes, spatialIn, spatialOut := xs[0]*xs[1], numel(xs[2:]), numel(out[2:])
	inStr := strides(xs[2:])
	return &step{outs: outs, flops: i64(numel(out)) * i64(taps), run: func(x []*Tensor, workers int) []*Tensor {
		y := &Tensor{DType: Float32, Shape: out, F: make([]float32, numel(out))}
		var idx *Tensor
		if len(outs) == 2 {
			idx = newOf(Int64, out)
		}
		X := x[0].F
		parallelFor(workers, planes, spatialOut*taps, func(lo, hi int) {
			o := make([]int, r)
			t := make([]int, r)
			for p := lo; p < hi; p++ {
				for e := 0; e < spatialOut; e++ {
					rest := e
					for d := r - 1; d >= 0; d-- {
						o[d] = rest % win[d].out
						rest /= win[d].out
					}
					for d := range t {
						t[d] = 0
					}
					m, arg := float32(math.Inf(-1)), -1
					var acc float32
					count := 0
					for tap := 0; tap < taps; tap++ {
						off, inside, padded := 0, true, true
						for d := 0; d < r; d++ {
							w := win[d]
							i := o[d]*w.stride - w.padBegin + t[d]*w.dil
							if i < 0 || i >= w.in {
								inside = false
								padded = padded && i >= -w.padBegin && i < w.in+w.padEnd
							}
							off += i * inStr[d]
						}
						switch {
						case inside:
							v := X[p*spatialIn+off]
							if isMax {
								if v > m || v != v {
									m, arg = v, p*spatialIn+off
								}
							} else {
								acc = acc + v
								count++
							}
						case cip != 0 && padded:
							count++
						}
						for d := r - 1; d >= 0; d-- {
							if t[d]++; t[d] < win[d].k {
								break
							}
							t[d] = 0
						}
					}
					dst := p*spatialOut + e
					switch {
					case isMax:
						y.F[dst] = m
						if idx != nil {
							idx.I[dst] = int64(arg)
						}
					case count == 0:
						y.F[dst] = float32(math.NaN())
					default:
						y.F[dst] = acc / float32(count)
					}
				}
			}
		})
		if idx != nil {
			return []*Tensor{y, idx}
		}
		return []*Tensor{y}
	}}, nil
}
