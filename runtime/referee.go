package runtime

import "fmt"

// Referee support: in a Verde dispute the parties bisect the trace down to
// one leaf k where they part, and the chain recomputes that one operator.
// These methods say where leaf k's inputs come from and recompute it from
// inputs supplied (and proven) by a party.

// SourceKind says how a disputed operator's input is proven.
type SourceKind uint8

const (
	// FromLeaf inputs are earlier operator outputs of the same item: they must
	// hash to the output hash of an agreed leaf.
	FromLeaf SourceKind = iota + 1
	// FromWeight inputs are initializers: proven against the weight root.
	FromWeight
	// FromItem is the benchmark item: proven against the benchmark's item root.
	FromItem
)

// InputSource locates one input of an operator.
type InputSource struct {
	Kind SourceKind
	Leaf int    // FromLeaf: leaf index within the item (0 <= Leaf < LeavesPerItem)
	Name string // the value's name (the initializer name for FromWeight)
}

// LeafNode returns the node that produces leaf `local` (an index within one
// item; the global leaf index is item*LeavesPerItem + local) and where each
// of its inputs comes from.
func (p *Program) LeafNode(local int) (*Node, []InputSource, error) {
	k, _, err := p.leafStep(local)
	if err != nil {
		return nil, nil, err
	}
	producer := map[int]int{} // slot -> leaf
	leaf := 0
	for j := 0; j < k; j++ {
		for _, s := range p.outs[j] {
			producer[s] = leaf
			leaf++
		}
	}
	isInput := map[int]bool{}
	for _, s := range p.inSlots {
		isInput[s] = true
	}
	var srcs []InputSource
	for _, s := range p.ins[k] {
		if s == absentSlot {
			continue // an omitted optional input: nothing to prove
		}
		switch l, ok := producer[s]; {
		case ok:
			srcs = append(srcs, InputSource{Kind: FromLeaf, Leaf: l, Name: p.slotNames[s]})
		case isInput[s]:
			srcs = append(srcs, InputSource{Kind: FromItem, Name: p.slotNames[s]})
		default:
			srcs = append(srcs, InputSource{Kind: FromWeight, Name: p.slotNames[s]})
		}
	}
	return p.graph.Nodes[p.order[k]], srcs, nil
}

// leafStep maps a per-item leaf index to (step, output index).
func (p *Program) leafStep(local int) (int, int, error) {
	if local < 0 || local >= p.outputs {
		return 0, 0, fmt.Errorf("leaf %d outside [0, %d)", local, p.outputs)
	}
	for k := range p.steps {
		if local < len(p.outs[k]) {
			return k, local, nil
		}
		local -= len(p.outs[k])
	}
	return 0, 0, fmt.Errorf("leaf index inconsistent with the program")
}

// Recompute runs the single operator behind leaf `local` on the given
// inputs (in LeafNode order) with the reference kernel, after checking each
// input's type and shape against the compiled graph, and returns the output
// whose hash the leaf commits to.
func (p *Program) Recompute(local int, inputs []*Tensor) (out *Tensor, err error) {
	k, o, err := p.leafStep(local)
	if err != nil {
		return nil, err
	}
	n := p.graph.Nodes[p.order[k]]
	// inputs are the present ones, in LeafNode order; omitted optional
	// inputs are nil arguments of the kernel.
	var present []int
	for _, s := range p.ins[k] {
		if s != absentSlot {
			present = append(present, s)
		}
	}
	if len(inputs) != len(present) {
		return nil, n.errorf("recompute needs %d inputs, got %d", len(present), len(inputs))
	}
	for i, s := range present {
		want, t := p.infos[s], inputs[i]
		if t == nil || t.DType != want.DType || !sameShape(t.Shape, want.Shape) ||
			(!t.DType.ints() && len(t.F) != numel(t.Shape)) || (t.DType.ints() && len(t.I) != numel(t.Shape)) {
			return nil, n.errorf("recompute input %d must be %s %v", i, want.DType, want.Shape)
		}
		if err := checkCanonical(t); err != nil {
			return nil, n.errorf("recompute input %d: %v", i, err)
		}
	}
	args := make([]*Tensor, 0, len(p.ins[k]))
	next := 0
	for _, s := range p.ins[k] {
		if s == absentSlot {
			args = append(args, nil)
			continue
		}
		args = append(args, inputs[next])
		next++
	}
	inputs = args
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, n.errorf("internal error: %v", r)
		}
	}()
	if p.folded[k] {
		return p.infos[p.outs[k][o]].Const, nil
	}
	return p.steps[k].run(inputs, 1)[o], nil
}

// LeafFLOPs is the arithmetic of the operator behind leaf `local` (its
// builder's estimate, at least one per output element for data movement):
// what a referee step that recomputes it is bounded and charged by.
func (p *Program) LeafFLOPs(local int) (int64, error) {
	k, _, err := p.leafStep(local)
	if err != nil {
		return 0, err
	}
	var n int64
	for _, s := range p.outs[k] {
		n += int64(numel(p.infos[s].Shape))
	}
	return max(p.steps[k].flops, n), nil
}

// Folded reports whether the operator behind leaf `local` was evaluated at
// compile time (its inputs are all constants).
func (p *Program) Folded(local int) bool {
	k, _, err := p.leafStep(local)
	return err == nil && p.folded[k]
}

// Initializer is the graph's initializer of that name, or nil.
func (p *Program) Initializer(name string) *Tensor { return p.graph.Initializers[name] }

// LeafInfo is the compiled type and shape of the output behind leaf
// `local`.
func (p *Program) LeafInfo(local int) (TensorInfo, error) {
	k, o, err := p.leafStep(local)
	if err != nil {
		return TensorInfo{}, err
	}
	return p.infos[p.outs[k][o]], nil
}
