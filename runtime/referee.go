package runtime

import "slices"

// Referee support: in a Verde dispute the parties bisect the trace down to
// one leaf k where they part, and the chain recomputes that one operator.
// These methods say where leaf k's inputs come from and recompute it from
// inputs supplied (and proven) by a party; which operators stand behind a
// leaf depends on the runtime version (leaves.go).

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
// input of its group comes from (leaves.go: in version 1 the group is the
// node alone).
func (p *Program) LeafNode(local int) (*Node, []InputSource, error) {
	k, _, err := p.leafStep(local)
	if err != nil {
		return nil, nil, err
	}
	var srcs []InputSource
	for _, s := range p.external(k) {
		switch l := p.lay.slotOf[s]; {
		case l >= 0:
			srcs = append(srcs, InputSource{Kind: FromLeaf, Leaf: l, Name: p.slotNames[s]})
		case slices.Contains(p.inSlots, s):
			srcs = append(srcs, InputSource{Kind: FromItem, Name: p.slotNames[s]})
		default:
			srcs = append(srcs, InputSource{Kind: FromWeight, Name: p.slotNames[s]})
		}
	}
	return p.graph.Nodes[p.order[k]], srcs, nil
}

// Recompute runs the operators behind leaf `local` (its group: the node
// alone in version 1) on the given inputs (in LeafNode order) with the
// reference kernels, after checking each input's type and shape against
// the compiled graph, and returns the output whose hash the leaf commits
// to.
func (p *Program) Recompute(local int, inputs []*Tensor) (out *Tensor, err error) {
	k, o, err := p.leafStep(local)
	if err != nil {
		return nil, err
	}
	n := p.graph.Nodes[p.order[k]]
	ext := p.external(k)
	if len(inputs) != len(ext) {
		return nil, n.errorf("recompute needs %d inputs, got %d", len(ext), len(inputs))
	}
	for i, s := range ext {
		want, t := p.infos[s], inputs[i]
		if t == nil || t.DType != want.DType || !sameShape(t.Shape, want.Shape) ||
			(!t.DType.ints() && len(t.F) != numel(t.Shape)) || (t.DType.ints() && len(t.I) != numel(t.Shape)) {
			return nil, n.errorf("recompute input %d must be %s %v", i, want.DType, want.Shape)
		}
		if err := checkCanonical(t); err != nil {
			return nil, n.errorf("recompute input %d: %v", i, err)
		}
	}
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, n.errorf("internal error: %v", r)
		}
	}()
	if p.folded[k] {
		return p.infos[p.outs[k][o]].Const, nil
	}
	// Each member reads the next given inputs in order, or the output of
	// a member before it; omitted optional inputs are nil arguments.
	inside := map[int]*Tensor{}
	next := 0
	for _, m := range p.lay.members[k] {
		args := make([]*Tensor, 0, len(p.ins[m]))
		for _, s := range p.ins[m] {
			switch v, ok := inside[s]; {
			case s == absentSlot:
				args = append(args, nil)
			case ok:
				args = append(args, v)
			default:
				args = append(args, inputs[next])
				next++
			}
		}
		for i, v := range p.steps[m].run(args, 1) {
			inside[p.outs[m][i]] = v
		}
	}
	return inside[p.outs[k][o]], nil
}

// LeafFLOPs is the arithmetic of the operators behind leaf `local` (each
// builder's estimate, at least one per output element for data movement,
// summed over the leaf's group): what a referee step that recomputes it is
// bounded and charged by.
func (p *Program) LeafFLOPs(local int) (int64, error) {
	k, _, err := p.leafStep(local)
	if err != nil {
		return 0, err
	}
	return p.groupCost(p.lay.members[k]), nil // a folded step is a group of one
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
