package runtime

// arithRow computes one row of Add/Sub/Mul/Div for the strides broadcasting
// produces most (both operands advancing, or one held), each loop over
// plain slices so the compiler drops bounds checks and indirect calls. It
// reports false for other strides. Every element is still one IEEE
// operation (Mul's product is its own rounding), so no bits change.
func arithRow(op byte, dst, a []float32, ia, sa int, b []float32, ib, sb int) bool {
	n := len(dst)
	switch {
	case sa == 1 && sb == 1:
		x, y := a[ia:ia+n], b[ib:ib+n]
		switch op {
		case '+':
			for j := range dst {
				dst[j] = x[j] + y[j]
			}
		case '-':
			for j := range dst {
				dst[j] = x[j] - y[j]
			}
		case '*':
			for j := range dst {
				dst[j] = float32(x[j] * y[j])
			}
		default:
			for j := range dst {
				dst[j] = x[j] / y[j]
			}
		}
	case sa == 1 && sb == 0:
		x, y := a[ia:ia+n], b[ib]
		switch op {
		case '+':
			for j := range dst {
				dst[j] = x[j] + y
			}
		case '-':
			for j := range dst {
				dst[j] = x[j] - y
			}
		case '*':
			for j := range dst {
				dst[j] = float32(x[j] * y)
			}
		default:
			for j := range dst {
				dst[j] = x[j] / y
			}
		}
	case sa == 0 && sb == 1:
		x, y := a[ia], b[ib:ib+n]
		switch op {
		case '+':
			for j := range dst {
				dst[j] = x + y[j]
			}
		case '-':
			for j := range dst {
				dst[j] = x - y[j]
			}
		case '*':
			for j := range dst {
				dst[j] = float32(x * y[j])
			}
		default:
			for j := range dst {
				dst[j] = x / y[j]
			}
		}
	default:
		return false
	}
	return true
}
