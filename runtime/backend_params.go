package runtime

// Kernel parameters as the CPU builders resolve them, handed to a Backend in
// OpSpec.Params. Every index follows the reduction order documented in
// README.md and in each op file; a backend needs nothing else to reproduce it.

// ConvParams: NCHW input N×C×H×W, weights M×(C/Group)×KH×KW, output
// N×M×OH×OW; Bias says whether input 2 (b[M]) is present.
type ConvParams struct {
	N, C, H, W, M, Group, KH, KW, OH, OW int
	StrideH, StrideW, DilH, DilW         int
	PadTop, PadLeft                      int
	Bias                                 bool
}

// PoolParams: MaxPool (Max) or AveragePool over N×C×H×W. PadBottom and
// PadRight only matter for AveragePool's count with IncludePad.
type PoolParams struct {
	Max                                  bool
	N, C, H, W, KH, KW, OH, OW           int
	StrideH, StrideW, DilH, DilW         int
	PadTop, PadLeft, PadBottom, PadRight int
	IncludePad                           bool
}

// GemmParams: y[M×N] = alpha·(A·B) (+ beta·C). A is M×K (K×M with TransA),
// B is K×N (N×K with TransB); C[i,j] sits at i·CStrideI + j·CStrideJ (0 on a
// broadcast axis) when HasC.
type GemmParams struct {
	M, N, K            int
	TransA, TransB     bool
	Alpha, Beta        float32
	HasC               bool
	CStrideI, CStrideJ int
}

// MatMulParams: one M×K by K×N product per element of the broadcast batch
// shape Batch; the batch at multi-index i reads matrix Σ i_d·StrideA[d] of A
// and Σ i_d·StrideB[d] of B (counted in matrices; 0 on a broadcast axis).
// O(rank) in size, so a hostile model with many batches costs nothing here.
type MatMulParams struct {
	M, N, K          int
	Batch            []int
	StrideA, StrideB []int
}

// BinaryParams: Add/Sub/Mul/Div with numpy broadcasting. Output element at
// multi-index i reads a at Σ i_d·StrideA[d] and b at Σ i_d·StrideB[d].
type BinaryParams struct {
	Out              []int
	StrideA, StrideB []int
}

// UnaryParams: Relu, Sigmoid, Tanh over Size elements.
type UnaryParams struct{ Size int }

// SoftmaxParams: Outer×Inner groups of L elements; group g's element j is at
// (g/Inner)·L·Inner + g%Inner + j·Inner. Log selects LogSoftmax.
type SoftmaxParams struct {
	Outer, L, Inner int
	Log             bool
}

// BatchNormParams: C channels (axis 1), Inner elements per channel plane.
type BatchNormParams struct {
	Size, C, Inner int
	Epsilon        float32
}
