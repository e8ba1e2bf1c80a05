package runtime

import (
	"errors"
	"fmt"
)

// Program is a graph compiled for static shapes: nodes in canonical
// topological order, each validated against its input shapes and bounded by
// Limits. It is immutable and safe for concurrent Run calls.
type Program struct {
	graph     *Graph
	order     []int   // node indices in canonical order
	steps     []*step // parallel to order
	ins       [][]int // value slots each step reads
	outs      [][]int // value slots each step writes
	inputs    []ValueInfo
	inSlots   []int
	outSlot   []int
	consts    []*Tensor   // slot -> value before a run (initializers, folded constants)
	folded    []bool      // step -> all outputs known at compile time (not rerun per item)
	outConst  [][]*Hash   // step -> output -> its hash when a compile-time constant
	lay       *leafLayout // which outputs are trace leaves (leaves.go), by runtime version
	nslots    int
	infos     []TensorInfo // slot -> compiled type and shape
	slotNames []string     // slot -> value name
	flops     int64
}

// Compile validates g against limits and fixes every shape. Symbolic input
// dimensions are bound to 1. An If whose condition is known while
// compiling is replaced by its taken branch, and a Loop with a known count
// and condition is unrolled (control_flow.go); compilation starts over on
// the result.
func Compile(g *Graph, lim Limits) (*Program, error) {
	p, _, err := compileRewriting(g, lim, &foldBudget{})
	return p, err
}

// foldBudget is the compile-time work (constant folding, operators computed
// while compiling) of one Compile or Specialize across its restarts:
// MaxFoldedFLOPs when set, else MaxFLOPsPerItem — one item's worth.
type foldBudget struct{ spent int64 }

func (b *foldBudget) charge(n *Node, lim Limits, work int64) error {
	limit := lim.MaxFoldedFLOPs
	if limit <= 0 {
		limit = lim.MaxFLOPsPerItem
	}
	if b.spent += max(work, 0); b.spent < 0 || b.spent > limit {
		return n.errorf("constant folding exceeds %d FLOPs (with the other work done while compiling)", limit)
	}
	return nil
}

// compileRewriting compiles g, applying control-flow rewrites until none
// is left; it returns the last graph it compiled (Specialize walks it).
func compileRewriting(g *Graph, lim Limits, budget *foldBudget) (*Program, *Graph, error) {
	for inlined := 0; ; inlined++ {
		p, err := compileOnce(g, lim, budget)
		var rw graphRewrite
		if !errors.As(err, &rw) {
			return p, g, err
		}
		if inlined >= maxRewrites {
			return nil, g, fmt.Errorf("more than %d control-flow rewrites", maxRewrites)
		}
		if g, err = applyRewrite(rw, g, lim); err != nil {
			return nil, g, err
		}
	}
}

// maxRewrites bounds the If inlinings and Loop iterations of one Compile
// (each restarts it).
const maxRewrites = 512

func compileOnce(g *Graph, lim Limits, budget *foldBudget) (*Program, error) {
	if len(g.Nodes) > lim.MaxNodes {
		return nil, fmt.Errorf("graph has %d nodes, limit %d", len(g.Nodes), lim.MaxNodes)
	}
	order, err := g.topoOrder()
	if err != nil {
		return nil, err
	}
	p := &Program{graph: g, order: order}
	slot := map[string]int{}
	var infos []TensorInfo
	newSlot := func(name string, info TensorInfo) int {
		slot[name] = len(infos)
		infos = append(infos, info)
		p.consts = append(p.consts, info.Const)
		return len(infos) - 1
	}
	var weights int64
	counted := map[*Tensor]bool{} // a Loop body's weight joins under a name per iteration: one tensor, counted once
	for _, name := range g.sortedNames() {
		t := g.Initializers[name]
		if int64(t.Len()) > lim.MaxTensorElements {
			return nil, fmt.Errorf("initializer %q has %d elements, limit %d", name, t.Len(), lim.MaxTensorElements)
		}
		if !counted[t] {
			counted[t] = true
			weights += int64(t.Len())
		}
		s := newSlot(name, TensorInfo{DType: t.DType, Shape: t.Shape, Const: g.constOf(name)})
		if !g.stripped[name] {
			p.consts[s] = t // a run reads it even where the compiler may not
		}
	}
	if weights > lim.MaxWeightElements {
		return nil, fmt.Errorf("initializers hold %d elements, limit %d", weights, lim.MaxWeightElements)
	}
	for _, v := range g.RuntimeInputs() {
		shape := make([]int, len(v.Shape))
		span := int64(1) // the product of the non-zero dimensions, which kernels may loop over
		for i, d := range v.Shape {
			if shape[i] = d; d < 0 {
				shape[i] = 1 // symbolic
			}
			if shape[i] > 0 && span <= lim.MaxTensorElements {
				span *= int64(shape[i])
			}
		}
		if err := checkShape(shape); err != nil || span > lim.MaxTensorElements {
			return nil, fmt.Errorf("graph input %q shape %v out of bounds", v.Name, v.Shape)
		}
		// float32 features, integer ids (int64 tokens for language models), bool masks.
		if v.DType != Float32 && v.DType != Float64 && !v.DType.half() && v.DType != Bool && !v.DType.integer() {
			return nil, fmt.Errorf("graph input %q is %s; only float32, float64, float16, bfloat16, integer and bool inputs are supported", v.Name, v.DType)
		}
		p.inputs = append(p.inputs, ValueInfo{Name: v.Name, DType: v.DType, Shape: shape})
		p.inSlots = append(p.inSlots, newSlot(v.Name, TensorInfo{DType: v.DType, Shape: shape}))
	}
	var actBytes int64
	for _, ni := range order {
		n := g.Nodes[ni]
		b, ok := builders[n.OpType]
		if !ok {
			return nil, n.errorf("unsupported operator %q", n.OpType)
		}
		if err := checkOpsetBefore7(n); err != nil {
			return nil, err
		}
		var inInfo []TensorInfo
		var inSlots []int
		for i, name := range n.Inputs {
			if name == "" { // omitted optional input
				later := false
				for _, l := range n.Inputs[i:] {
					later = later || l != ""
				}
				if !later {
					break // trailing: the builder sees fewer inputs
				}
				if !acceptsAbsent[n.OpType] {
					return nil, n.errorf("omitted input %d before a present one is not supported", i)
				}
				inSlots = append(inSlots, absentSlot)
				inInfo = append(inInfo, TensorInfo{})
				continue
			}
			s := slot[name]
			inSlots = append(inSlots, s)
			inInfo = append(inInfo, infos[s])
		}
		st, err := build(b, n, inInfo)
		if err != nil {
			return nil, err
		}
		if st.flops < 0 {
			return nil, n.errorf("cost estimate overflows")
		}
		if len(st.outs) != len(n.Outputs) {
			return nil, n.errorf("has %d outputs, the operator produces %d", len(n.Outputs), len(st.outs))
		}
		// Every builder validates its own output shapes; this is the
		// backstop that keeps a builder's slip from reaching an allocation.
		for _, o := range st.outs {
			if err := checkShape(o.Shape); err != nil {
				return nil, n.errorf("output: %v", err)
			}
			// Before any folding allocates it.
			if int64(numel(o.Shape)) > lim.MaxTensorElements {
				return nil, n.errorf("output %v has %d elements, limit %d", o.Shape, numel(o.Shape), lim.MaxTensorElements)
			}
		}
		// Every step's cost counts against the item's budget, folded or
		// not; checked before folding runs anything.
		if p.flops += st.flops; p.flops < 0 || p.flops > lim.MaxFLOPsPerItem {
			return nil, n.errorf("estimated FLOPs per item exceed the limit %d", lim.MaxFLOPsPerItem)
		}
		// Constant folding: a node whose inputs are all compile-time values
		// gives the same output for every item; compute it once now. Its
		// output is still a trace leaf of every item, with a cached hash.
		folded := len(inInfo) > 0 || n.OpType == "Constant"
		for _, in := range inInfo {
			folded = folded && (in.Const != nil || in.absent())
		}
		// A step whose every output the builder already knows (Shape or
		// Size of a runtime value) is a constant too: not rerun per item,
		// and the referee checks its cached hash instead of its inputs.
		known := len(st.outs) > 0
		for _, o := range st.outs {
			known = known && o.Const != nil
		}
		folded = folded || known
		if known {
			// An operator that computed its outputs while compiling
			// (NonMaxSuppression, Unique, ...) charges what it did.
			if err := budget.charge(n, lim, st.flops); err != nil {
				return nil, err
			}
		}
		if folded && st.outs[0].Const == nil {
			// Data movement counts its output elements, as LeafFLOPs does.
			work := st.flops
			for _, o := range st.outs {
				work = max(work, int64(numel(o.Shape)))
			}
			if err := budget.charge(n, lim, work); err != nil {
				return nil, err
			}
			args := make([]*Tensor, len(inInfo))
			for i, in := range inInfo {
				args[i] = in.Const
			}
			res, err := foldConst(st, args)
			if err != nil {
				return nil, n.errorf("%v", err)
			}
			for i := range st.outs {
				st.outs[i].Const = res[i]
			}
		}
		var outSlots []int
		outConst := make([]*Hash, len(st.outs))
		for i, o := range st.outs {
			if folded {
				h := OutputHash(o.Const)
				outConst[i] = &h
			}
			if int64(numel(o.Shape)) > lim.MaxTensorElements {
				return nil, n.errorf("output %v has %d elements, limit %d", o.Shape, numel(o.Shape), lim.MaxTensorElements)
			}
			actBytes += 8 * int64(numel(o.Shape))
			outSlots = append(outSlots, newSlot(n.Outputs[i], o))
		}
		if actBytes > lim.MaxActivationsBytes {
			return nil, n.errorf("activations exceed the limit of %d bytes per item", lim.MaxActivationsBytes)
		}
		p.steps = append(p.steps, st)
		p.folded = append(p.folded, folded)
		p.ins = append(p.ins, inSlots)
		p.outs = append(p.outs, outSlots)
		p.outConst = append(p.outConst, outConst)
	}
	if len(g.Outputs) == 0 {
		return nil, fmt.Errorf("graph declares no outputs")
	}
	for _, o := range g.Outputs {
		s, ok := slot[o]
		if !ok {
			return nil, fmt.Errorf("graph output %q is not produced", o)
		}
		p.outSlot = append(p.outSlot, s)
	}
	p.nslots = len(infos)
	p.infos = infos
	p.slotNames = make([]string, len(infos))
	for name, s := range slot {
		p.slotNames[s] = name // each slot has exactly one name; order of filling is irrelevant
	}
	p.lay = p.layout(Version, RefereeStep{})
	return p, nil
}

// foldConst runs a step on compile-time values. A kernel that fails on them
// (an out-of-range constant index, say) is a refusal of the model, not a
// crash of the process that compiles it.
func foldConst(st *step, args []*Tensor) (res []*Tensor, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("constant folding failed: %v", r)
		}
	}()
	return st.run(args, 1), nil
}

// build runs a builder; a panic in one (a builder's own bug, reached by a
// crafted node) is a refusal naming the node, never a crashed sidecar or
// a failed transaction.
func build(b builder, n *Node, in []TensorInfo) (st *step, err error) {
	defer func() {
		if r := recover(); r != nil {
			st, err = nil, n.errorf("refused: the operator's compiler failed on this node (%v)", r)
		}
	}()
	return b(n, in)
}

// applyRewrite applies a control-flow rewrite; a panic in one is a refusal.
func applyRewrite(rw graphRewrite, g *Graph, lim Limits) (out *Graph, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("%v: refused (%v)", rw, r)
		}
	}()
	return rw.rewrite(g, lim)
}
