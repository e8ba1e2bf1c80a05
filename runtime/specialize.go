package runtime

import (
	"errors"
	"fmt"
	"maps"
)

// Specialize compiles g for the inputs a run will feed, for graphs whose
// shapes depend on them: every symbolic dimension (ONNX dim_param, as
// exporters write batch, height, sequence) is bound to the input's actual
// size, and an input whose value a node needs when it is compiled (a
// shape, axes, starts, ends, split, pads or scales input, directly or
// through other nodes) becomes a constant. The other inputs stay runtime
// inputs; it returns them, in the program's input order, to pass to Run.
// The program computes exactly what g computes for those values; it is a
// program for them, not for others.
//
// inputs are in the order of g.RuntimeInputs(). A classifier on chain is
// compiled once with Compile (one float32 input of fixed shape per item);
// Specialize serves `delphid model run` and the conformance suite.
func Specialize(g *Graph, lim Limits, inputs []*Tensor) (*Program, []*Tensor, error) {
	decl := g.RuntimeInputs()
	if len(inputs) != len(decl) {
		return nil, nil, fmt.Errorf("got %d inputs, the model takes %d", len(inputs), len(decl))
	}
	s := *g
	s.Initializers = maps.Clone(g.Initializers)
	s.Inputs = nil
	given := map[string]*Tensor{}
	for i, v := range decl {
		t := inputs[i]
		if t == nil || t.DType != v.DType || len(t.Shape) != len(v.Shape) {
			return nil, nil, fmt.Errorf("input %q must be %s of rank %d", v.Name, v.DType, len(v.Shape))
		}
		for d, want := range v.Shape {
			if want >= 1 && t.Shape[d] != want {
				return nil, nil, fmt.Errorf("input %q has shape %v, the model declares %v", v.Name, t.Shape, v.Shape)
			}
		}
		if err := checkCanonical(t); err != nil {
			return nil, nil, fmt.Errorf("input %q: %v", v.Name, err)
		}
		if int64(t.Len()) > lim.MaxTensorElements {
			return nil, nil, fmt.Errorf("input %q has %d elements, limit %d", v.Name, t.Len(), lim.MaxTensorElements)
		}
		s.Inputs = append(s.Inputs, ValueInfo{Name: v.Name, DType: v.DType, Shape: append([]int(nil), t.Shape...)})
		given[v.Name] = t
	}
	// Each round binds at least one more input, so this ends; the rounds
	// share one budget for the work done while compiling.
	budget := &foldBudget{}
	for {
		p, last, err := compileRewriting(&s, lim, budget)
		var nc *needsConstant
		if err == nil || !errors.As(err, &nc) {
			if err != nil {
				return nil, nil, err
			}
			feed := make([]*Tensor, 0, len(s.Inputs))
			for _, v := range s.Inputs {
				feed = append(feed, given[v.Name])
			}
			return p, feed, nil
		}
		// The value may be one an If or a Loop made: walk the graph as
		// it was when the node asked.
		behind := inputsBehind(last, nc.input)
		if len(behind) == 0 {
			return nil, nil, err
		}
		kept := s.Inputs[:0:0]
		for _, v := range s.Inputs {
			if behind[v.Name] {
				s.Initializers[v.Name] = given[v.Name]
			} else {
				kept = append(kept, v)
			}
		}
		s.Inputs = kept
	}
}

// inputsBehind is the set of g's runtime inputs that value depends on
// (itself included).
func inputsBehind(g *Graph, value string) map[string]bool {
	producer := map[string]*Node{}
	for _, n := range g.Nodes {
		for _, o := range n.Outputs {
			producer[o] = n
		}
	}
	runtimeIn := map[string]bool{}
	for _, v := range g.RuntimeInputs() {
		runtimeIn[v.Name] = true
	}
	found := map[string]bool{}
	seen := map[string]bool{}
	stack := []string{value}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if v == "" || seen[v] {
			continue
		}
		seen[v] = true
		if runtimeIn[v] {
			found[v] = true
		}
		if n := producer[v]; n != nil {
			stack = append(stack, n.Inputs...)
		}
	}
	return found
}
