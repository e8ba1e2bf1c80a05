package runtime

import (
	"sort"
	"strings"
)

// Einsum over float32, float64 or one integer type: "ij,jk->ik", implicit
// outputs (the labels seen once, in alphabetical order), repeated labels
// (diagonals), and "..." (broadcast dimensions, right-aligned). The order:
// for each output element, the summed labels in the order they first
// appear in the inputs, the first outermost, each an ascending odometer;
// each term is the operands' elements multiplied left to right (float
// products rounded alone, integers wrapped), added to an accumulator from
// +0 in that order.

func init() { register("Einsum", buildEinsum) }

// maxEinsumOperands bounds an Einsum's operands (its tables grow with
// operands × labels).
const maxEinsumOperands = 32

// einsumLabel is a label's id: letters by their byte, "..." dimensions
// as 256 + position.
type einsumLabel int

func parseEinsumTerm(n *Node, term string, rank, ell int) ([]einsumLabel, error) {
	var out []einsumLabel
	dots := strings.Count(term, "...")
	if dots > 1 {
		return nil, n.errorf("term %q has more than one ellipsis", term)
	}
	letters := len(strings.ReplaceAll(term, "...", ""))
	for i := 0; i < len(term); i++ {
		c := term[i]
		switch {
		case strings.HasPrefix(term[i:], "..."):
			k := rank - letters
			if k < 0 || k > ell {
				return nil, n.errorf("term %q does not fit an input of rank %d", term, rank)
			}
			for j := 0; j < k; j++ {
				out = append(out, einsumLabel(256+ell-k+j))
			}
			i += 2
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			out = append(out, einsumLabel(c))
		default:
			return nil, n.errorf("term %q: %q is not a label", term, c)
		}
	}
	if dots == 0 && len(out) != rank {
		return nil, n.errorf("term %q has %d labels for an input of rank %d", term, len(out), rank)
	}
	return out, nil
}

func buildEinsum(n *Node, in []TensorInfo) (*step, error) {
	if len(in) < 1 || len(in) > maxEinsumOperands {
		return nil, n.errorf("has %d operands: want 1 to %d", len(in), maxEinsumOperands)
	}
	dt := in[0].DType
	for i := range in {
		if in[i].DType != dt || (dt != Float32 && dt != Float64 && !dt.integer()) {
			return nil, n.errorf("input %d is %s: want one type, float32, float64 or an integer type", i, in[i].DType)
		}
	}
	eq, err := n.attrString("equation", "")
	if err != nil {
		return nil, err
	}
	eq = strings.ReplaceAll(eq, " ", "")
	lhs, rhs, explicit := strings.Cut(eq, "->")
	terms := strings.Split(lhs, ",")
	if len(terms) != len(in) {
		return nil, n.errorf("equation %q has %d terms for %d inputs", eq, len(terms), len(in))
	}
	ell := 0 // the most dimensions any "..." covers
	for k, term := range terms {
		if strings.Contains(term, "...") {
			ell = max(ell, len(in[k].Shape)-len(strings.ReplaceAll(term, "...", "")))
		}
	}
	size := map[einsumLabel]int{}
	var order []einsumLabel // labels by first appearance
	count := map[einsumLabel]int{}
	labels := make([][]einsumLabel, len(in))
	for k, term := range terms {
		if labels[k], err = parseEinsumTerm(n, term, len(in[k].Shape), ell); err != nil {
			return nil, err
		}
		for d, l := range labels[k] {
			dim := in[k].Shape[d]
			if s, ok := size[l]; !ok {
				size[l] = dim
				order = append(order, l)
			} else if s != dim {
				switch {
				case l >= 256 && s == 1:
					size[l] = dim // "..." dimensions broadcast
				case l >= 256 && dim == 1:
				default:
					return nil, n.errorf("label %q is %d in one place and %d in another", rune(l), s, dim)
				}
			}
			count[l]++
		}
	}
	var out []einsumLabel
	if explicit {
		for i := 0; i < len(rhs); i++ {
			switch c := rhs[i]; {
			case strings.HasPrefix(rhs[i:], "..."):
				for j := 0; j < ell; j++ {
					out = append(out, einsumLabel(256+j))
				}
				i += 2
			case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
				out = append(out, einsumLabel(c))
			default:
				return nil, n.errorf("output %q: %q is not a label", rhs, c)
			}
		}
	} else {
		for j := 0; j < ell; j++ {
			out = append(out, einsumLabel(256+j))
		}
		var once []einsumLabel
		for _, l := range order {
			if count[l] == 1 && l < 256 {
				once = append(once, l)
			}
		}
		sort.Slice(once, func(i, j int) bool { return once[i] < once[j] })
		out = append(out, once...)
	}
	inOut := map[einsumLabel]bool{}
	outShape := make([]int, len(out))
	for i, l := range out {
		s, ok := size[l]
		if !ok || inOut[l] {
			return nil, n.errorf("output label %q is repeated or in no input", rune(l))
		}
		inOut[l] = true
		outShape[i] = s
	}
	var summed []einsumLabel
	for _, l := range order {
		if !inOut[l] {
			summed = append(summed, l)
		}
	}
	// Every label is a slot of the index vector: output labels first.
	slot := map[einsumLabel]int{}
	for i, l := range out {
		slot[l] = i
	}
	for i, l := range summed {
		slot[l] = len(out) + i
	}
	nl := len(out) + len(summed)
	// move[k][slot]: how operand k's offset moves with each label (0 on a
	// broadcast "..." dimension; summed for a repeated label: a diagonal).
	move := make([][]int, len(in))
	for k := range in {
		move[k] = make([]int, nl)
		st := strides(in[k].Shape)
		for d, l := range labels[k] {
			if in[k].Shape[d] != 1 || size[l] == 1 {
				move[k][slot[l]] += st[d]
			}
		}
	}
	if err := checkShape(outShape); err != nil {
		return nil, n.errorf("output: %v", err)
	}
	sumSizes := make([]int, len(summed))
	cost := int64(1)
	for i, l := range summed {
		sumSizes[i] = size[l]
		cost = satMul(cost, i64(size[l]))
	}
	total := numel(outShape)
	flops := satMul(i64(total), cost, i64(len(in)*nl))
	if cost > maxElements {
		return nil, n.errorf("sums over %d terms per output element", cost)
	}
	terms2 := int(cost)
	return &step{outs: []TensorInfo{{DType: dt, Shape: outShape}}, flops: flops, run: func(x []*Tensor, _ int) []*Tensor {
		t := newOf(dt, outShape)
		idx := make([]int, nl)
		for e := 0; e < total; e++ {
			rest := e
			for d := len(out) - 1; d >= 0; d-- {
				idx[d] = rest % outShape[d]
				rest /= outShape[d]
			}
			var fa float32
			var da float64
			var ia int64
			for j := len(out); j < nl; j++ {
				idx[j] = 0
			}
			for s := 0; s < terms2; s++ {
				var fp float32 = 1
				var dp float64 = 1
				var ip int64 = 1
				for k := range x {
					off := 0
					for j, v := range idx {
						off += v * move[k][j]
					}
					switch {
					case dt == Float32:
						if k == 0 {
							fp = x[k].F[off]
						} else {
							fp = float32(fp * x[k].F[off])
						}
					case dt == Float64:
						if k == 0 {
							dp = f64(x[k], off)
						} else {
							dp = float64(dp * f64(x[k], off))
						}
					default:
						ip = dt.wrap(ip * x[k].I[off])
					}
				}
				fa, da, ia = fa+fp, da+dp, dt.wrap(ia+ip)
				for j := nl - 1; j >= len(out); j-- {
					if idx[j]++; idx[j] < sumSizes[j-len(out)] {
						break
					}
					idx[j] = 0
				}
			}
			switch {
			case dt == Float32:
				t.F[e] = fa
			case dt == Float64:
				t.I[e] = f64bits(da)
			default:
				t.I[e] = ia
			}
		}
		return []*Tensor{t}
	}}, nil
}
