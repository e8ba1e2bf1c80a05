// Package train trains small classifiers (multinomial logistic regression,
// an MLP, a small CNN) on the image benchmarks, bit-for-bit reproducibly,
// and exports them as ONNX models the runtime loads.
//
// Reproducibility rules: every random number comes from SHA-256 in counter
// mode over the seed; every product is wrapped in float32(...) (no FMA);
// every sum has one fixed order; a batch is split into a fixed number of
// shards (not one per CPU) whose gradients are added in shard order; the
// ONNX file is marshalled deterministically. Training twice with the same
// configuration gives the same bytes on any platform.
package train

import (
	"encoding/binary"

	"github.com/delphi-network/delphi/runtime/detrand"
)

// stream is the runtime's SHA-256 counter-mode stream with the float
// draws training needs.
type stream struct{ *detrand.Stream }

func newStream(seed uint64, purpose string) *stream {
	return &stream{detrand.New(append(binary.LittleEndian.AppendUint64(nil, seed), purpose...))}
}

// uniform returns a float32 in [-a, a): 24 random bits scaled exactly.
func (s *stream) uniform(a float32) float32 {
	// (k − 2^23) / 2^23 for a 24-bit k is exact in [-1, 1): the integer
	// subtraction leaves no float add for a compiler to fuse with the scaling.
	v := float32(int64(s.Uint64()>>40)-1<<23) / (1 << 23)
	return float32(v * a)
}
