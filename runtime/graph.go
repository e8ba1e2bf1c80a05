package runtime

import (
	"fmt"
	"sort"
)

// ValueInfo declares a graph input or output. A negative dimension is symbolic
// (ONNX dim_param or unknown); the runtime binds every symbolic dimension to
// 1, since it evaluates one item at a time.
type ValueInfo struct {
	Name  string
	DType DType
	Shape []int
}

// Graph is a model's computation independent of its file format.
type Graph struct {
	Nodes        []*Node
	Initializers map[string]*Tensor // by name; iterated only through sortedNames
	Inputs       []ValueInfo        // in file order; initializers listed here are not runtime inputs
	Outputs      []string
	Opset        int64
	// stripped names the float32 initializers of a graph parsed from a
	// Skeleton: known by type and shape, their values are not here.
	stripped map[string]bool
	// skeleton is the model file without its float32 weights (Skeleton):
	// leaf 0 of the weight tree.
	skeleton []byte
	// floatsVary makes every float32 initializer a value known by shape
	// only to the compiler, as it is in a skeleton: a classifier compiles
	// to the same program from its file and from its skeleton (nothing is
	// folded from, or derived at compile time from, a float32 weight).
	floatsVary bool
}

// Stripped reports whether the named initializer is known only by type and
// shape (a graph parsed from a skeleton).
func (g *Graph) Stripped(name string) bool { return g.stripped[name] }

// constOf is the compile-time value of an initializer: nil for a stripped one.
func (g *Graph) constOf(name string) *Tensor {
	t := g.Initializers[name]
	if g.stripped[name] || (g.floatsVary && t.DType == Float32) {
		return nil
	}
	return t
}

// sortedNames returns the initializer names in byte-wise ascending order:
// the one canonical order used wherever initializers are enumerated.
func (g *Graph) sortedNames() []string {
	names := make([]string, 0, len(g.Initializers))
	for k := range g.Initializers {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// RuntimeInputs are the declared inputs that are not initializers.
func (g *Graph) RuntimeInputs() []ValueInfo {
	var out []ValueInfo
	for _, v := range g.Inputs {
		if _, ok := g.Initializers[v.Name]; !ok {
			out = append(out, v)
		}
	}
	return out
}

// topoOrder returns node indices in the canonical topological order: Kahn's
// algorithm that always takes the ready node with the lowest file index.
// For a file already in topological order (as ONNX requires) this is the
// file order. It fails on cycles, on inputs nothing produces, and on a value
// produced twice.
func (g *Graph) topoOrder() ([]int, error) {
	producer := map[string]int{}
	for name := range g.Initializers {
		producer[name] = -1
	}
	for _, v := range g.RuntimeInputs() {
		if _, dup := producer[v.Name]; dup {
			return nil, fmt.Errorf("graph input %q declared twice", v.Name)
		}
		producer[v.Name] = -1
	}
	for i, n := range g.Nodes {
		for _, o := range n.Outputs {
			if o == "" {
				continue
			}
			if _, dup := producer[o]; dup {
				return nil, fmt.Errorf("%s: value %q is produced more than once", n.label(), o)
			}
			producer[o] = i
		}
	}
	indeg := make([]int, len(g.Nodes))
	users := make([][]int, len(g.Nodes))
	for i, n := range g.Nodes {
		for _, in := range n.Inputs {
			if in == "" {
				continue
			}
			p, ok := producer[in]
			if !ok {
				return nil, fmt.Errorf("%s: input %q is not produced by any node, input or initializer", n.label(), in)
			}
			if p >= 0 {
				indeg[i]++
				users[p] = append(users[p], i)
			}
		}
	}
	ready := &intHeap{}
	for i, d := range indeg {
		if d == 0 {
			ready.push(i)
		}
	}
	order := make([]int, 0, len(g.Nodes))
	for ready.len() > 0 {
		i := ready.pop()
		order = append(order, i)
		for _, u := range users[i] {
			if indeg[u]--; indeg[u] == 0 {
				ready.push(u)
			}
		}
	}
	if len(order) != len(g.Nodes) {
		for i, d := range indeg {
			if d > 0 {
				return nil, fmt.Errorf("%s: graph has a cycle", g.Nodes[i].label())
			}
		}
	}
	return order, nil
}

// intHeap is a min-heap of ints (a tiny container/heap without interfaces).
type intHeap struct{ a []int }

func (h *intHeap) len() int { return len(h.a) }

func (h *intHeap) push(x int) {
	h.a = append(h.a, x)
	for i := len(h.a) - 1; i > 0; {
		p := (i - 1) / 2
		if h.a[p] <= h.a[i] {
			break
		}
		h.a[p], h.a[i] = h.a[i], h.a[p]
		i = p
	}
}

func (h *intHeap) pop() int {
	top := h.a[0]
	last := len(h.a) - 1
	h.a[0] = h.a[last]
	h.a = h.a[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < last && h.a[l] < h.a[m] {
			m = l
		}
		if r < last && h.a[r] < h.a[m] {
			m = r
		}
		if m == i {
			break
		}
		h.a[i], h.a[m] = h.a[m], h.a[i]
		i = m
	}
	return top
}
