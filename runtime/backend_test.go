package runtime

import (
	"errors"
	"strings"
	"testing"
)

// failing replaces every arithmetic kernel with one that fails, and can
// refuse an op at preparation time.
type failing struct{ refuse string }

func (failing) Name() string { return "failing" }

func (f failing) Kernel(op *OpSpec) (KernelFunc, error) {
	if op.Node.OpType == f.refuse {
		return nil, errors.New("refused")
	}
	if op.Params == nil {
		return nil, nil
	}
	return func([]*Tensor) ([]*Tensor, error) { return nil, errors.New("device lost") }, nil
}

func TestBackendRegistry(t *testing.T) {
	b, err := OpenBackend("cpu")
	if err != nil || b.Name() != "cpu" {
		t.Fatalf("cpu backend: %v %v", b, err)
	}
	if _, err := OpenBackend("tpu"); err == nil || !strings.Contains(err.Error(), "cpu") {
		t.Fatalf("unknown backend error should list the available ones, got %v", err)
	}
}

// TestBackendErrors: a kernel error surfaces from Run as an error naming the
// node, a refusal from WithBackend, and the CPU backend changes nothing.
func TestBackendErrors(t *testing.T) {
	n := &Node{OpType: "Relu", Opset: 13, Inputs: []string{"x"}, Outputs: []string{"y"}}
	g := &Graph{Nodes: []*Node{n}, Initializers: map[string]*Tensor{}, Opset: 13, Outputs: []string{"y"},
		Inputs: []ValueInfo{{Name: "x", DType: Float32, Shape: []int{3}}}}
	p, err := Compile(g, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	x := mustT(t, []int{3}, -1, 0, 2)
	q, err := p.WithBackend(failing{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.Run([]*Tensor{x}, 1, nil); err == nil || !strings.Contains(err.Error(), "Relu") || !strings.Contains(err.Error(), "device lost") {
		t.Fatalf("want the kernel error naming the node, got %v", err)
	}
	if _, err := p.WithBackend(failing{refuse: "Relu"}); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("want the refusal, got %v", err)
	}
	c, err := p.WithBackend(cpuBackend{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Run([]*Tensor{x}, 1, nil)
	if err != nil || out[0].F[0] != 0 || out[0].F[2] != 2 {
		t.Fatalf("cpu backend run: %v %v", out, err)
	}
}
