package train

import "fmt"

// net is a trainable architecture over 28x28 single-channel images.
type net interface {
	params() []*param
	// worker returns per-goroutine scratch state bound to the parameters.
	worker() worker
	// nodes returns the ONNX graph from "input" [1,1,28,28] to "logits"
	// [1,10], reading the parameters by name (see export.go).
	nodes() []node
}

// worker runs one sample forward and backward.
type worker interface {
	// accumulate adds the sample's gradient into g (laid out like params)
	// and reports whether the prediction before the update was right.
	accumulate(x []float32, label int, g [][]float32) bool
}

// node is an ONNX node in a compact form for export.
type node struct {
	op      string
	in, out []string
	ints    map[string][]int64
	int1    map[string]int64
}

const pixels = 28 * 28

func newNet(kind string, hidden int, s *stream) (net, error) {
	switch kind {
	case "logreg":
		n := &logreg{W: &param{"W", []int{10, pixels}, make([]float32, 10*pixels)}, b: &param{"b", []int{10}, make([]float32, 10)}}
		glorot(s, n.W.w, pixels, 10)
		return n, nil
	case "mlp":
		if hidden < 1 || hidden > 4096 {
			return nil, fmt.Errorf("mlp hidden size %d out of range", hidden)
		}
		n := &mlp{
			W1: &param{"W1", []int{hidden, pixels}, make([]float32, hidden*pixels)}, b1: &param{"b1", []int{hidden}, make([]float32, hidden)},
			W2: &param{"W2", []int{10, hidden}, make([]float32, 10*hidden)}, b2: &param{"b2", []int{10}, make([]float32, 10)},
		}
		glorot(s, n.W1.w, pixels, hidden)
		glorot(s, n.W2.w, hidden, 10)
		return n, nil
	case "cnn":
		n := newCNN()
		glorot(s, n.K.w, 25, cnnChannels*25)
		glorot(s, n.W.w, cnnFlat, 10)
		return n, nil
	}
	return nil, fmt.Errorf("unknown model kind %q (logreg, mlp, cnn)", kind)
}

// logreg: logits = W (x/255) + b.
type logreg struct{ W, b *param }

func (n *logreg) params() []*param { return []*param{n.W, n.b} }

func (n *logreg) nodes() []node {
	return []node{
		{op: "Flatten", in: []string{"input"}, out: []string{"flat"}},
		{op: "Mul", in: []string{"flat", "scale"}, out: []string{"x"}},
		{op: "Gemm", in: []string{"x", "W", "b"}, out: []string{"logits"}, int1: map[string]int64{"transB": 1}},
	}
}

type logregWorker struct {
	n    *logreg
	x, z []float32
}

func (n *logreg) worker() worker {
	return &logregWorker{n: n, x: make([]float32, pixels), z: make([]float32, 10)}
}

func (w *logregWorker) accumulate(img []float32, label int, g [][]float32) bool {
	scaleInput(img, w.x)
	dense(w.n.W.w, w.n.b.w, w.x, w.z)
	ok := softmaxGrad(w.z, label)
	denseBack(w.n.W.w, w.x, w.z, g[0], g[1], nil)
	return ok
}

// mlp: logits = W2 relu(W1 (x/255) + b1) + b2.
type mlp struct{ W1, b1, W2, b2 *param }

func (n *mlp) params() []*param { return []*param{n.W1, n.b1, n.W2, n.b2} }

func (n *mlp) nodes() []node {
	return []node{
		{op: "Flatten", in: []string{"input"}, out: []string{"flat"}},
		{op: "Mul", in: []string{"flat", "scale"}, out: []string{"x"}},
		{op: "Gemm", in: []string{"x", "W1", "b1"}, out: []string{"h0"}, int1: map[string]int64{"transB": 1}},
		{op: "Relu", in: []string{"h0"}, out: []string{"h"}},
		{op: "Gemm", in: []string{"h", "W2", "b2"}, out: []string{"logits"}, int1: map[string]int64{"transB": 1}},
	}
}

type mlpWorker struct {
	n           *mlp
	x, h, dh, z []float32
}

func (n *mlp) worker() worker {
	H := len(n.b1.w)
	return &mlpWorker{n: n, x: make([]float32, pixels), h: make([]float32, H), dh: make([]float32, H), z: make([]float32, 10)}
}

func (w *mlpWorker) accumulate(img []float32, label int, g [][]float32) bool {
	n := w.n
	scaleInput(img, w.x)
	dense(n.W1.w, n.b1.w, w.x, w.h)
	relu(w.h)
	dense(n.W2.w, n.b2.w, w.h, w.z)
	ok := softmaxGrad(w.z, label)
	denseBack(n.W2.w, w.h, w.z, g[2], g[3], w.dh)
	for i, v := range w.h {
		if v <= 0 {
			w.dh[i] = 0
		}
	}
	denseBack(n.W1.w, w.x, w.dh, g[0], g[1], nil)
	return ok
}
