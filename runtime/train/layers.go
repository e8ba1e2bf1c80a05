package train

import "github.com/delphi-network/delphi/runtime"

// The forward passes below compute exactly what the runtime computes for
// the exported graph (same operations, same order), so a model's training-
// time predictions equal its runtime predictions bit for bit.

// param is one trainable tensor, exported as an initializer of that name.
type param struct {
	name  string
	shape []int
	w     []float32
}

// dense computes y[o] = (sum_i W[o,i] x[i], i ascending) + b[o]: the
// runtime's Gemm with transB=1, alpha=beta=1.
func dense(W, b, x, y []float32) {
	in := len(x)
	for o := range y {
		var acc float32
		row := W[o*in : (o+1)*in]
		for i, v := range x {
			acc = acc + float32(row[i]*v)
		}
		y[o] = acc + b[o]
	}
}

// denseBack accumulates dW += dz x^T, db += dz and, when dx != nil, sets
// dx[i] = sum_o W[o,i] dz[o] (o ascending).
func denseBack(W, x, dz, gW, gb, dx []float32) {
	in := len(x)
	for o, d := range dz {
		row := gW[o*in : (o+1)*in]
		for i, v := range x {
			row[i] = row[i] + float32(d*v)
		}
		gb[o] = gb[o] + d
	}
	if dx == nil {
		return
	}
	for i := range dx {
		dx[i] = 0
	}
	for o, d := range dz {
		row := W[o*in : (o+1)*in]
		for i := range dx {
			dx[i] = dx[i] + float32(row[i]*d)
		}
	}
}

// softmaxGrad turns logits into dz = softmax(z) - onehot(label), using the
// runtime's Softmax order, and reports whether argmax(z) == label.
func softmaxGrad(z []float32, label int) bool {
	ok := runtime.Argmax(z) == label
	m := z[0]
	for _, v := range z[1:] {
		if v > m {
			m = v
		}
	}
	var s float32
	for j, v := range z {
		z[j] = runtime.Exp(v - m)
		s = s + z[j]
	}
	for j := range z {
		z[j] = z[j] / s
	}
	z[label] = z[label] - 1
	return ok
}

// scale255 is the input normalisation folded into every exported graph
// (Mul by this constant): pixels 0..255 to 0..1.
const scale255 = float32(1.0 / 255)

func scaleInput(x, dst []float32) {
	for i, v := range x {
		dst[i] = float32(v * scale255)
	}
}

func relu(v []float32) {
	for i, x := range v {
		if x <= 0 {
			v[i] = 0
		}
	}
}

// glorot fills w with uniform values in +-sqrt(6/(fanIn+fanOut)).
func glorot(s *stream, w []float32, fanIn, fanOut int) {
	a := runtime.Sqrt(float32(6) / float32(fanIn+fanOut))
	for i := range w {
		w[i] = s.uniform(a)
	}
}
