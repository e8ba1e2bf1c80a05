package runtime

import (
	"fmt"
	"maps"
)

// Specialize compiles g for the inputs a run will feed, for graphs whose
// shapes depend on them: every symbolic dimension (ONNX dim_param, as
// exporters write batch, height, sequence) is bound to the input's actual
// size, and the integer inputs become constants, so a shape, axes, starts,
// ends, split or pads input that a node needs when it is compiled is known.
// Float32 and bool inputs stay runtime inputs; it returns them, in the
// program's input order, to pass to Run. The program computes exactly what
// g computes for those values; it is a program for them, not for others.
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
	var feed []*Tensor
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
		if t.DType.integer() {
			s.Initializers[v.Name] = t
			continue
		}
		s.Inputs = append(s.Inputs, ValueInfo{Name: v.Name, DType: v.DType, Shape: append([]int(nil), t.Shape...)})
		feed = append(feed, t)
	}
	p, err := Compile(&s, lim)
	if err != nil {
		return nil, nil, err
	}
	return p, feed, nil
}
