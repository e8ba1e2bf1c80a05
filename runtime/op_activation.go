package runtime

// Erf and Gelu (ONNX opset 20: approximate = "none" | "tanh"), elementwise
// with the deterministic functions of detmath_erf.go. They have no
// parameters for a Backend (params nil), so every backend keeps the CPU
// reference kernel for them. SiLU is Mul(x, Sigmoid(x)) in a graph.

func init() {
	register("Erf", elementwiseCPU(func(*Node) (func(float32) float32, error) { return Erf, nil }))
	register("Gelu", elementwiseCPU(func(n *Node) (func(float32) float32, error) {
		switch approx, err := n.attrString("approximate", "none"); {
		case err != nil:
			return nil, err
		case approx == "none":
			return Gelu, nil
		case approx == "tanh":
			return GeluTanh, nil
		default:
			return nil, n.errorf("approximate %q: want none or tanh", approx)
		}
	}))
}

// elementwiseCPU builds a float32 → float32 elementwise op whose function
// may depend on the node's attributes.
func elementwiseCPU(pick func(*Node) (func(float32) float32, error)) builder {
	return func(n *Node, in []TensorInfo) (*step, error) {
		if err := wantInputs(n, in, 1, 1); err != nil {
			return nil, err
		}
		if err := wantFloat(n, in, 0); err != nil {
			return nil, err
		}
		f, err := pick(n)
		if err != nil {
			return nil, err
		}
		shape := in[0].Shape
		size := numel(shape)
		return &step{outs: floatOut(shape), flops: 20 * i64(size), run: func(x []*Tensor, w int) []*Tensor {
			out := &Tensor{DType: Float32, Shape: shape, F: make([]float32, size)}
			src := x[0].F
			parallelFor(w, size, 16, func(lo, hi int) {
				for i := lo; i < hi; i++ {
					out.F[i] = f(src[i])
				}
			})
			return []*Tensor{out}
		}}, nil
	}
}
