package runtime

import (
	"fmt"
	"slices"
)

// Trace leaves by runtime version.
//
// Version 1 commits every operator output: one leaf per output, and the
// referee recomputes one operator.
//
// Version 2 commits fewer bytes. An operator whose only output is read by
// exactly one later operator, and is not a graph output, is fused into
// that reader's group: its output is internal to the group and gets no
// leaf. A leaf is an output of a group's last operator (its root), and the
// referee recomputes the whole group from the group's external inputs,
// every one of them an earlier leaf, a weight or the item, as in version 1.
// Fusing is greedy in program order (each reader takes its producers in
// input order) and stops where the group would cost more than the
// program's largest single operator, in referee FLOPs or in the bytes a
// referee step carries: a version 2 step is never larger than the largest
// version 1 step, so a model admitted for one is refereeable in the other.
//
// Version 3 fuses by version 2's rules, but its groups may also use the
// room the model's registration declared: a model declares its largest
// referee step (bytes carried, FLOPs recomputed), and what it declares
// above the smallest step it could declare (RefereeStep) is room the
// groups may grow into, on top of the largest single operator. The
// declaration is chain state, so every sidecar and the referee compute the
// same groups; a step stays within the declaration, which x/evaluation
// holds within the bounds one transaction can carry. A model declared at
// its smallest step gets version 2's groups; one that declares more trades
// a larger, costlier referee step (paid by a dispute's loser) for fewer
// leaves: the zoo CNN declared at the chain's bounds commits one leaf per
// image.
//
// Why: hashing every output cost more than computing it (SHA-256 runs at
// about 2 GB/s; an MNIST CNN writes 130 KB of outputs per image in 80 µs).
// A conv, its bias, its activation and its pooling commit only the pooled
// output. Bisection stays sound: a group's external inputs are leaves
// before its own, so two parties agreeing on leaf i−1 agree on every input
// of group i, and the group is a deterministic function of them.

// leafLayout is a program's leaves at one version.
type leafLayout struct {
	version uint32
	room    RefereeStep // version 3's room above the largest operator (zero below 3)
	at      []leafRef   // leaf -> its root step and output index
	members [][]int     // root step -> the steps its leaves recompute, in program order
	slotOf  []int       // value slot -> leaf, or -1 (an input, a weight or internal)
	inner   []bool      // value slot -> an operator output inside a group (no leaf)
}

type leafRef struct{ step, out int }

// Version is the runtime version of the program's leaves.
func (p *Program) Version() uint32 { return p.lay.version }

// Room is version 3's room above the largest operator, in referee-step
// bytes and FLOPs (zero below version 3).
func (p *Program) Room() RefereeStep { return p.lay.room }

// AtVersion is the program with version v's leaves and no room; the steps,
// kernels and outputs are shared.
func (p *Program) AtVersion(v uint32) (*Program, error) {
	return p.AtVersionWithin(v, RefereeStep{})
}

// AtVersionWithin is the program with version v's leaves, whose groups
// may grow by room beyond the largest single operator at version 3 and
// later (room is ignored below; each figure is clamped to [0, the chain's
// bound on a step], which no declaration exceeds). A caller
// derives room from a registration's declaration (Model.AtVersionDeclared,
// which is what keeps a step within it), never from its own choice: the
// groups must be the ones every other party computes.
func (p *Program) AtVersionWithin(v uint32, room RefereeStep) (*Program, error) {
	if err := CheckVersion(v); err != nil {
		return nil, err
	}
	room = room.heldToBounds()
	if v < 3 {
		room = RefereeStep{}
	}
	if p.lay.version == v && p.lay.room == room {
		return p, nil
	}
	q := *p
	q.lay = p.layout(v, room)
	return &q, nil
}

// layout computes version v's leaves with room (zero below version 3); v
// is a supported version.
func (p *Program) layout(v uint32, room RefereeStep) *leafLayout {
	n := len(p.steps)
	owner := make([]int, n) // step -> the step whose group absorbed it, or itself
	for k := range owner {
		owner[k] = k
	}
	if v >= 2 {
		p.fuse(owner, room)
	}
	lay := &leafLayout{version: v, room: room, members: make([][]int, n),
		slotOf: make([]int, p.nslots), inner: make([]bool, p.nslots)}
	for s := range lay.slotOf {
		lay.slotOf[s] = -1
	}
	for k := range p.steps {
		for o, s := range p.outs[k] {
			if owner[k] == k {
				lay.slotOf[s] = len(lay.at)
				lay.at = append(lay.at, leafRef{k, o})
			} else {
				lay.inner[s] = true
			}
		}
	}
	// Members in program order: a step's root is found by following the
	// absorbing steps (always later ones) to a step that kept its leaves;
	// each step's root is settled before the steps it absorbed are seen
	// again, walking backwards.
	root := make([]int, n)
	for k := n - 1; k >= 0; k-- {
		if root[k] = k; owner[k] != k {
			root[k] = root[owner[k]]
		}
	}
	for k := range p.steps {
		lay.members[root[k]] = append(lay.members[root[k]], k)
	}
	return lay
}

// fuse forms version 2's groups, or version 3's with room: owner[j] = c
// when c's group absorbs j's. A group's cost and carried bytes are kept as
// running totals, so forming the groups is linear in the program's size
// whatever their length.
func (p *Program) fuse(owner []int, room RefereeStep) {
	producer := make([]int, p.nslots)
	for s := range producer {
		producer[s] = -1
	}
	for k, outs := range p.outs {
		for _, s := range outs {
			producer[s] = k
		}
	}
	readers := make([]int, p.nslots) // steps reading the slot, each once
	seen := make([]int, p.nslots)    // slot -> 1 + the last step that counted it
	for k, ins := range p.ins {
		for _, s := range ins {
			if s != absentSlot && seen[s] != k+1 {
				seen[s] = k + 1
				readers[s]++
			}
		}
	}
	graphOut := make([]bool, p.nslots)
	for _, s := range p.outSlot {
		graphOut[s] = true
	}
	// cost and bytes are each group's FLOPs and the sum of its inputs' hi;
	// the caps are the largest single operator's FLOPs and sum of lo, plus
	// the room.
	cost, bytes := make([]int64, len(p.steps)), make([]int64, len(p.steps))
	var maxCost, maxBytes int64
	for k := range p.steps {
		cost[k] = p.stepCost(k)
		var lo int64
		for _, s := range p.ins[k] {
			l, h := p.sourceBytes(s, producer)
			lo, bytes[k] = lo+l, bytes[k]+h
		}
		if !p.folded[k] {
			maxCost, maxBytes = max(maxCost, cost[k]), max(maxBytes, lo)
		}
	}
	maxCost, maxBytes = maxCost+room.FLOPs, maxBytes+room.Bytes
	for c := range p.steps {
		if p.folded[c] {
			continue
		}
		for _, s := range p.ins[c] {
			if s == absentSlot || seen[s] == -(c+1) {
				continue
			}
			seen[s] = -(c + 1) // each input slot once per reader
			j := producer[s]
			if j < 0 || p.folded[j] || len(p.outs[j]) != 1 || graphOut[s] || readers[s] != 1 {
				continue
			}
			// c stops carrying s (every read of it) and carries j's inputs.
			nc, nb := cost[c]+cost[j], bytes[c]+bytes[j]
			_, h := p.sourceBytes(s, producer)
			for _, r := range p.ins[c] {
				if r == s {
					nb -= h
				}
			}
			if nc <= maxCost && nb <= maxBytes {
				owner[j], cost[c], bytes[c] = c, nc, nb
			}
		}
	}
}

// stepCost is what recomputing step k costs the referee: its builder's
// FLOPs, at least one per output element (data movement).
func (p *Program) stepCost(k int) int64 {
	var n int64
	for _, s := range p.outs[k] {
		n += int64(numel(p.infos[s].Shape))
	}
	return max(p.steps[k].flops, n)
}

// sourceBytes bounds what a referee step carries for one input read from
// slot s, as every referee counts it (lo ≤ each count ≤ hi). A group is
// admitted when the sum of its inputs' hi stays within the largest single
// operator's sum of lo, so under every count a version 2 step is no larger
// than the largest version 1 step.
//
// A classifier's referee (Model.RefereeStep: its float32 weights vary, so
// each is a proven part) counts an earlier output or the item as float32
// with its proof, a float32 weight with its name and shape, and integer
// weights not at all (they travel in the skeleton): lo = hi. A language
// model's (llm.Model.RefereeStep) counts an output with its proof, the
// token window at 8 bytes a token, and a weight as its part: as stored
// (quantized: fewer bytes, 4 more of header), or nothing for the graph's
// own constants (masks, rotary tables).
func (p *Program) sourceBytes(s int, producer []int) (lo, hi int64) {
	if s == absentSlot {
		return 0, 0
	}
	info := p.infos[s]
	n := int64(numel(info.Shape))
	classifier := p.graph.floatsVary
	switch {
	case producer[s] >= 0:
		lo, hi = int64(elemBytes(info.DType))*n+refereeProofBytes, int64(elemBytes(info.DType))*n+refereeProofBytes+8
		if classifier {
			lo = hi
		}
	case slices.Contains(p.inSlots, s):
		lo, hi = 4*n+16+refereeProofBytes, 4*n+16+refereeProofBytes // a classifier's item: float32 features
		if !classifier {
			lo, hi = min(lo, 8*n+refereeProofBytes), max(hi, 8*n+refereeProofBytes)
		}
	case classifier && info.DType == Float32:
		lo = int64(9+len(p.slotNames[s])+8*len(info.Shape)) + 4*n + refereeProofBytes
		hi = lo
	case classifier:
	default:
		hi = int64(13+len(p.slotNames[s])+8*len(info.Shape)) + int64(max(4, elemBytes(info.DType)))*n + refereeProofBytes
	}
	return lo, hi
}

// leafStep maps a per-item leaf index to its root step and output index.
func (p *Program) leafStep(local int) (int, int, error) {
	if local < 0 || local >= len(p.lay.at) {
		return 0, 0, fmt.Errorf("leaf %d outside [0, %d)", local, len(p.lay.at))
	}
	r := p.lay.at[local]
	return r.step, r.out, nil
}

// external lists the value slots a group reads from outside itself: each
// member's present inputs, in program order then input order, except the
// outputs of members fused into it (duplicates kept, as LeafNode lists
// them). An output without a leaf is read only inside its reader's group.
func (p *Program) external(root int) []int {
	var slots []int
	for _, k := range p.lay.members[root] {
		for _, s := range p.ins[k] {
			if s != absentSlot && !p.lay.inner[s] {
				slots = append(slots, s)
			}
		}
	}
	return slots
}

// groupCost is what recomputing a group costs the referee.
func (p *Program) groupCost(members []int) int64 {
	var c int64
	for _, k := range members {
		c += p.stepCost(k)
	}
	return c
}
