package bench

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
)

// Select draws n distinct item indices from [0, total) from a seed (on chain:
// bytes derived from a block hash). The random stream is SHA-256 in counter
// mode, block j = SHA-256(seed || uint64 LE j), read as little-endian uint64
// words; uniform integers come from rejection sampling (no modulo bias); a
// partial Fisher-Yates shuffle over 0..total-1 picks, for i = 0..n-1, the
// element at i + uniform(total - i). Indices are returned in draw order,
// which is the canonical item order of the run. No math/rand anywhere.
func Select(seed []byte, n, total int) ([]int, error) {
	if n < 0 || n > total {
		return nil, fmt.Errorf("cannot select %d items from %d", n, total)
	}
	s := &stream{seed: seed}
	idx := make([]int, total)
	for i := range idx {
		idx[i] = i
	}
	for i := 0; i < n; i++ {
		j := i + int(s.uniform(uint64(total-i)))
		idx[i], idx[j] = idx[j], idx[i]
	}
	return idx[:n], nil
}

// SeedFromUint64 encodes a numeric seed (the CLI's --seed) as 8 LE bytes.
func SeedFromUint64(s uint64) []byte { return binary.LittleEndian.AppendUint64(nil, s) }

// All returns 0..total-1: the whole set in file order.
func All(total int) []int {
	idx := make([]int, total)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

type stream struct {
	seed    []byte
	counter uint64
	buf     []byte
}

func (s *stream) next() uint64 {
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

// uniform returns a uniform integer in [0, m), m >= 1.
func (s *stream) uniform(m uint64) uint64 {
	// accept x < limit, the largest multiple of m that fits in 2^64
	limit := -(-m % m) // = 2^64 - (2^64 mod m), as uint64 arithmetic (0 means 2^64)
	for {
		x := s.next()
		if limit == 0 || x < limit {
			return x % m
		}
	}
}
