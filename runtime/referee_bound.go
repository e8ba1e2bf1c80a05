package runtime

import "fmt"

// What one Verde referee step may carry and compute. A referee step
// carries the model's skeleton, the weights the disputed operator reads
// (each a weight-tree leaf with its proof) and its other inputs (earlier
// outputs of the item, or the benchmark item, each with its proof); the
// chain recomputes that one operator. A model any of whose leaves needs
// more than these bounds could not be refereed, so it is refused: at
// registration (by its declared RefereeStep, which x/evaluation checks
// against these bounds) and by every validator's runtime before it
// evaluates (CheckRefereeStep), alike everywhere since both are constants.
const (
	// MaxRefereeStepBytes keeps a referee transaction within what a node
	// with CometBFT's default config accepts: its JSON-RPC server reads at
	// most 1,000,000 bytes of request (max_body_bytes), and
	// broadcast_tx_sync carries the transaction base64-encoded, 4/3 of its
	// size; 640 KiB of step and the envelope (signature, fee, the message's
	// other fields) stay under both that and max_tx_bytes (1 MiB).
	MaxRefereeStepBytes = 640 << 10
	// MaxRefereeStepFLOPs bounds the one operator the chain recomputes
	// (the reference kernel does it in well under a second).
	MaxRefereeStepFLOPs = 100_000_000
	// refereeProofBytes is what one proven input adds besides its value:
	// its leaf (two hex hashes), a Merkle path of up to 48 siblings and
	// the protobuf framing.
	refereeProofBytes = 2048
)

// RefereeStep is the largest referee step over any leaf of a model: the
// bytes one step carries and the FLOPs the chain spends on it (the maxima
// may come from different leaves).
type RefereeStep struct {
	Bytes int64
	FLOPs int64
}

// RefereeStep computes the model's largest referee step from its compiled
// program: for every leaf of an item (after the first, whose total also
// reads the previous item's), the skeleton plus each input as the referee
// step carries it — at every runtime version this build implements, so a
// declaration covers an evaluation recorded at any of them (version 2's
// groups are never larger than version 1's largest operator: leaves.go;
// version 3's are version 2's without room). It is the smallest step the
// model can declare; what it declares above this is version 3's room
// (AtVersionDeclared), so it is computed without room.
func (m *Model) RefereeStep() (RefereeStep, error) {
	return m.refereeStepThrough(supported[len(supported)-1])
}

// refereeStepThrough is RefereeStep over the supported versions up to v.
func (m *Model) refereeStepThrough(v uint32) (RefereeStep, error) {
	var out RefereeStep
	for _, at := range supported {
		if at > v {
			break
		}
		step, err := m.RefereeStepAt(at)
		if err != nil {
			return out, err
		}
		out.Bytes, out.FLOPs = max(out.Bytes, step.Bytes), max(out.FLOPs, step.FLOPs)
	}
	return out, nil
}

// heldToBounds is s with each figure held to [0, the chain's bound on a
// step].
func (s RefereeStep) heldToBounds() RefereeStep {
	return RefereeStep{Bytes: min(max(s.Bytes, 0), MaxRefereeStepBytes), FLOPs: min(max(s.FLOPs, 0), MaxRefereeStepFLOPs)}
}

// Declared is a registration's declared referee step (its uint64
// referee_step_bytes and referee_step_flops) as every party reads it: each
// figure held to the chain's bounds. A declaration above them cannot come
// in through a message (x/evaluation ValidateRefereeStep) and could not be
// refereed anyway; reading it one way everywhere keeps the sidecar's and
// the referee's rooms (AtVersionDeclared) the same.
func Declared(bytes, flops uint64) RefereeStep {
	return RefereeStep{Bytes: int64(min(bytes, MaxRefereeStepBytes)), FLOPs: int64(min(flops, MaxRefereeStepFLOPs))}
}

// RefereeStepAt is the largest referee step over version v's leaves.
func (m *Model) RefereeStepAt(v uint32) (RefereeStep, error) {
	at, err := m.AtVersion(v)
	if err != nil {
		return RefereeStep{}, err
	}
	return at.refereeStep()
}

// LargestStep is the largest referee step over the model's own leaves (its
// version and room): what a dispute over it may carry, within the
// declaration its room came from (AtVersionDeclared).
func (m *Model) LargestStep() (RefereeStep, error) { return m.refereeStep() }

// refereeStep is RefereeStep at the model's own version and room.
func (m *Model) refereeStep() (RefereeStep, error) {
	var out RefereeStep
	skeleton := int64(len(SkeletonLeafData(m.Skeleton()))) + refereeProofBytes
	ops := m.Program.LeavesPerItem()
	in := m.InputShape()
	item := int64(4*numel(in)) + 16 + refereeProofBytes
	for local := 0; local < m.LeavesPerItem(); local++ {
		srcs, err := m.LeafSources(1, local)
		if err != nil {
			return out, err
		}
		bytes := skeleton
		for _, s := range srcs {
			switch s.Kind {
			case FromWeight:
				t := m.Graph.Initializers[s.Name]
				if t == nil {
					return out, fmt.Errorf("leaf %d reads %q, not an initializer", local, s.Name)
				}
				if t.DType == Float32 { // integer constants travel in the skeleton
					bytes += int64(9+len(s.Name)+8*len(t.Shape)+4*t.Len()) + refereeProofBytes
				}
			case FromLeaf:
				bytes += 8 + refereeProofBytes // a score leaf, or the previous total
				if s.Leaf >= 0 && s.Leaf < ops {
					info, err := m.Program.LeafInfo(s.Leaf)
					if err != nil {
						return out, err
					}
					bytes += int64(elemBytes(info.DType) * numel(info.Shape))
				}
			case FromItem, FromLabel:
				bytes += item
			}
		}
		flops := int64(1)
		if local < ops {
			if flops, err = m.Program.LeafFLOPs(local); err != nil {
				return out, err
			}
		} else if l, err := m.logitsLeaf(); err == nil && local-ops == scorePrediction {
			info, _ := m.Program.LeafInfo(l)
			flops = int64(numel(info.Shape))
		}
		out.Bytes, out.FLOPs = max(out.Bytes, bytes), max(out.FLOPs, flops)
	}
	return out, nil
}

// CheckRefereeStep refuses a model whose largest referee step exceeds the
// bounds, or exceeds what its registration declared (declared is zero
// when nothing was declared: then only the bounds apply).
//
// It also compiles the model from its skeleton, as the referee will, and
// refuses one whose program there is not the same leaf for leaf.
func CheckRefereeStep(m *Model, declared RefereeStep) error {
	got, err := m.RefereeProfile()
	if err != nil {
		return err
	}
	return got.Admitted(declared)
}

// RefereeProfile is RefereeStep after checking that the model compiles
// from its skeleton to the same program, leaf for leaf: what depends on
// the model alone, so a caller checking many registrations of one
// artifact computes it once and calls Admitted for each.
func (m *Model) RefereeProfile() (RefereeStep, error) {
	got, err := m.RefereeStep()
	if err != nil {
		return got, err
	}
	sk, err := LoadSkeleton(m.Skeleton(), DefaultLimits())
	if err != nil {
		return got, fmt.Errorf("the model does not compile from its skeleton, so the chain could not referee it: %w", err)
	}
	if sk.LeavesPerItem() != m.LeavesPerItem() {
		return got, fmt.Errorf("the model has %d leaves per item, its skeleton %d", m.LeavesPerItem(), sk.LeavesPerItem())
	}
	for l := 0; l < m.Program.LeavesPerItem(); l++ {
		a, errA := m.Program.LeafInfo(l)
		b, errB := sk.Program.LeafInfo(l)
		if errA != nil || errB != nil || a.DType != b.DType || !sameShape(a.Shape, b.Shape) {
			return got, fmt.Errorf("leaf %d differs between the model and its skeleton", l)
		}
	}
	return got, nil
}

// Admitted refuses a step above the bounds or above a non-zero declaration.
func (s RefereeStep) Admitted(declared RefereeStep) error {
	if err := s.WithinBounds(); err != nil {
		return err
	}
	if declared != (RefereeStep{}) && (s.Bytes > declared.Bytes || s.FLOPs > declared.FLOPs) {
		return fmt.Errorf("the largest referee step carries %d bytes and %d FLOPs, the registration declared at most %d and %d",
			s.Bytes, s.FLOPs, declared.Bytes, declared.FLOPs)
	}
	return nil
}

// WithinBounds refuses a step above MaxRefereeStepBytes or MaxRefereeStepFLOPs.
func (s RefereeStep) WithinBounds() error {
	if s.Bytes > MaxRefereeStepBytes {
		return fmt.Errorf("an operator's referee step carries %d bytes, above %d: the chain could not referee it", s.Bytes, MaxRefereeStepBytes)
	}
	if s.FLOPs > MaxRefereeStepFLOPs {
		return fmt.Errorf("an operator's referee step computes %d FLOPs, above %d: the chain could not referee it", s.FLOPs, MaxRefereeStepFLOPs)
	}
	return nil
}

// elemBytes is one element's size on the wire (Tensor.Bytes).
func elemBytes(d DType) int { return d.width() }
