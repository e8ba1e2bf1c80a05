package runtime

import (
	"math"
	"strings"
	"testing"
)

// TestLosses: NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss by
// hand on (N=2, C=3, d=2) with weights and an ignored class, every
// reduction, the log-probability output equal to LogSoftmax's, and the
// refusals.
func TestLosses(t *testing.T) {
	x := mustT(t, []int{2, 3, 2}, -1, -2, -3, -4, -5, -6, -0.5, -0.25, -2, -1, -3, -3)
	target := int64T([]int{2, 2}, 0, 2, 1, 9) // 9 is ignored
	w := mustT(t, []int{3}, 1, 2, 0.5)
	nll := func(reduction string, in ...*Tensor) (*Tensor, error) {
		n := node("NegativeLogLikelihoodLoss", map[string]Attr{"reduction": str(reduction), "ignore_index": intA(9)})
		n.Opset = 13
		return runOp(t, n, in, 1)
	}
	// l = −x[n, t, d]·w[t]: (0,0,d0) t=0 → 1·1; (0,2,d1) t=2 → 6·0.5; (1,1,d0) t=1 → 2·2; ignored → 0.
	none, err := nll("none", x, target, w)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "none", none, []int{2, 2}, []float32{1, 3, 4, 0})
	sum, err := nll("sum", x, target, w)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "sum", sum, []int{}, []float32{8})
	mean, err := nll("mean", x, target, w)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "mean", mean, []int{}, []float32{float32(8.0 / 3.5)})
	unweighted, err := nll("mean", x, target)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "mean without weights", unweighted, []int{}, []float32{float32((1 + 6 + 2) / 3.0)})

	// SCE: LogSoftmax over axis 1, then NLL; the second output is that LogSoftmax.
	sce := node("SoftmaxCrossEntropyLoss", map[string]Attr{"reduction": str("none")}, "loss", "log_prob")
	sce.Opset = 13
	g := &Graph{Opset: 13, Initializers: map[string]*Tensor{"t": int64T([]int{2, 2}, 0, 2, 1, 1)},
		Inputs: []ValueInfo{{Name: "x", DType: Float32, Shape: []int{2, 3, 2}}},
		Nodes: []*Node{{OpType: "SoftmaxCrossEntropyLoss", Inputs: []string{"x", "t"}, Outputs: []string{"loss", "log_prob"}, Opset: 13, Attrs: sce.Attrs},
			{OpType: "LogSoftmax", Inputs: []string{"x"}, Outputs: []string{"ls"}, Opset: 13, Attrs: map[string]Attr{"axis": intA(1)}}},
		Outputs: []string{"loss", "log_prob", "ls"}}
	p, err := Compile(g, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	outs, err := p.Run([]*Tensor{x}, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if OutputHash(outs[1]) != OutputHash(outs[2]) {
		t.Fatal("log_prob is not LogSoftmax over axis 1")
	}
	lp := outs[2].F
	for e, want := range []float32{-lp[0], -lp[2*2+1], -lp[6+1*2], -lp[6+1*2+1]} {
		if outs[0].F[e] != want {
			t.Fatalf("sce loss %d: %v, want %v", e, outs[0].F[e], want)
		}
	}

	// A class out of range fails the run; a target of the wrong shape or type is refused.
	if _, err := nll("sum", x, int64T([]int{2, 2}, 0, 3, 0, 0)); err == nil || !strings.Contains(err.Error(), "out of range") {
		t.Fatalf("class 3 of 3: %v", err)
	}
	if _, err := nll("sum", x, int64T([]int{2}, 0, 0)); err == nil {
		t.Fatal("a target of the wrong shape accepted")
	}
	if _, err := nll("avg", x, target); err == nil {
		t.Fatal("an unknown reduction accepted")
	}
	allIgnored, err := nll("mean", x, int64T([]int{2, 2}, 9, 9, 9, 9))
	if err != nil || !math.IsNaN(float64(allIgnored.F[0])) {
		t.Fatalf("mean over nothing: %v %v", allIgnored, err)
	}
}
