package runtime

import (
	"fmt"
	"math"
)

// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss (inference: the
// loss value). For input of shape (N, C, d1, ..., dk) and an int64 target
// of shape (N, d1, ..., dk), element e with class t = target[e] gives
//
//	w_e = weight[t] (1 without weights); l_e = −float32(input[n, t, d]·w_e)
//	(0 and w_e = 0 where t is ignore_index; any other t outside [0, C)
//	fails the item's run)
//
// in row-major order of the target. reduction "none" outputs l; "sum" the
// float64 sum of l in that order, rounded once; "mean" (the default) that
// sum divided by the float64 sum of the w_e. SoftmaxCrossEntropyLoss first
// takes LogSoftmax over axis 1 in Softmax's canonical order (op_softmax.go)
// and can output it as its second output.
func init() {
	register("NegativeLogLikelihoodLoss", func(n *Node, in []TensorInfo) (*step, error) { return buildLoss(n, in, false) })
	register("SoftmaxCrossEntropyLoss", func(n *Node, in []TensorInfo) (*step, error) { return buildLoss(n, in, true) })
}

func buildLoss(n *Node, in []TensorInfo, softmax bool) (*step, error) {
	if err := wantInputs(n, in, 2, 3); err != nil {
		return nil, err
	}
	if err := wantFloat(n, in, 0); err != nil {
		return nil, err
	}
	shape, tshape := in[0].Shape, in[1].Shape
	if in[1].DType != Int64 {
		return nil, n.errorf("target is %s, want int64", in[1].DType)
	}
	if len(shape) < 2 || len(tshape) != len(shape)-1 || tshape[0] != shape[0] || !sameShape(tshape[1:], shape[2:]) {
		return nil, n.errorf("input %v and target %v: want (N, C, d...) and (N, d...)", shape, tshape)
	}
	C := shape[1]
	if len(in) == 3 {
		if err := wantFloat(n, in, 2); err != nil {
			return nil, err
		}
		if !sameShape(in[2].Shape, []int{C}) {
			return nil, n.errorf("weight %v: want (%d)", in[2].Shape, C)
		}
	}
	reduction, err := n.attrString("reduction", "mean")
	if err != nil {
		return nil, err
	}
	if reduction != "none" && reduction != "sum" && reduction != "mean" {
		return nil, n.errorf("reduction %q: want none, sum or mean", reduction)
	}
	_, hasIgnore := n.Attrs["ignore_index"]
	ignore, err := n.attrInt("ignore_index", 0)
	if err != nil {
		return nil, err
	}
	wantLogProb := softmax && len(n.Outputs) > 1
	outShape := []int{}
	if reduction == "none" {
		outShape = tshape
	}
	outs := floatOut(outShape)
	if wantLogProb {
		outs = append(outs, TensorInfo{DType: Float32, Shape: shape})
	}
	N, inner := shape[0], numel(shape[2:])
	size := numel(shape)
	return &step{outs: outs, flops: i64(size) * 20, run: func(x []*Tensor, _ int) []*Tensor {
		scores := x[0].F
		var logp *Tensor
		if softmax {
			logp = &Tensor{DType: Float32, Shape: shape, F: make([]float32, size)}
			for b := 0; b < N; b++ {
				for d := 0; d < inner; d++ {
					softmaxGroup(scores, logp.F, b*C*inner+d, inner, C, true)
				}
			}
			scores = logp.F
		}
		target := x[1].I
		loss := make([]float32, len(target))
		sum, weights := 0.0, 0.0
		for e, t := range target {
			if hasIgnore && t == ignore {
				continue
			}
			if t < 0 || t >= int64(C) {
				panic(fmt.Sprintf("target %d out of range for %d classes", t, C))
			}
			w := float32(1)
			if len(x) == 3 {
				w = x[2].F[t]
			}
			b, d := e/inner, e%inner
			loss[e] = -float32(scores[(b*C+int(t))*inner+d] * w)
			sum += float64(loss[e])
			weights += float64(w)
		}
		var out *Tensor
		switch reduction {
		case "none":
			out = &Tensor{DType: Float32, Shape: outShape, F: loss}
		case "sum":
			out = &Tensor{DType: Float32, Shape: outShape, F: []float32{float32(sum)}}
		default:
			m := math.NaN()
			if weights != 0 {
				m = sum / weights
			}
			out = &Tensor{DType: Float32, Shape: outShape, F: []float32{float32(m)}}
		}
		if wantLogProb {
			return []*Tensor{out, logp}
		}
		return []*Tensor{out}
	}}, nil
}
