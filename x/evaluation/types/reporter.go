package types

import (
	"crypto/sha256"
	"encoding/binary"
)

// Reporter is a validator as the author of its own vote extensions: its
// consensus address and a secret only its node knows, from which its
// result salts and seed contributions derive. Deriving them (rather than
// drawing them fresh) lets a node that restarts, or extends its vote twice
// at one height, reveal what it committed to.
type Reporter struct {
	Address []byte
	Secret  []byte
}

// Salt is the reporter's salt for a result of a round attempt.
func (r Reporter) Salt(evaluation uint64, round, attempt uint32, model uint64) []byte {
	h := sha256.New()
	h.Write([]byte("delphi/evaluation/salt/v1"))
	h.Write(r.Secret)
	var buf [24]byte
	binary.BigEndian.PutUint64(buf[0:8], evaluation)
	binary.BigEndian.PutUint32(buf[8:12], round)
	binary.BigEndian.PutUint32(buf[12:16], attempt)
	binary.BigEndian.PutUint64(buf[16:24], model)
	h.Write(buf[:])
	return h.Sum(nil)
}

// SeedContribution is the reporter's random contribution to the seed of
// height.
func (r Reporter) SeedContribution(height int64) []byte {
	h := sha256.New()
	h.Write([]byte("delphi/evaluation/seed-contribution/v1"))
	h.Write(r.Secret)
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], uint64(height))
	h.Write(buf[:])
	return h.Sum(nil)
}

// Commit is the reporter's commitment to a result of a round attempt.
func (r Reporter) Commit(res *RoundResult) *ResultCommitment {
	salt := r.Salt(res.EvaluationId, res.Round, res.Attempt, res.ModelId)
	return &ResultCommitment{EvaluationId: res.EvaluationId, Round: res.Round, Attempt: res.Attempt, ModelId: res.ModelId,
		Hash: ResultCommitmentHash(res.EvaluationId, res.Round, res.Attempt, res.ModelId, res.Correct, res.TraceRoot, res.Leaves,
			res.Abstain, salt, r.Address)}
}

// Reveal opens the reporter's commitment to a result.
func (r Reporter) Reveal(res *RoundResult) *ResultReveal {
	return &ResultReveal{EvaluationId: res.EvaluationId, Round: res.Round, Attempt: res.Attempt, ModelId: res.ModelId,
		Correct: res.Correct, TraceRoot: res.TraceRoot, Leaves: res.Leaves, Abstain: res.Abstain,
		Salt: r.Salt(res.EvaluationId, res.Round, res.Attempt, res.ModelId)}
}
