package runtime

import (
	"fmt"
	"slices"
)

// Version is the runtime semantics this build computes by default: every
// operator's reduction order (README: "Canonical reduction order", computed
// by the vector kernels of simd.go in that order) and the trace format
// (SHA-256 output hashes, the running accumulator from 32 zero bytes, the
// Merkle root). Two runtimes of the same version give the same bits, so
// the same trace roots, on every CPU; a change to any order or to the trace
// format is a new version.
//
// The chain records a version per evaluation (x/evaluation's params
// runtime_version, copied into each evaluation when it is created), so a
// trace root is only ever compared with roots of its own version:
// validators compute, and the referee recomputes, an evaluation under its
// recorded version. Moving a chain to a new version is a binary that
// implements both (SupportsVersion), then the param raised: evaluations and
// disputes opened before keep the old one.
//
// Version 1: the output-stationary order — one accumulator per output,
// terms in the documented order, acc = acc + float32(a·b) — and SHA-256
// traces with one leaf per operator output.
//
// Version 2: version 1's arithmetic and hashing, with fewer leaves: an
// operator whose only output feeds one other operator is fused into that
// operator's group, which the referee recomputes whole (leaves.go). It
// hashes about a seventh of version 1's bytes on a CNN.
//
// Version 3: version 2's groups, which may also grow into the room a
// model's registration declares above its smallest referee step
// (Model.AtVersionDeclared): the registrant chooses between a cheaper
// referee step and a cheaper trace. A model declared at its smallest step
// has version 2's groups. Language models take no room yet (llm).
const Version uint32 = 3

// supported lists the versions this build implements, oldest first.
var supported = []uint32{1, 2, 3}

// SupportedVersions reports the versions this build implements.
func SupportedVersions() []uint32 { return slices.Clone(supported) }

// SupportsVersion reports whether this build computes version v.
func SupportsVersion(v uint32) bool { return slices.Contains(supported, v) }

// CheckVersion is SupportsVersion as an error naming what is implemented.
func CheckVersion(v uint32) error {
	if !SupportsVersion(v) {
		return fmt.Errorf("runtime version %d is not implemented by this build (it implements %v)", v, supported)
	}
	return nil
}
