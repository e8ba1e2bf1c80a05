package runtime

// Files of opset 1 to 6. ONNX changed the meaning of many operators at
// opset 7 (the binary operators, PRelu, Gemm and the comparisons broadcast
// only with a `broadcast` attribute before it; BatchNormalization and
// Dropout had other attributes and outputs; Reshape, Cast, Tile, Concat
// and Pad took other attributes or inputs), and the builders follow opset
// 7 and later. So before opset 7 a node is read only when its operator
// means at that opset what it means at opset 7 — its later definitions
// (6, where it has one) only dropped the legacy `consumed_inputs`
// attribute, which nothing reads — and refused otherwise, naming it.
var sameBefore7 = map[string]bool{
	// element-wise unary and activations (versions 1 and 6)
	"Abs": true, "Ceil": true, "Elu": true, "Exp": true, "Floor": true,
	"HardSigmoid": true, "LeakyRelu": true, "Log": true, "Neg": true,
	"Reciprocal": true, "Relu": true, "Selu": true, "Sigmoid": true,
	"Sqrt": true, "Tanh": true, "Clip": true,
	// version 1 until after opset 7
	"Softplus": true, "Softsign": true, "Not": true, "Identity": true,
	"Constant": true, "Transpose": true, "Flatten": true, "Shape": true,
	"Size": true, "Gather": true, "Softmax": true, "LogSoftmax": true,
	"Hardmax": true, "MatMul": true, "Conv": true, "MaxPool": true,
	"GlobalAveragePool": true, "GlobalMaxPool": true,
	"Squeeze": true, "Unsqueeze": true, "DepthToSpace": true, "SpaceToDepth": true,
	"ArgMax": true, "ArgMin": true, "InstanceNormalization": true, "LRN": true,
	"ReduceSum": true, "ReduceMean": true, "ReduceMax": true, "ReduceMin": true,
	"ReduceProd": true, "ReduceL1": true, "ReduceL2": true, "ReduceLogSum": true,
	"ReduceLogSumExp": true, "ReduceSumSquare": true,
}

// checkOpsetBefore7 refuses a node of a file before opset 7 whose operator
// changed meaning at 7 or did not exist yet. Opset 0 is a node built in Go
// without one (ParseONNX refuses opset 0 in a file).
func checkOpsetBefore7(n *Node) error {
	if n.Opset == 0 || n.Opset >= 7 || sameBefore7[n.OpType] {
		return nil
	}
	return n.errorf("opset %d: this operator's definition changed at opset 7 or did not exist before it; the runtime reads it from opset 7 on", n.Opset)
}
