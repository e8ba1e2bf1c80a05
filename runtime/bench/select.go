package bench

import (
	"encoding/binary"
	"fmt"

	"github.com/delphi-network/delphi/runtime/detrand"
)

// Select draws n distinct item indices from [0, total) from a seed (on chain:
// bytes derived from a block hash). The random stream is SHA-256 in counter
// mode (runtime/detrand), block j = SHA-256(seed || uint64 LE j), read as
// little-endian uint64 words; uniform integers come from rejection sampling
// (no modulo bias); a
// partial Fisher-Yates shuffle over 0..total-1 picks, for i = 0..n-1, the
// element at i + uniform(total - i). Indices are returned in draw order,
// which is the canonical item order of the run. No math/rand anywhere.
func Select(seed []byte, n, total int) ([]int, error) {
	if n < 0 || n > total {
		return nil, fmt.Errorf("cannot select %d items from %d", n, total)
	}
	s := detrand.New(seed)
	idx := make([]int, total)
	for i := range idx {
		idx[i] = i
	}
	for i := 0; i < n; i++ {
		j := i + int(s.Uintn(uint64(total-i)))
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
