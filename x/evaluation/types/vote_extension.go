package types

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"

	errorsmod "cosmossdk.io/errors"
)

// Lengths of the hashes and secrets an extension carries.
const (
	// TraceRootLen is the length of a trace Merkle root (SHA-256).
	TraceRootLen = 32
	// HashLen is the length of a commitment (SHA-256).
	HashLen = 32
	// SaltLen is the length of a result commitment's salt.
	SaltLen = 32
	// SeedValueLen is the length of a validator's seed contribution.
	SeedValueLen = 32
	// MaxSeedEntries bounds the seed commitments, and the seed reveals, of
	// one extension: draws are scheduled at a few heights at a time.
	MaxSeedEntries = 64
)

// Domain tags separate every hash a validator commits to from the others.
const (
	resultCommitDomain = "delphi/evaluation/result-commitment/v1"
	seedCommitDomain   = "delphi/evaluation/seed-commitment/v1"
)

// Limits are the extension bounds of these params, for extensions made at
// height.
func (p Params) Limits(height int64) ExtensionLimits {
	return ExtensionLimits{Height: height, MaxVoteExtensionBytes: p.MaxVoteExtensionBytes,
		MaxResultsPerExtension: p.MaxResultsPerExtension}
}

// ResultCommitmentHash is what a validator commits to for a result (or an
// abstention): SHA-256(domain ‖ evaluation (8 bytes BE) ‖ round (4) ‖
// attempt (4) ‖ model (8) ‖ correct (8) ‖ leaves (8) ‖ abstain (1) ‖
// trace root (32) ‖ salt (32) ‖ validator's consensus address). The
// address makes a commitment useless to anyone else: a copier that replays
// another validator's commitment and, later, its reveal, does not match.
func ResultCommitmentHash(evaluation uint64, round, attempt uint32, model, correct uint64, traceRoot []byte, leaves uint64,
	abstain bool, salt, validator []byte,
) []byte {
	h := sha256.New()
	h.Write([]byte(resultCommitDomain))
	var buf [41]byte
	binary.BigEndian.PutUint64(buf[0:8], evaluation)
	binary.BigEndian.PutUint32(buf[8:12], round)
	binary.BigEndian.PutUint32(buf[12:16], attempt)
	binary.BigEndian.PutUint64(buf[16:24], model)
	binary.BigEndian.PutUint64(buf[24:32], correct)
	binary.BigEndian.PutUint64(buf[32:40], leaves)
	if abstain {
		buf[40] = 1
	}
	h.Write(buf[:])
	h.Write(traceRoot)
	h.Write(salt)
	h.Write(validator)
	return h.Sum(nil)
}

// Hash is the commitment this reveal opens, for validator.
func (r *ResultReveal) Hash(validator []byte) []byte {
	return ResultCommitmentHash(r.EvaluationId, r.Round, r.Attempt, r.ModelId, r.Correct, r.TraceRoot, r.Leaves, r.Abstain, r.Salt, validator)
}

// AbstainRoot is the trace root of an abstention: all zero.
var AbstainRoot = make([]byte, TraceRootLen)

// Abstention is what a sidecar reports for a model it could not evaluate.
func Abstention(evaluation uint64, round, attempt uint32, model uint64) *RoundResult {
	return &RoundResult{EvaluationId: evaluation, Round: round, Attempt: attempt, ModelId: model,
		TraceRoot: append([]byte(nil), AbstainRoot...), Abstain: true}
}

// SeedCommitmentHash is what a validator commits to for its contribution to
// the seed of height: SHA-256(domain ‖ height (8 bytes BE) ‖ validator ‖
// value).
func SeedCommitmentHash(height int64, validator, value []byte) []byte {
	h := sha256.New()
	h.Write([]byte(seedCommitDomain))
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], uint64(height))
	h.Write(buf[:])
	h.Write(validator)
	h.Write(value)
	return h.Sum(nil)
}

// DecodeVoteExtension parses and checks a vote extension against the limits
// it was made under: at most MaxVoteExtensionBytes, at most
// MaxResultsPerExtension commitments and reveals together, at most
// MaxSeedEntries seed commitments and reveals each, hashes, roots, salts and
// seed values of their lengths, nonzero ids and positive heights, and every
// list in strictly increasing key order. An empty extension is valid and
// means "nothing to say". The checks are stateless on purpose:
// VerifyVoteExtension must not depend on a node's local view.
func DecodeVoteExtension(bz []byte, p ExtensionLimits) (VoteExtension, error) {
	var ve VoteExtension
	if len(bz) == 0 {
		return ve, nil
	}
	if len(bz) > int(p.MaxVoteExtensionBytes) {
		return ve, errorsmod.Wrapf(ErrInvalidVoteExtension, "%d bytes, max %d", len(bz), p.MaxVoteExtensionBytes)
	}
	if err := ve.Unmarshal(bz); err != nil {
		return VoteExtension{}, errorsmod.Wrapf(ErrInvalidVoteExtension, "undecodable: %v", err)
	}
	if err := ve.validate(p); err != nil {
		return VoteExtension{}, err
	}
	return ve, nil
}

func (ve *VoteExtension) validate(p ExtensionLimits) error {
	bad := func(format string, args ...any) error {
		return errorsmod.Wrapf(ErrInvalidVoteExtension, format, args...)
	}
	if n := len(ve.Commitments) + len(ve.Reveals); n > int(p.MaxResultsPerExtension) {
		return bad("%d commitments and reveals, max %d", n, p.MaxResultsPerExtension)
	}
	if len(ve.SeedCommitments) > MaxSeedEntries || len(ve.SeedReveals) > MaxSeedEntries {
		return bad("%d seed commitments and %d seed reveals, max %d each", len(ve.SeedCommitments), len(ve.SeedReveals), MaxSeedEntries)
	}
	for i, c := range ve.Commitments {
		switch {
		case c.EvaluationId == 0 || c.ModelId == 0:
			return bad("commitment %d: zero evaluation or model id", i)
		case len(c.Hash) != HashLen:
			return bad("commitment %d: hash of %d bytes, want %d", i, len(c.Hash), HashLen)
		case i > 0 && !keyLess(ve.Commitments[i-1].key(), c.key()):
			return bad("commitment %d: not in strictly increasing (evaluation, round, model) order", i)
		}
	}
	for i, r := range ve.Reveals {
		switch {
		case r.EvaluationId == 0 || r.ModelId == 0:
			return bad("reveal %d: zero evaluation or model id", i)
		case len(r.TraceRoot) != TraceRootLen:
			return bad("reveal %d: trace_root of %d bytes, want %d", i, len(r.TraceRoot), TraceRootLen)
		case len(r.Salt) != SaltLen:
			return bad("reveal %d: salt of %d bytes, want %d", i, len(r.Salt), SaltLen)
		case r.Abstain && (r.Correct != 0 || r.Leaves != 0 || !bytes.Equal(r.TraceRoot, AbstainRoot)):
			return bad("reveal %d: an abstention carries no score, no leaves and a zero root", i)
		case i > 0 && !keyLess(ve.Reveals[i-1].key(), r.key()):
			return bad("reveal %d: not in strictly increasing (evaluation, round, model) order", i)
		}
	}
	for i, c := range ve.SeedCommitments {
		switch {
		case c.Height <= 0 || len(c.Hash) != HashLen:
			return bad("seed commitment %d: height %d, hash of %d bytes", i, c.Height, len(c.Hash))
		case i > 0 && ve.SeedCommitments[i-1].Height >= c.Height:
			return bad("seed commitment %d: heights not strictly increasing", i)
		}
	}
	for i, r := range ve.SeedReveals {
		switch {
		case r.Height <= 0 || len(r.Value) != SeedValueLen:
			return bad("seed reveal %d: height %d, value of %d bytes", i, r.Height, len(r.Value))
		case i > 0 && ve.SeedReveals[i-1].Height >= r.Height:
			return bad("seed reveal %d: heights not strictly increasing", i)
		}
	}
	return nil
}

// ResultKey orders commitments and reveals: (evaluation, round, model).
type ResultKey struct {
	Evaluation uint64
	Round      uint32
	Model      uint64
}

func keyLess(a, b ResultKey) bool {
	if a.Evaluation != b.Evaluation {
		return a.Evaluation < b.Evaluation
	}
	if a.Round != b.Round {
		return a.Round < b.Round
	}
	return a.Model < b.Model
}

// Less orders result keys.
func (k ResultKey) Less(o ResultKey) bool { return keyLess(k, o) }

func (c *ResultCommitment) key() ResultKey { return ResultKey{c.EvaluationId, c.Round, c.ModelId} }
func (r *ResultReveal) key() ResultKey     { return ResultKey{r.EvaluationId, r.Round, r.ModelId} }

// Key is the commitment's result key.
func (c *ResultCommitment) Key() ResultKey { return c.key() }

// Key is the reveal's result key.
func (r *ResultReveal) Key() ResultKey { return r.key() }

// EncodeVoteExtension marshals an extension the builder assembled, after
// checking it against the limits it must pass (DecodeVoteExtension), so a
// validator never signs an extension its peers would reject.
func EncodeVoteExtension(ve VoteExtension, p ExtensionLimits) ([]byte, error) {
	if len(ve.Commitments)+len(ve.Reveals)+len(ve.SeedCommitments)+len(ve.SeedReveals) == 0 {
		return []byte{}, nil
	}
	if err := ve.validate(p); err != nil {
		return nil, err
	}
	bz, err := ve.Marshal()
	if err != nil {
		return nil, err
	}
	if len(bz) > int(p.MaxVoteExtensionBytes) {
		return nil, errorsmod.Wrapf(ErrInvalidVoteExtension, "%d bytes, max %d", len(bz), p.MaxVoteExtensionBytes)
	}
	return bz, nil
}
