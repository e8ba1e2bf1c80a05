package types

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"sort"
)

// Domain tags of the seeds.
const (
	seedDomain      = "delphi/evaluation/seed/v1"
	roundSeedDomain = "delphi/evaluation/round-seed/v2"
)

// Contribution is a validator's revealed contribution to a seed.
type Contribution struct {
	Validator []byte
	Value     []byte
}

// SeedValue is the seed of height made of revealed contributions:
// SHA-256(domain ‖ height (8 bytes BE) ‖ for each contribution in
// address order: address length (1 byte) ‖ address ‖ value). One honest
// contribution, unknown to everyone else until revealed, makes it
// unpredictable; the set of contributors was fixed before anyone revealed.
func SeedValue(height int64, contributions []Contribution) []byte {
	sorted := append([]Contribution(nil), contributions...)
	sort.Slice(sorted, func(i, j int) bool { return bytes.Compare(sorted[i].Validator, sorted[j].Validator) < 0 })
	h := sha256.New()
	h.Write([]byte(seedDomain))
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], uint64(height))
	h.Write(buf[:])
	for _, c := range sorted {
		h.Write([]byte{byte(len(c.Validator))})
		h.Write(c.Validator)
		h.Write(c.Value)
	}
	return h.Sum(nil)
}

// RoundSeed is the seed of a round attempt drawn with the seed value of
// its seed height: SHA-256(domain ‖ evaluation (8 bytes BE) ‖ round (4) ‖
// attempt (4) ‖ seed value). Rounds drawn at the same height share the
// validators' randomness but not their items.
func RoundSeed(evaluationID uint64, round, attempt uint32, seedValue []byte) [32]byte {
	h := sha256.New()
	h.Write([]byte(roundSeedDomain))
	var buf [16]byte
	binary.BigEndian.PutUint64(buf[:8], evaluationID)
	binary.BigEndian.PutUint32(buf[8:12], round)
	binary.BigEndian.PutUint32(buf[12:16], attempt)
	h.Write(buf[:])
	h.Write(seedValue)
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}
