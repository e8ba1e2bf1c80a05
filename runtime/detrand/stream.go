// Package detrand is the runtime's one deterministic random stream, shared by
// benchmark item selection (consensus: every validator draws the same items)
// and training (reproducible model bytes). It is SHA-256 in counter mode:
// block j = SHA-256(seed || uint64 LE j), read as little-endian uint64 words.
// No math/rand, nothing that depends on the platform.
package detrand

import (
	"crypto/sha256"
	"encoding/binary"
)

// Stream is a SHA-256 counter-mode stream of uint64 words.
type Stream struct {
	seed    []byte
	counter uint64
	buf     []byte
}

// New starts a stream at block 0 of seed.
func New(seed []byte) *Stream { return &Stream{seed: seed} }

// Uint64 returns the next word.
func (s *Stream) Uint64() uint64 {
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

// Uintn returns a uniform integer in [0, m), m >= 1, by rejection sampling
// (no modulo bias).
func (s *Stream) Uintn(m uint64) uint64 {
	// accept x < limit, the largest multiple of m that fits in 2^64
	limit := -(-m % m) // = 2^64 - (2^64 mod m), as uint64 arithmetic (0 means 2^64)
	for {
		x := s.Uint64()
		if limit == 0 || x < limit {
			return x % m
		}
	}
}
