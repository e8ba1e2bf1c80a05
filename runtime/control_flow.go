package runtime

import (
	"fmt"
	"maps"
	"sort"
)

// If: the runtime has static shapes and one trace leaf per operator, so an
// If whose condition is known while compiling (a constant, a value folded
// from constants, or a graph input Specialize binds — Silero's voice
// detector branches on its sample-rate input) is replaced by the branch it
// takes: the branch's nodes and initializers join the graph under names
// prefixed by the If's first output ("<output>/<name>"; names the branch
// does not produce still mean the enclosing graph's values), and Identity
// nodes carry the branch's outputs to the If's. A condition computed from
// runtime values is refused, naming the node.
//
// Loop: with its trip count and condition known while compiling, one
// iteration at a time is unrolled the same way — the body's nodes under
// "<output>/iter<k>/", the iteration number a Constant, the carried values
// wired from the previous iteration — until the count is spent or the
// condition (known again after folding) is false; then Identity nodes carry
// the final values and each scan output is the per-iteration values
// stacked by Unsqueeze and Concat along a new axis 0. At most
// maxLoopIterations iterations; a condition computed from runtime values
// is refused. Scan is not supported.

func init() {
	register("If", buildIf)
	register("Loop", buildLoop)
}

// takeBranch is buildIf's answer for a known condition: Compile inlines
// the branch and starts over.
type takeBranch struct {
	node   *Node
	branch *Subgraph
}

func (t *takeBranch) Error() string {
	return t.node.errorf("its branch is inlined while compiling").Error()
}

func (t *takeBranch) rewrite(g *Graph, lim Limits) (*Graph, error) { return inlineBranch(g, t, lim) }

// graphRewrite is a builder's answer that changes the graph (an If's
// branch inlined, a Loop's iteration unrolled): Compile applies it and
// starts over.
type graphRewrite interface {
	error
	rewrite(g *Graph, lim Limits) (*Graph, error)
}

func buildIf(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 1, 1); err != nil {
		return nil, err
	}
	if in[0].DType != Bool || numel(in[0].Shape) != 1 {
		return nil, n.errorf("condition is %s %v: want one bool", in[0].DType, in[0].Shape)
	}
	then, els := n.Attrs["then_branch"], n.Attrs["else_branch"]
	if then.Kind != AttrGraph || els.Kind != AttrGraph {
		return nil, n.errorf("needs then_branch and else_branch graphs")
	}
	if in[0].Const == nil {
		return nil, n.needConst(0, "the condition must be known when the graph compiles (it is computed from runtime values)")
	}
	b := els.G
	if in[0].Const.I[0] != 0 {
		b = then.G
	}
	if len(b.Outputs) != len(n.Outputs) || len(b.Inputs) != 0 {
		return nil, n.errorf("the branch has %d inputs and %d outputs: want none and %d", len(b.Inputs), len(b.Outputs), len(n.Outputs))
	}
	return nil, &takeBranch{node: n, branch: b}
}

// inlineBranch returns a copy of g with the If node replaced by its branch.
func inlineBranch(g *Graph, t *takeBranch, lim Limits) (*Graph, error) {
	at := -1
	for i, n := range g.Nodes {
		if n == t.node {
			at = i
		}
	}
	if at < 0 {
		return nil, fmt.Errorf("If node %q not in the graph", t.node.Name)
	}
	prefix := t.node.Outputs[0] + "/"
	taken := takenNames(g)
	rename := map[string]string{}
	for _, n := range t.branch.Nodes {
		for _, o := range n.Outputs {
			if o != "" {
				rename[o] = prefix + o
			}
		}
	}
	for name := range t.branch.Initializers {
		rename[name] = prefix + name
	}
	for _, v := range sortedValues(rename) {
		if err := freshNames(t.node, taken, v); err != nil {
			return nil, err
		}
	}
	out := *g
	out.Initializers = maps.Clone(g.Initializers)
	names := make([]string, 0, len(t.branch.Initializers))
	for name := range t.branch.Initializers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, dup := out.Initializers[rename[name]]; dup {
			return nil, fmt.Errorf("inlining If %q: initializer %q exists", t.node.Name, rename[name])
		}
		out.Initializers[rename[name]] = t.branch.Initializers[name]
	}
	nodes := append([]*Node{}, g.Nodes[:at]...)
	for _, n := range t.branch.Nodes {
		nodes = append(nodes, renamed(n, rename, prefix))
	}
	for i, o := range t.branch.Outputs {
		src := o
		if r, ok := rename[o]; ok {
			src = r
		}
		nodes = append(nodes, &Node{Name: prefix + "output" + fmt.Sprint(i), OpType: "Identity", Inputs: []string{src},
			Outputs: []string{t.node.Outputs[i]}, Opset: t.node.Opset, Attrs: map[string]Attr{}})
	}
	nodes = append(nodes, g.Nodes[at+1:]...)
	if graphNodes(nodes) > lim.MaxNodes {
		return nil, fmt.Errorf("graph has %d nodes after inlining If %q, limit %d", len(nodes), t.node.Name, lim.MaxNodes)
	}
	out.Nodes = nodes
	return &out, nil
}

// renamed copies a branch node with its values renamed, nested branches
// included (their references to this branch's values).
func renamed(n *Node, rename map[string]string, prefix string) *Node {
	return renamedBy(n, func(v string) string {
		if r, ok := rename[v]; ok {
			return r
		}
		return v
	}, prefix)
}

// renamedBy copies a node with every value name mapped by name.
func renamedBy(n *Node, name func(string) string, prefix string) *Node {
	c := *n
	c.Name = prefix + n.Name
	c.Inputs = make([]string, len(n.Inputs))
	for i, v := range n.Inputs {
		c.Inputs[i] = name(v)
	}
	c.Outputs = make([]string, len(n.Outputs))
	for i, v := range n.Outputs {
		c.Outputs[i] = name(v)
	}
	c.Attrs = make(map[string]Attr, len(n.Attrs))
	for k, a := range n.Attrs {
		if a.Kind == AttrGraph {
			a.G = renamedGraph(a.G, name)
		}
		c.Attrs[k] = a
	}
	return &c
}

// renamedGraph maps a nested subgraph's references to outer values by
// name; the names it takes (a Loop body's inputs) and produces are its
// own. It looks names up rather than copying the mapping, so the work is
// the subgraph's size, however many subgraphs a branch holds.
func renamedGraph(sg *Subgraph, name func(string) string) *Subgraph {
	own := map[string]bool{}
	for _, in := range sg.Inputs {
		own[in] = true
	}
	for _, n := range sg.Nodes {
		for _, o := range n.Outputs {
			own[o] = true
		}
	}
	for k := range sg.Initializers {
		own[k] = true
	}
	outer := func(v string) string {
		if own[v] {
			return v
		}
		return name(v)
	}
	c := &Subgraph{Inputs: sg.Inputs, Initializers: sg.Initializers, Outputs: make([]string, len(sg.Outputs))}
	for _, n := range sg.Nodes {
		c.Nodes = append(c.Nodes, renamedBy(n, outer, ""))
	}
	for i, o := range sg.Outputs {
		c.Outputs[i] = outer(o)
	}
	return c
}

// graphNodes counts nodes, nested subgraphs (and their nodes) included.
func graphNodes(nodes []*Node) int {
	total := 0
	for _, n := range nodes {
		total++
		for _, a := range n.Attrs {
			if a.Kind == AttrGraph {
				total += 1 + graphNodes(a.G.Nodes)
			}
		}
	}
	return total
}

// takenNames is every value name the graph's top level already uses.
func takenNames(g *Graph) map[string]bool {
	taken := map[string]bool{}
	for _, v := range g.Inputs {
		taken[v.Name] = true
	}
	for k := range g.Initializers {
		taken[k] = true
	}
	for _, n := range g.Nodes {
		for _, o := range n.Outputs {
			taken[o] = true
		}
	}
	return taken
}

// freshNames refuses a rewrite whose generated names the graph already
// uses: a file may name its own values "y/iter0/w", and a rewrite must not
// silently shadow one.
func freshNames(n *Node, taken map[string]bool, names ...string) error {
	for _, v := range names {
		if taken[v] {
			return n.errorf("rewriting it would reuse the name %q, which the graph already has", v)
		}
	}
	return nil
}

// sortedValues is a map's values in byte order (for a deterministic first
// error).
func sortedValues(m map[string]string) []string {
	vs := make([]string, 0, len(m))
	for _, v := range m {
		vs = append(vs, v)
	}
	sort.Strings(vs)
	return vs
}
