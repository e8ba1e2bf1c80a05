package runtime

import "fmt"

// Inputs are the runtime inputs with their bound shapes.
func (p *Program) Inputs() []ValueInfo { return p.inputs }

// FLOPs is the estimated arithmetic per item.
func (p *Program) FLOPs() int64 { return p.flops }

// LeavesPerItem is the number of operator outputs (trace leaves) per item.
func (p *Program) LeavesPerItem() int { return len(p.lay.at) }

// OutputNames are the graph outputs' names, in Run's order.
func (p *Program) OutputNames() []string { return append([]string(nil), p.graph.Outputs...) }

// ConstLeafHash reports the output hash of leaf l (0 <= l < LeavesPerItem)
// when that output is a compile-time constant, the same for every item.
func (p *Program) ConstLeafHash(l int) (Hash, bool) {
	if l >= 0 && l < len(p.lay.at) {
		if h := p.outConst[p.lay.at[l].step][p.lay.at[l].out]; h != nil {
			return *h, true
		}
	}
	return Hash{}, false
}

// Run evaluates one item. observe, when not nil, is called with every
// operator output that is a trace leaf at the program's version (all of
// them in version 1; leaves.go), in canonical order (node in topological
// order, then output index), with its leaf index within the item: it is
// how the trace sees the run. workers bounds the goroutines one operator may use.
func (p *Program) Run(inputs []*Tensor, workers int, observe func(leaf int, t *Tensor)) (outs []*Tensor, err error) {
	return p.run(inputs, workers, observe, false)
}

// RunRecycled is Run for a caller that keeps nothing of the run but its
// outputs — observe must not keep a tensor after it returns (a trace that
// hashes it may; a referee collecting leaf values may not) — and then
// hands the intermediate values' buffers back for the next run
// (bufpool.go). An evaluation of many items uses it: warm buffers instead
// of fresh pages, which on two workers cost more than the arithmetic.
func (p *Program) RunRecycled(inputs []*Tensor, workers int, observe func(leaf int, t *Tensor)) ([]*Tensor, error) {
	return p.run(inputs, workers, observe, true)
}

func (p *Program) run(inputs []*Tensor, workers int, observe func(leaf int, t *Tensor), recycle bool) (outs []*Tensor, err error) {
	if len(inputs) != len(p.inputs) {
		return nil, fmt.Errorf("got %d inputs, the model takes %d", len(inputs), len(p.inputs))
	}
	vals := make([]*Tensor, p.nslots)
	copy(vals, p.consts)
	for i, t := range inputs {
		want := p.inputs[i]
		if t == nil || t.DType != want.DType || !sameShape(t.Shape, want.Shape) ||
			(!want.DType.ints() && len(t.F) != numel(want.Shape)) || (want.DType.ints() && len(t.I) != numel(want.Shape)) {
			return nil, fmt.Errorf("input %q must be %s %v", want.Name, want.DType, want.Shape)
		}
		if err := checkCanonical(t); err != nil {
			return nil, fmt.Errorf("input %q: %v", want.Name, err)
		}
		vals[p.inSlots[i]] = t
	}
	args := make([]*Tensor, 0, 8)
	current := -1
	// Compile validated every shape, so a kernel panic is a runtime bug; it
	// must still not take the validator's evaluator down. Kernels that fan
	// out recover nothing themselves, so this covers the serial path only.
	defer func() {
		if r := recover(); r != nil {
			label := "graph"
			if current >= 0 {
				label = p.graph.Nodes[p.order[current]].label()
			}
			outs, err = nil, fmt.Errorf("%s: internal error: %v", label, r)
		}
	}()
	for k, st := range p.steps {
		current = k
		if !p.folded[k] {
			args = args[:0]
			for _, s := range p.ins[k] {
				if s == absentSlot {
					args = append(args, nil)
					continue
				}
				args = append(args, vals[s])
			}
			res := st.run(args, workers)
			for i, s := range p.outs[k] {
				vals[s] = res[i]
			}
		}
		if observe != nil {
			for _, s := range p.outs[k] {
				if l := p.lay.slotOf[s]; l >= 0 {
					observe(l, vals[s])
				}
			}
		}
	}
	out := make([]*Tensor, len(p.outSlot))
	for i, s := range p.outSlot {
		out[i] = vals[s]
	}
	if recycle {
		p.recycle(vals, out)
	}
	return out, nil
}

// Nodes returns the graph's nodes in canonical (trace) order.
func (p *Program) Nodes() []*Node {
	out := make([]*Node, len(p.order))
	for i, ni := range p.order {
		out[i] = p.graph.Nodes[ni]
	}
	return out
}

// OutputShapes returns the compiled shapes of the outputs of the k-th node in
// canonical order (see Nodes).
func (p *Program) OutputShapes(k int) [][]int {
	var out [][]int
	for _, s := range p.outs[k] {
		out = append(out, p.infos[s].Shape)
	}
	return out
}

// OutputLeaf is the per-item leaf index of graph output i, or false when no
// operator produces it (an initializer or a graph input passed through).
func (p *Program) OutputLeaf(i int) (int, bool) {
	if i < 0 || i >= len(p.outSlot) {
		return 0, false
	}
	l := p.lay.slotOf[p.outSlot[i]]
	return l, l >= 0
}

// LeafShape is the compiled shape of the output behind per-item leaf
// `local`, or nil outside the program.
func (p *Program) LeafShape(local int) []int {
	k, o, err := p.leafStep(local)
	if err != nil {
		return nil
	}
	return append([]int(nil), p.infos[p.outs[k][o]].Shape...)
}
