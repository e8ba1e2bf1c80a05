package runtime

import "math"

// TensorInfo is what compilation knows about a value before any item runs:
// its type and shape, and its contents when it is a compile-time constant
// (an initializer or a Constant node's output). Shapes are static: the
// runtime evaluates one item at a time with the benchmark's fixed input shape,
// so every shape and every FLOP count is known before the first item runs.
type TensorInfo struct {
	DType DType
	Shape []int
	Const *Tensor
}

// absent reports whether the info stands for an omitted optional input
// (an empty name before a present input, for the operators that take one:
// acceptsAbsent); its run argument is nil.
func (ti TensorInfo) absent() bool { return ti.DType == 0 }

// absentSlot is the value slot of an omitted optional input.
const absentSlot = -1

// acceptsAbsent names the operators whose builders read an omitted
// optional input before a present one (Resize(X, "", scales), Clip(x, "",
// max), Pad(x, pads, "", axes)); for any other, Compile refuses it.
var acceptsAbsent = map[string]bool{"Clip": true, "Resize": true, "Pad": true, "RNN": true, "GRU": true, "LSTM": true, "NonMaxSuppression": true, "Loop": true}

// step is a compiled node: its output infos, its cost estimate, and a run
// function that trusts its inputs to have the compiled shapes (the executor
// guarantees it).
type step struct {
	outs   []TensorInfo
	flops  int64
	run    func(in []*Tensor, workers int) []*Tensor
	params any // resolved kernel parameters for a Backend (OpSpec.Params); nil for data movement
	// fresh: run always returns newly allocated float32 outputs (from
	// newFloats) that alias nothing, so a recycling run may hand them back
	// when the item is done (bufpool.go). A Backend's kernel never is.
	fresh bool
}

// builder validates a node against its input infos and compiles it.
type builder func(n *Node, in []TensorInfo) (*step, error)

// builders maps an ONNX op_type to its builder. It is only ever indexed by
// key, so Go's randomised map iteration order never matters.
var builders = map[string]builder{}

// register adds op builders at init time; each op file registers its own.
func register(op string, b builder) { builders[op] = b }

// SupportedOps reports whether op is implemented by the runtime.
func SupportedOp(op string) bool { _, ok := builders[op]; return ok }

// wantInputs checks the count of present inputs (lo..hi) and that all are float32,
// except the positions listed in intPos, which must be int64.
func wantInputs(n *Node, in []TensorInfo, lo, hi int) error {
	if len(in) < lo || len(in) > hi {
		if lo == hi {
			return n.errorf("has %d inputs, want %d", len(in), lo)
		}
		return n.errorf("has %d inputs, want %d to %d", len(in), lo, hi)
	}
	return nil
}

// wantFloat checks that input i is a float32 tensor.
func wantFloat(n *Node, in []TensorInfo, i int) error {
	if in[i].DType != Float32 {
		return n.errorf("input %d is %s, want float32", i, in[i].DType)
	}
	return nil
}

// floatOut is a single float32 output info.
func floatOut(shape []int) []TensorInfo {
	return []TensorInfo{{DType: Float32, Shape: shape}}
}

// i64 converts a checked element count to int64 for cost sums.
func i64(x int) int64 { return int64(x) }

// satMul multiplies non-negative costs, saturating at MaxInt64 rather than
// wrapping: a crafted shape must not make a cost estimate small.
func satMul(xs ...int64) int64 {
	p := int64(1)
	for _, x := range xs {
		switch {
		case x < 0:
			return math.MaxInt64
		case x == 0:
			return 0
		case p > math.MaxInt64/x:
			p = math.MaxInt64
		default:
			p *= x
		}
	}
	return p
}

// costly scales a builder's FLOP estimate for kernels whose per-element
// work is several FLOPs' worth (a big-number argument reduction, a
// square-and-multiply loop), so limits and referee bounds see it.
func costly(b builder, factor int64) builder {
	return func(n *Node, in []TensorInfo) (*step, error) {
		st, err := b(n, in)
		if st != nil {
			st.flops = satMul(st.flops, factor)
		}
		return st, err
	}
}
