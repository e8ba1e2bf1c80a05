package cuda

import (
	"fmt"
	"math"

	"github.com/delphi-network/delphi/runtime"
)

// launch is how one operator runs on the device: the kernel's name, the
// parameter block it reads (the layouts are documented at each kernel in
// kernels/*.cu; element 0 is always the output element count), and how many
// input pointer slots it takes (an absent optional input, Conv's bias or
// Gemm's C, is passed as a null pointer the kernel never reads).
type launch struct {
	kernel string
	params []int64
	slots  int
}

// Op codes shared with kernels/elementwise.cu.
var (
	binaryCodes = map[string]int64{"Add": 0, "Sub": 1, "Mul": 2, "Div": 3}
	unaryCodes  = map[string]int64{"Relu": 0, "Sigmoid": 1, "Tanh": 2}
)

// plan packs an operator's resolved parameters for its kernel. ok is false
// for operators without a kernel (data movement, which stays on the host).
func plan(op *runtime.OpSpec) (l launch, ok bool, err error) {
	if len(op.Out) != 1 {
		return launch{}, false, nil
	}
	count := int64(numel(op.Out[0].Shape))
	b := func(v bool) int64 {
		if v {
			return 1
		}
		return 0
	}
	bits := func(f float32) int64 { return int64(math.Float32bits(f)) }
	switch p := op.Params.(type) {
	case nil:
		return launch{}, false, nil
	case *runtime.ConvParams:
		return launch{"det_conv2d", []int64{count, int64(p.N), int64(p.C), int64(p.H), int64(p.W), int64(p.M),
			int64(p.Group), int64(p.KH), int64(p.KW), int64(p.OH), int64(p.OW), int64(p.StrideH), int64(p.StrideW),
			int64(p.DilH), int64(p.DilW), int64(p.PadTop), int64(p.PadLeft), b(p.Bias)}, 3}, true, nil
	case *runtime.PoolParams:
		return launch{"det_pool2d", []int64{count, b(p.Max), int64(p.N), int64(p.C), int64(p.H), int64(p.W),
			int64(p.KH), int64(p.KW), int64(p.OH), int64(p.OW), int64(p.StrideH), int64(p.StrideW), int64(p.DilH),
			int64(p.DilW), int64(p.PadTop), int64(p.PadLeft), int64(p.PadBottom), int64(p.PadRight),
			b(p.IncludePad)}, 1}, true, nil
	case *runtime.GemmParams:
		return launch{"det_gemm", []int64{count, int64(p.M), int64(p.N), int64(p.K), b(p.TransA), b(p.TransB),
			bits(p.Alpha), bits(p.Beta), b(p.HasC), int64(p.CStrideI), int64(p.CStrideJ)}, 3}, true, nil
	case *runtime.MatMulParams:
		if len(p.StrideA) != len(p.Batch) || len(p.StrideB) != len(p.Batch) {
			return launch{}, false, fmt.Errorf("MatMul batch rank %d with strides %d and %d", len(p.Batch), len(p.StrideA), len(p.StrideB))
		}
		ps := []int64{count, int64(p.M), int64(p.N), int64(p.K), int64(len(p.Batch))}
		for _, s := range [][]int{p.Batch, p.StrideA, p.StrideB} {
			for _, v := range s {
				ps = append(ps, int64(v))
			}
		}
		return launch{"det_matmul", ps, 2}, true, nil
	case *runtime.BinaryParams:
		code, known := binaryCodes[op.Node.OpType]
		if !known || len(p.StrideA) != len(p.Out) || len(p.StrideB) != len(p.Out) {
			return launch{}, false, fmt.Errorf("no binary kernel for %s with rank %d", op.Node.OpType, len(p.Out))
		}
		ps := []int64{count, code, int64(len(p.Out))}
		for _, s := range [][]int{p.Out, p.StrideA, p.StrideB} {
			for _, v := range s {
				ps = append(ps, int64(v))
			}
		}
		return launch{"det_binary", ps, 2}, true, nil
	case *runtime.UnaryParams:
		code, known := unaryCodes[op.Node.OpType]
		if !known {
			return launch{}, false, fmt.Errorf("no unary kernel for %s", op.Node.OpType)
		}
		return launch{"det_unary", []int64{count, code}, 1}, true, nil
	case *runtime.SoftmaxParams:
		return launch{"det_softmax", []int64{count, int64(p.L), int64(p.Inner), b(p.Log)}, 1}, true, nil
	case *runtime.BatchNormParams:
		return launch{"det_batchnorm", []int64{count, int64(p.C), int64(p.Inner), bits(p.Epsilon)}, 5}, true, nil
	}
	return launch{}, false, fmt.Errorf("unknown parameters %T for %s", op.Params, op.Node.OpType)
}

func numel(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}
