package train

import "fmt"

// net is a trainable architecture: logreg and mlp take any input (images
// or tabular features, normalised by their prep), cnn takes 28x28 images.
type net interface {
	params() []*param
	// worker returns per-goroutine scratch state bound to the parameters.
	worker() worker
	// nodes returns the ONNX graph from "input" to "logits" [1,classes],
	// reading the prep constants and parameters by name (see export.go).
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

// newNet builds an architecture for inputs of `in` values and `out` classes.
func newNet(kind string, pre *prep, in, out, hidden int, s *stream) (net, error) {
	switch kind {
	case "logreg":
		n := &logreg{pre: pre, W: &param{"W", []int{out, in}, make([]float32, out*in)}, b: &param{"b", []int{out}, make([]float32, out)}}
		glorot(s, n.W.w, in, out)
		return n, nil
	case "mlp":
		if hidden < 1 || hidden > 4096 {
			return nil, fmt.Errorf("mlp hidden size %d out of range", hidden)
		}
		n := &mlp{
			pre: pre,
			W1:  &param{"W1", []int{hidden, in}, make([]float32, hidden*in)}, b1: &param{"b1", []int{hidden}, make([]float32, hidden)},
			W2: &param{"W2", []int{out, hidden}, make([]float32, out*hidden)}, b2: &param{"b2", []int{out}, make([]float32, out)},
		}
		glorot(s, n.W1.w, in, hidden)
		glorot(s, n.W2.w, hidden, out)
		return n, nil
	case "cnn":
		if !pre.image || in != pixels || out != 10 {
			return nil, fmt.Errorf("cnn needs 28x28 images with 10 classes")
		}
		n := newCNN()
		glorot(s, n.K.w, 25, cnnChannels*25)
		glorot(s, n.W.w, cnnFlat, 10)
		return n, nil
	}
	return nil, fmt.Errorf("unknown model kind %q (logreg, mlp, cnn)", kind)
}

// logreg: logits = W prep(x) + b.
type logreg struct {
	pre  *prep
	W, b *param
}

func (n *logreg) params() []*param { return []*param{n.W, n.b} }

func (n *logreg) nodes() []node {
	return append(n.pre.nodes(),
		node{op: "Gemm", in: []string{"x", "W", "b"}, out: []string{"logits"}, int1: map[string]int64{"transB": 1}})
}

type logregWorker struct {
	n    *logreg
	x, z []float32
}

func (n *logreg) worker() worker {
	return &logregWorker{n: n, x: make([]float32, n.W.shape[1]), z: make([]float32, n.W.shape[0])}
}

func (w *logregWorker) accumulate(img []float32, label int, g [][]float32) bool {
	w.n.pre.apply(img, w.x)
	dense(w.n.W.w, w.n.b.w, w.x, w.z)
	ok := softmaxGrad(w.z, label)
	denseBack(w.n.W.w, w.x, w.z, g[0], g[1], nil)
	return ok
}

// mlp: logits = W2 relu(W1 prep(x) + b1) + b2.
type mlp struct {
	pre            *prep
	W1, b1, W2, b2 *param
}

func (n *mlp) params() []*param { return []*param{n.W1, n.b1, n.W2, n.b2} }

func (n *mlp) nodes() []node {
	return append(n.pre.nodes(),
		node{op: "Gemm", in: []string{"x", "W1", "b1"}, out: []string{"h0"}, int1: map[string]int64{"transB": 1}},
		node{op: "Relu", in: []string{"h0"}, out: []string{"h"}},
		node{op: "Gemm", in: []string{"h", "W2", "b2"}, out: []string{"logits"}, int1: map[string]int64{"transB": 1}})
}

type mlpWorker struct {
	n           *mlp
	x, h, dh, z []float32
}

func (n *mlp) worker() worker {
	H := len(n.b1.w)
	return &mlpWorker{n: n, x: make([]float32, n.W1.shape[1]), h: make([]float32, H), dh: make([]float32, H), z: make([]float32, n.b2.shape[0])}
}

func (w *mlpWorker) accumulate(img []float32, label int, g [][]float32) bool {
	n := w.n
	n.pre.apply(img, w.x)
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
