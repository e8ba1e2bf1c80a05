package train

import (
	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/onnxpb"
)

// prep is the input normalisation built into an exported graph, so that
// every model reads the benchmark's raw values:
//
//	images:  Flatten(input) -> Mul(scale)            scale = 1/255
//	tabular: Sub(input, mean) -> Mul(invstd)         per-feature [F] constants
//
// apply computes exactly what those nodes compute.
type prep struct {
	image     bool
	mean, inv []float32
}

func (p *prep) apply(x, dst []float32) {
	if p.image {
		scaleInput(x, dst)
		return
	}
	for i, v := range x {
		dst[i] = float32((v - p.mean[i]) * p.inv[i])
	}
}

func (p *prep) nodes() []node {
	if p.image {
		return []node{
			{op: "Flatten", in: []string{"input"}, out: []string{"flat"}},
			{op: "Mul", in: []string{"flat", "scale"}, out: []string{"x"}},
		}
	}
	return []node{
		{op: "Sub", in: []string{"input", "mean"}, out: []string{"centered"}},
		{op: "Mul", in: []string{"centered", "invstd"}, out: []string{"x"}},
	}
}

func (p *prep) initializers() []*onnxpb.TensorProto {
	f32 := int32(onnxpb.TensorProto_FLOAT)
	if p.image {
		return []*onnxpb.TensorProto{{Name: "scale", DataType: f32, FloatData: []float32{scale255}}}
	}
	F := int64(len(p.mean))
	return []*onnxpb.TensorProto{
		{Name: "mean", Dims: []int64{F}, DataType: f32, FloatData: p.mean},
		{Name: "invstd", Dims: []int64{F}, DataType: f32, FloatData: p.inv},
	}
}

// standardize computes per-feature mean and 1/std over the training
// examples, summing in example order in float32; a constant feature gets
// 1/std = 1.
func standardize(x func(i int) []float32, n, F int) *prep {
	p := &prep{mean: make([]float32, F), inv: make([]float32, F)}
	for i := 0; i < n; i++ {
		for j, v := range x(i) {
			p.mean[j] = p.mean[j] + v
		}
	}
	for j := range p.mean {
		p.mean[j] = p.mean[j] / float32(n)
	}
	vr := make([]float32, F)
	for i := 0; i < n; i++ {
		for j, v := range x(i) {
			d := v - p.mean[j]
			vr[j] = vr[j] + float32(d*d)
		}
	}
	for j := range vr {
		sd := runtime.Sqrt(vr[j] / float32(n))
		p.inv[j] = 1
		if sd > 0 {
			p.inv[j] = 1 / sd
		}
	}
	return p
}
