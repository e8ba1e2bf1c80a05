package runtime

import (
	"fmt"
	"maps"
	"sort"
)

// Loop, unrolled while compiling (see control_flow.go).

// maxLoopIterations bounds the iterations a Loop unrolls to (each one
// recompiles the graph).
const maxLoopIterations = 256

// Internal attributes of a partly unrolled Loop: the next iteration's
// number, and the scan values of the iterations so far (iteration-major).
const (
	loopIterAttr  = "__delphi_iteration"
	loopScansAttr = "__delphi_scans"
)

// loopStep is buildLoop's answer: unroll one more iteration, or finish.
type loopStep struct {
	node   *Node
	body   *Subgraph
	k      int64 // this iteration's number
	more   bool  // run iteration k; otherwise finish
	hasM   bool
	m      int64 // iterations left, when hasM
	carry  int   // carried values
	scans  []string
	nscans int
}

func (l *loopStep) Error() string {
	return l.node.errorf("unrolled while compiling").Error()
}

func buildLoop(n *Node, in []TensorInfo) (*step, error) {
	b := n.Attrs["body"]
	if b.Kind != AttrGraph {
		return nil, n.errorf("needs a body graph")
	}
	body := b.G
	if len(in) < 2 && len(n.Inputs) >= 2 {
		in = append(in, TensorInfo{}) // Loop(M, "") carrying nothing: the trailing "" was trimmed
	}
	if len(in) < 2 {
		return nil, n.errorf("has %d inputs: want M, cond and the carried values", len(in))
	}
	carry := len(in) - 2
	nscans := len(n.Outputs) - carry
	if len(body.Inputs) != 2+carry || len(body.Outputs) != 1+carry+nscans || nscans < 0 {
		return nil, n.errorf("body takes %d inputs and gives %d outputs for %d carried values and %d outputs",
			len(body.Inputs), len(body.Outputs), carry, len(n.Outputs))
	}
	l := &loopStep{node: n, body: body, carry: carry, nscans: nscans, more: true}
	if !in[0].absent() {
		if in[0].DType != Int64 || numel(in[0].Shape) != 1 {
			return nil, n.errorf("M is %s %v: want one int64", in[0].DType, in[0].Shape)
		}
		if in[0].Const == nil {
			return nil, n.needConst(0, "the trip count must be known when the graph compiles")
		}
		l.hasM, l.m = true, in[0].Const.I[0]
		l.more = l.m > 0
	}
	if !in[1].absent() {
		if in[1].DType != Bool || numel(in[1].Shape) != 1 {
			return nil, n.errorf("cond is %s %v: want one bool", in[1].DType, in[1].Shape)
		}
		if in[1].Const == nil {
			return nil, n.needConst(1, "the condition must be known when the graph compiles (it is computed from runtime values)")
		}
		l.more = l.more && in[1].Const.I[0] != 0
	} else if !l.hasM {
		return nil, n.errorf("has neither a trip count nor a condition: it would not end")
	}
	if it, ok := n.Attrs[loopIterAttr]; ok {
		l.k = it.I
	}
	if sc, ok := n.Attrs[loopScansAttr]; ok {
		l.scans = sc.Strings
	}
	if l.k < 0 || int64(len(l.scans)) != l.k*int64(nscans) {
		return nil, n.errorf("inconsistent unrolling state")
	}
	if l.more && l.k >= maxLoopIterations {
		return nil, n.errorf("runs more than %d iterations", maxLoopIterations)
	}
	return nil, l
}

func (l *loopStep) rewrite(g *Graph, lim Limits) (*Graph, error) {
	at := -1
	for i, n := range g.Nodes {
		if n == l.node {
			at = i
		}
	}
	if at < 0 {
		return nil, fmt.Errorf("Loop node %q not in the graph", l.node.Name)
	}
	n := l.node
	taken := takenNames(g)
	var nodes []*Node
	out := *g
	out.Initializers = maps.Clone(g.Initializers)
	constant := func(name string, t *Tensor) {
		nodes = append(nodes, &Node{Name: name, OpType: "Constant", Outputs: []string{name}, Opset: n.Opset,
			Attrs: map[string]Attr{"value": {Kind: AttrTensor, T: t}}})
	}
	if l.more {
		prefix := fmt.Sprintf("%s/iter%d/", n.Outputs[0], l.k)
		rename := map[string]string{}
		for _, bn := range l.body.Nodes {
			for _, o := range bn.Outputs {
				if o != "" {
					rename[o] = prefix + o
				}
			}
		}
		for name := range l.body.Initializers {
			rename[name] = prefix + name
		}
		if err := freshNames(n, taken, append(sortedValues(rename), prefix+"iteration", prefix+"cond", prefix+"remaining")...); err != nil {
			return nil, err
		}
		for _, name := range sortedKeys(l.body.Initializers) {
			out.Initializers[rename[name]] = l.body.Initializers[name]
		}
		iter := prefix + "iteration"
		constant(iter, &Tensor{DType: Int64, Shape: []int{}, I: []int64{l.k}})
		rename[l.body.Inputs[0]] = iter
		cond := n.Inputs[1]
		if cond == "" {
			cond = prefix + "cond"
			constant(cond, &Tensor{DType: Bool, Shape: []int{}, I: []int64{1}})
		}
		rename[l.body.Inputs[1]] = cond
		for i := 0; i < l.carry; i++ {
			rename[l.body.Inputs[2+i]] = n.Inputs[2+i]
		}
		for _, bn := range l.body.Nodes {
			nodes = append(nodes, renamed(bn, rename, prefix))
		}
		name := func(v string) string {
			if r, ok := rename[v]; ok {
				return r
			}
			return v
		}
		next := &Node{Name: n.Name, OpType: "Loop", Outputs: n.Outputs, Opset: n.Opset, Attrs: maps.Clone(n.Attrs)}
		m := ""
		if l.hasM {
			m = prefix + "remaining"
			constant(m, &Tensor{DType: Int64, Shape: []int{}, I: []int64{l.m - 1}})
		}
		next.Inputs = append([]string{m, name(l.body.Outputs[0])}, make([]string, l.carry)...)
		for i := 0; i < l.carry; i++ {
			next.Inputs[2+i] = name(l.body.Outputs[1+i])
		}
		scans := append([]string{}, l.scans...)
		for j := 0; j < l.nscans; j++ {
			scans = append(scans, name(l.body.Outputs[1+l.carry+j]))
		}
		next.Attrs[loopIterAttr] = Attr{Kind: AttrInt, I: l.k + 1}
		next.Attrs[loopScansAttr] = Attr{Kind: AttrStrings, Strings: scans}
		nodes = append(nodes, next)
	} else {
		for i := 0; i < l.carry; i++ {
			nodes = append(nodes, &Node{Name: fmt.Sprintf("%s/final%d", n.Outputs[0], i), OpType: "Identity",
				Inputs: []string{n.Inputs[2+i]}, Outputs: []string{n.Outputs[i]}, Opset: n.Opset, Attrs: map[string]Attr{}})
		}
		if l.nscans > 0 && l.k == 0 {
			return nil, n.errorf("runs no iteration: its scan outputs have no shape")
		}
		axes := n.Outputs[0] + "/axis0"
		var fresh []string
		for j := 0; j < l.nscans; j++ {
			for it := int64(0); it < l.k; it++ {
				fresh = append(fresh, fmt.Sprintf("%s/scan%d/%d", n.Outputs[0], j, it))
			}
		}
		if err := freshNames(n, taken, append(fresh, axes)...); err != nil {
			return nil, err
		}
		if n.Opset >= 13 {
			out.Initializers[axes] = &Tensor{DType: Int64, Shape: []int{1}, I: []int64{0}}
		}
		for j := 0; j < l.nscans; j++ {
			var parts []string
			for it := int64(0); it < l.k; it++ {
				v := l.scans[int(it)*l.nscans+j]
				u := fmt.Sprintf("%s/scan%d/%d", n.Outputs[0], j, it)
				un := &Node{Name: u, OpType: "Unsqueeze", Inputs: []string{v}, Outputs: []string{u}, Opset: n.Opset, Attrs: map[string]Attr{}}
				if n.Opset >= 13 {
					un.Inputs = append(un.Inputs, axes)
				} else {
					un.Attrs["axes"] = Attr{Kind: AttrInts, Ints: []int64{0}}
				}
				nodes = append(nodes, un)
				parts = append(parts, u)
			}
			nodes = append(nodes, &Node{Name: fmt.Sprintf("%s/scan%d", n.Outputs[0], j), OpType: "Concat", Inputs: parts,
				Outputs: []string{n.Outputs[l.carry+j]}, Opset: n.Opset, Attrs: map[string]Attr{"axis": {Kind: AttrInt, I: 0}}})
		}
	}
	all := append(append(append([]*Node{}, g.Nodes[:at]...), nodes...), g.Nodes[at+1:]...)
	if graphNodes(all) > lim.MaxNodes {
		return nil, fmt.Errorf("graph has %d nodes after unrolling Loop %q, limit %d", len(all), n.Name, lim.MaxNodes)
	}
	out.Nodes = all
	return &out, nil
}

// sortedKeys is a map's keys in byte order.
func sortedKeys(m map[string]*Tensor) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
