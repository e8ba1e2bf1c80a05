package runtime

// window describes a sliding window along one spatial axis, shared by Conv
// and the pools: input length, kernel extent, stride, dilation, the padding
// before the first element, and the output length.
type window struct {
	in, k, stride, dil, padBegin, padEnd, out int
}

// span is the number of input positions one window covers.
func (w window) span() int { return (w.k-1)*w.dil + 1 }

// validRange returns the outputs o whose tap t lands inside the input:
// 0 <= o*stride - padBegin + t*dil < in. Taps outside are padding, which the
// runtime skips (padding never contributes a term to a reduction).
func (w window) validRange(t int) (lo, hi int) {
	off := t*w.dil - w.padBegin
	// smallest o with o*stride + off >= 0
	lo = 0
	if off < 0 {
		lo = (-off + w.stride - 1) / w.stride
	}
	// largest o with o*stride + off <= in-1, plus one
	if w.in-1-off < 0 {
		return lo, lo
	}
	hi = (w.in-1-off)/w.stride + 1
	hi = min(hi, w.out)
	if hi < lo {
		hi = lo
	}
	return lo, hi
}

// spatialWindows reads auto_pad, pads, strides and dilations for a node with
// the given input spatial dims and kernel dims, and returns one window per
// axis. ceil applies the pools' ceil_mode.
func spatialWindows(n *Node, in, k []int, ceil bool) ([]window, error) {
	r := len(in)
	strides, err := n.attrIntsLen("strides", r, 1, 1)
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
	autoPad, err := n.attrString("auto_pad", "NOTSET")
	if err != nil {
		return nil, err
	}
	ws := make([]window, r)
	for i := range ws {
		w := window{in: in[i], k: k[i], stride: strides[i], dil: dil[i]}
		if w.k < 1 {
			return nil, n.errorf("kernel dimension %d is %d", i, w.k)
		}
		switch autoPad {
		case "NOTSET":
			w.padBegin, w.padEnd = pads[i], pads[i+r]
			total := w.in + pads[i] + pads[i+r] - w.span()
			if total < 0 {
				return nil, n.errorf("window %d (span %d) larger than padded input %d", i, w.span(), w.in+pads[i]+pads[i+r])
			}
			if ceil {
				w.out = (total+w.stride-1)/w.stride + 1
				// ONNX: the last window must start inside the input or left padding
				if (w.out-1)*w.stride >= w.in+pads[i] {
					w.out--
				}
			} else {
				w.out = total/w.stride + 1
			}
		case "VALID":
			if w.in < w.span() {
				return nil, n.errorf("window %d (span %d) larger than input %d", i, w.span(), w.in)
			}
			w.out = (w.in-w.span())/w.stride + 1
		case "SAME_UPPER", "SAME_LOWER":
			w.out = (w.in + w.stride - 1) / w.stride
			total := max(0, (w.out-1)*w.stride+w.span()-w.in)
			if autoPad == "SAME_UPPER" {
				w.padBegin = total / 2
			} else {
				w.padBegin = total - total/2
			}
			w.padEnd = total - w.padBegin
		default:
			return nil, n.errorf("unknown auto_pad %q", autoPad)
		}
		if w.out < 1 {
			return nil, n.errorf("output dimension %d would be %d", i, w.out)
		}
		ws[i] = w
	}
	return ws, nil
}
