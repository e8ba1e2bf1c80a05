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
	"crypto/sha256"
	"encoding/binary"
)

// stream is a SHA-256 counter-mode random stream.
type stream struct {
	seed    []byte
	counter uint64
	buf     []byte
}

func newStream(seed uint64, purpose string) *stream {
	return &stream{seed: append(binary.LittleEndian.AppendUint64(nil, seed), purpose...)}
}

func (s *stream) uint64() uint64 {
	if len(s.buf) < 8 {
		h := sha256.New()
		h.Write(s.seed)
		h.Write(binary.LittleEndian.AppendUint64(nil, s.counter))
		s.counter++
		s.buf = h.Sum(nil)
	}
	v := binary.LittleEndian.Uint64(s.buf)
	s.buf = s.buf[8:]
	return v
}

// uniform returns a float32 in [-a, a): 24 random bits scaled exactly.
func (s *stream) uniform(a float32) float32 {
	u := float32(s.uint64()>>40) / (1 << 24) // exact: 24-bit integer over 2^24
	return float32((float32(2*u) - 1) * a)   // 2*u is exact; wrapped anyway
}
